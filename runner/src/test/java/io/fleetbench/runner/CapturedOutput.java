package io.fleetbench.runner;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures {@code System.out} and {@code System.err} while each test of a class runs, for tests of
 * commands: {@code @RegisterExtension final CapturedOutput output = new CapturedOutput();}.
 */
public final class CapturedOutput implements BeforeEachCallback, AfterEachCallback {
    private final WatchedOutput out = new WatchedOutput();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    /** What was printed to standard output since the last call; forgets it. */
    public String out() {
        synchronized (out) {
            String s = out.toString(StandardCharsets.UTF_8);
            out.reset();
            return s;
        }
    }

    /** Everything printed to standard error during the test. */
    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits until standard output holds a match of the pattern, e.g. printed by a command running on
     * another thread; returns the matcher, or null after the timeout.
     */
    public Matcher awaitOut(Pattern pattern, long timeout, TimeUnit unit) throws InterruptedException {
        return out.await(pattern, unit.toNanos(timeout));
    }

    /** Standard output, which a test can wait on until a pattern appears in it. */
    private static final class WatchedOutput extends ByteArrayOutputStream {
        @Override
        public synchronized void write(int b) {
            super.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            notifyAll();
        }

        synchronized Matcher await(Pattern pattern, long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                Matcher m = pattern.matcher(toString(StandardCharsets.UTF_8));
                if (m.find()) {
                    return m;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
