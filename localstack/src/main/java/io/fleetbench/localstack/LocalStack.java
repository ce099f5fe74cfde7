package io.fleetbench.localstack;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local emulator stack: a Kinesis emulator (kinesalite or kinesis-local) and dynalite, run
 * as Node child processes from the pinned packages in {@code local/}.
 *
 * <p>{@link #start} owns the emulators: they are stopped (SIGTERM, then SIGKILL after the grace
 * period, descendants included) by {@link #close()}, by a shutdown hook on Ctrl-C, and on a failed
 * start; each also exits by itself if the JVM dies without running the hook. {@link #up} starts a
 * detached stack recorded in {@code runs/stack.json}, which {@link #startOrReuse} uses if it is
 * running and {@link #down} stops.
 *
 * <p>Every emulator listens on the configuration's {@linkplain StackConfig#bindAddress bind address}, the
 * loopback address unless a person asks for another, so that nothing beyond this machine can reach them.
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final long POLL_MILLIS = 100;
    private static final int TAIL_LINES = 20;

    private final StreamEmulator streamEmulator;
    private final String bindAddress;
    private final int kinesisPort;
    private final int dynamoPort;
    /**
     * The emulator processes this instance owns, in the order of {@link #emulators}; the shutdown hook stops the
     * same list, so that a restarted emulator's new process replaces the old one in both.
     */
    private final List<ProcessHandle> owned;
    private final Duration stopGrace;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** How each owned emulator was started, to start it again; empty when reused. */
    private final List<Emulator> emulators;
    private final StackConfig config;
    private final Path home;
    private final Path logDir;

    private LocalStack(StreamEmulator streamEmulator, String bindAddress, int kinesisPort, int dynamoPort,
                       List<ProcessHandle> owned, Duration stopGrace, Thread shutdownHook, List<Emulator> emulators,
                       StackConfig config, Path home, Path logDir) {
        this.streamEmulator = streamEmulator;
        this.bindAddress = bindAddress;
        this.kinesisPort = kinesisPort;
        this.dynamoPort = dynamoPort;
        this.owned = owned;
        this.stopGrace = stopGrace;
        this.shutdownHook = shutdownHook;
        this.emulators = List.copyOf(emulators);
        this.config = config;
        this.home = home;
        this.logDir = logDir;
    }

    /**
     * Starts the emulators and waits until each port answers; they live until {@link #close()}
     * or the JVM exits.
     *
     * @param home     the project directory (see {@link ProjectHome})
     * @param logDir   where each emulator's output goes, as {@code <name>.log}
     * @param progress where progress lines go (the npm install, the ports)
     * @throws PortInUseException if a port is taken; nothing is started then
     * @throws StackException     if npm, node or an emulator fails, with the tail of its log
     */
    public static LocalStack start(StackConfig config, Path home, Path logDir, PrintStream progress) {
        List<ProcessHandle> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread hook = new Thread(() -> Processes.stop(started, config.stopGrace()), "fleetbench-stack-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Emulator> emulators;
        try {
            emulators = launch(config, home, logDir, false, progress, started);
        } catch (RuntimeException e) {
            removeHook(hook);
            Processes.stop(started, config.stopGrace());
            throw e;
        }
        return new LocalStack(config.streamEmulator(), config.bindAddress(), config.kinesisPort(), config.dynamoPort(),
                started, config.stopGrace(), hook, emulators, config, home, logDir);
    }

    /**
     * Uses the detached stack from {@code fleetbench stack up} if all of it answers (its own
     * ports, address and emulator then apply, and {@link #close()} leaves it running), else starts one as
     * {@link #start} does.
     */
    public static LocalStack startOrReuse(StackConfig config, Path home, Path logDir, PrintStream progress) {
        Optional<StackState> running = running(home);
        if (running.isPresent()) {
            StackState s = running.get();
            LocalStack reused = new LocalStack(s.streamEmulator(), s.bindAddress(),
                    s.entry(s.streamEmulator().packageName()).orElseThrow().port(),
                    s.entry(Emulator.DYNALITE).orElseThrow().port(), List.of(), config.stopGrace(), null, List.of(),
                    config, home, logDir);
            progress.printf("Using the running stack from `fleetbench stack up`: %s on %s:%d, dynalite on %s:%d%n",
                    s.streamEmulator().packageName(), s.bindAddress(), reused.kinesisPort, s.bindAddress(),
                    reused.dynamoPort);
            return reused;
        }
        return start(config, home, logDir, progress);
    }

    /**
     * Starts a detached stack that outlives this JVM and records it in {@link StackState#file};
     * if one is already running, returns its state and starts nothing.
     */
    public static StackState up(StackConfig config, Path home, PrintStream progress) {
        Optional<StackState> running = running(home);
        if (running.isPresent()) {
            progress.println("The stack is already up (" + StackState.file(home) + ")");
            return running.get();
        }
        Path logDir = home.resolve("runs").resolve("stack");
        List<ProcessHandle> started = new ArrayList<>();
        List<Emulator> emulators;
        try {
            emulators = launch(config, home, logDir, true, progress, started);
        } catch (RuntimeException e) {
            Processes.stop(started, config.stopGrace());
            throw e;
        }
        List<StackState.Entry> entries = new ArrayList<>();
        for (int i = 0; i < emulators.size(); i++) {
            Emulator em = emulators.get(i);
            ProcessHandle h = started.get(i);
            entries.add(new StackState.Entry(em.name(), h.pid(), Processes.startedAtMillis(h), em.port(),
                    logDir.resolve(em.name() + ".log").toString()));
        }
        StackState state = new StackState(config.streamEmulator(), entries, config.bindAddress());
        state.write(StackState.file(home));
        return state;
    }

    /**
     * Stops the detached stack recorded in the project directory and deletes the state file.
     *
     * @return whether there was a recorded stack
     */
    public static boolean down(Path home, Duration grace, PrintStream progress) {
        Path file = StackState.file(home);
        Optional<StackState> state = StackState.read(file);
        if (state.isEmpty()) {
            progress.println("No stack is recorded in " + file);
            return false;
        }
        List<ProcessHandle> alive = new ArrayList<>();
        for (StackState.Entry e : state.get().emulators()) {
            Optional<ProcessHandle> h = live(e);
            if (h.isPresent()) {
                alive.add(h.get());
                progress.printf("Stopping %s (pid %d, port %d)%n", e.name(), e.pid(), e.port());
            } else {
                progress.printf("%s (pid %d) is not running%n", e.name(), e.pid());
            }
        }
        Processes.stop(alive, grace);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StackException("stopped the stack but cannot delete " + file + ": " + e.getMessage(), e);
        }
        return true;
    }

    /** The status of each emulator of the recorded detached stack; empty if none is recorded. */
    public static List<EmulatorStatus> status(Path home) {
        return StackState.read(StackState.file(home))
                .map(s -> s.emulators().stream()
                        .map(e -> new EmulatorStatus(e.name(), e.pid(), e.port(), live(e).isPresent(),
                                Ports.answers(s.bindAddress(), e.port())))
                        .toList())
                .orElse(List.of());
    }

    /** The Kinesis endpoint, plain HTTP: on 127.0.0.1 when the stack listens there or on every interface. */
    public URI kinesisEndpoint() {
        return URI.create("http://" + BindAddress.clientHost(bindAddress) + ":" + kinesisPort);
    }

    /** The DynamoDB endpoint, plain HTTP: on 127.0.0.1 when the stack listens there or on every interface. */
    public URI dynamoEndpoint() {
        return URI.create("http://" + BindAddress.clientHost(bindAddress) + ":" + dynamoPort);
    }

    /** The address the emulators listen on; a proxy in front of them listens there too. */
    public String bindAddress() {
        return bindAddress;
    }

    /** The emulator that serves Kinesis. */
    public StreamEmulator streamEmulator() {
        return streamEmulator;
    }

    /** Whether this is a detached stack that {@link #close()} leaves running. */
    public boolean reused() {
        return shutdownHook == null;
    }

    /** The ids of the emulator processes this instance owns; empty when reused. */
    public List<Long> pids() {
        return owned.stream().map(ProcessHandle::pid).toList();
    }

    /** The names of the emulators this instance started, which {@link #restart} can restart; empty when reused. */
    public List<String> emulatorNames() {
        return emulators.stream().map(Emulator::name).toList();
    }

    /**
     * Kills one emulator this instance started (SIGKILL, its descendants too), as a crash would, and starts it again in
     * place: the same command line, port, bind address and environment, its output appended to the same log; returns
     * once its port answers again. An emulator that keeps its data in memory (kinesalite, dynalite) comes back empty.
     *
     * @param name the emulator's name, as in {@link #emulatorNames()}: {@code dynalite}, {@code kinesalite}, ...
     * @return how long it took from the kill until the port answered again
     * @throws StackException if the stack is a reused one (its emulators are not this run's), no emulator has that
     *                        name, or it does not come back, with the tail of its log
     */
    public synchronized Duration restart(String name) {
        if (reused()) {
            throw new StackException("cannot restart " + name + ": the stack is the one `fleetbench stack up` started,"
                    + " not this run's; stop it with `fleetbench stack down` to let the run start its own");
        }
        if (closed.get()) {
            throw new StackException("cannot restart " + name + ": the stack is closed");
        }
        int i = emulatorNames().indexOf(name);
        if (i < 0) {
            throw new StackException("cannot restart " + name + ": the stack runs " + String.join(" and ", emulatorNames()));
        }
        Emulator em = emulators.get(i);
        long t0 = System.nanoTime();
        Processes.kill(owned.get(i));
        Process p = spawn(em, home, logDir, false);
        owned.set(i, p.toHandle());
        awaitPort(em, bindAddress, p, logDir.resolve(em.name() + ".log"), config.startTimeout());
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Stops the emulators this instance started (SIGTERM, SIGKILL after the grace period). */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true) || shutdownHook == null) {
            return;
        }
        removeHook(shutdownHook);
        Processes.stop(owned, stopGrace);
    }

    private static List<Emulator> launch(StackConfig config, Path home, Path logDir, boolean detached,
                                         PrintStream progress, List<ProcessHandle> started) {
        List<Emulator> emulators = Emulator.forConfig(config, home, detached);
        for (Emulator em : emulators) {
            for (int port : allPorts(em)) {
                if (!Ports.isFree(port)) {
                    throw new PortInUseException(em.name(), port);
                }
            }
        }
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new StackException("cannot create the log folder " + logDir + ": " + e.getMessage(), e);
        }
        ensureInstalled(home, emulators, logDir, progress);
        List<Process> processes = new ArrayList<>();
        for (Emulator em : emulators) {
            Process p = spawn(em, home, logDir, detached);
            processes.add(p);
            started.add(p.toHandle());
        }
        for (int i = 0; i < emulators.size(); i++) {
            awaitPort(emulators.get(i), config.bindAddress(), processes.get(i),
                    logDir.resolve(emulators.get(i).name() + ".log"), config.startTimeout());
            progress.printf("%s answers on %s:%d (pid %d)%n", emulators.get(i).name(), config.bindAddress(),
                    emulators.get(i).port(), processes.get(i).pid());
        }
        return emulators;
    }

    private static List<Integer> allPorts(Emulator em) {
        List<Integer> ports = new ArrayList<>(List.of(em.port()));
        ports.addAll(em.otherPorts());
        return ports;
    }

    private static void ensureInstalled(Path home, List<Emulator> emulators, Path logDir, PrintStream progress) {
        if (emulators.stream().allMatch(Emulator::installed)) {
            return;
        }
        Path local = home.resolve("local");
        Path log = logDir.resolve("npm-ci.log");
        progress.println("Installing the local emulators: npm ci in " + local + " (output in " + log + ")");
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(local.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process npm = pb.start();
            if (!npm.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                Processes.stop(List.of(npm.toHandle()), Duration.ofSeconds(5));
                throw new StackException("npm ci in " + local + " did not finish within " + NPM_TIMEOUT + "; "
                        + Processes.tail(log, TAIL_LINES));
            }
            if (npm.exitValue() != 0) {
                throw new StackException("npm ci in " + local + " failed with exit code " + npm.exitValue() + "; "
                        + Processes.tail(log, TAIL_LINES));
            }
        } catch (IOException e) {
            throw new StackException("cannot run npm (" + e.getMessage() + "); the local stack needs Node.js 18 or newer with npm on the PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while installing the local emulators", e);
        }
        for (Emulator em : emulators) {
            if (!em.installed()) {
                throw new StackException("npm ci succeeded but " + em.name() + " is still missing from " + local.resolve("node_modules"));
            }
        }
        progress.printf("Installed the local emulators in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static Process spawn(Emulator em, Path home, Path logDir, boolean detached) {
        List<String> command = new ArrayList<>();
        // A detached emulator gets its own session, so that a Ctrl-C in the terminal that started it does not reach it.
        if (detached && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(em.command());
        Path log = logDir.resolve(em.name() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.resolve("local").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(em.env());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new StackException("cannot start " + em.name() + " (" + e.getMessage()
                    + "); the local stack needs Node.js 18 or newer (`node`) on the PATH", e);
        }
    }

    private static void awaitPort(Emulator em, String bindAddress, Process p, Path log, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Ports.answers(bindAddress, em.port())) {
            if (!p.isAlive()) {
                throw new StackException(em.name() + " exited with code " + p.exitValue() + " before port "
                        + em.port() + " answered; " + Processes.tail(log, TAIL_LINES));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(em.name() + " did not answer on port " + em.port() + " within " + timeout
                        + "; " + Processes.tail(log, TAIL_LINES));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + em.name() + " on port " + em.port(), e);
            }
        }
    }

    private static Optional<StackState> running(Path home) {
        return StackState.read(StackState.file(home))
                .filter(s -> s.emulators().stream()
                        .allMatch(e -> live(e).isPresent() && Ports.answers(s.bindAddress(), e.port())));
    }

    private static Optional<ProcessHandle> live(StackState.Entry e) {
        return ProcessHandle.of(e.pid())
                .filter(ProcessHandle::isAlive)
                .filter(h -> e.startedAtMillis() == 0 || Processes.startedAtMillis(h) == e.startedAtMillis());
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook itself stops the emulators.
        }
    }
}
