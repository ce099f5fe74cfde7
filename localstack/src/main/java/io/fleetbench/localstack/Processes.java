package io.fleetbench.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops process trees and reads the tails of their logs. */
final class Processes {
    private static final Duration AFTER_KILL = Duration.ofSeconds(2);

    private Processes() {
    }

    /**
     * Sends SIGTERM to every process and its descendants, waits up to {@code grace} for them to
     * exit, then sends SIGKILL to those left.
     */
    static void stop(List<ProcessHandle> roots, Duration grace) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (ProcessHandle root : roots) {
            // Descendants are listed before the root is signalled: once it dies they are re-parented and lost.
            root.descendants().forEach(all::add);
            all.add(root);
        }
        all.removeIf(h -> !h.isAlive());
        all.forEach(ProcessHandle::destroy);
        List<ProcessHandle> left = awaitExit(all, grace);
        left.forEach(ProcessHandle::destroyForcibly);
        awaitExit(left, AFTER_KILL);
    }

    /**
     * Kills a process and its descendants at once (SIGKILL), as a crash would, and waits until they are gone.
     *
     * @throws StackException if one is still alive after the wait
     */
    static void kill(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        all.forEach(ProcessHandle::destroyForcibly);
        List<ProcessHandle> left = awaitExit(all, AFTER_KILL);
        if (!left.isEmpty()) {
            throw new StackException("process " + left.get(0).pid() + " is still alive " + AFTER_KILL.toSeconds()
                    + " s after SIGKILL");
        }
    }

    private static List<ProcessHandle> awaitExit(Iterable<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle h : handles) {
            CompletableFuture<ProcessHandle> exit = h.onExit();
            try {
                exit.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                left.add(h);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                left.add(h);
            } catch (ExecutionException e) {
                left.add(h);
            }
        }
        return left;
    }

    /** The last lines of a log file, for error messages; a note if it cannot be read. */
    static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            String[] all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\\R");
            int from = Math.max(0, all.length - lines);
            StringBuilder sb = new StringBuilder("last lines of ").append(log).append(':');
            for (int i = from; i < all.length; i++) {
                sb.append("\n  | ").append(all[i]);
            }
            return sb.toString();
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The start time that identifies a process together with its pid, 0 if the system does not tell. */
    static long startedAtMillis(ProcessHandle h) {
        return h.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }
}
