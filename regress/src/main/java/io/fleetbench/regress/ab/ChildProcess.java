package io.fleetbench.regress.ab;

/**
 * A child process of {@code ab} (a run, or the baseline's build) and every process under it, stopped with
 * {@code ab} when {@code ab} itself is stopped (Ctrl-C, a CI job's timeout): a JVM shutdown hook, held
 * until {@link #close}.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final boolean force;
    private final Thread hook;

    private ChildProcess(Process process, boolean force, String name) {
        this.process = process;
        this.force = force;
        this.hook = new Thread(this::stop, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Guards a started process.
     *
     * @param force whether to stop it by SIGKILL rather than SIGTERM (a run given SIGTERM stops its emulators
     *              on the way out; a build has nothing to finish)
     */
    public static ChildProcess guard(Process process, boolean force, String name) {
        return new ChildProcess(process, force, name);
    }

    /** Stops the process and every process under it. */
    public void stop() {
        process.descendants().forEach(force ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    /** Lets go of the shutdown hook: the process has ended or was stopped. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run.
        }
    }
}
