package io.fleetbench.localstack;

/** A port the stack needs is taken by another process; nothing was started. */
public final class PortInUseException extends StackException {
    private final int port;
    private final String emulator;

    public PortInUseException(String emulator, int port) {
        super("port " + port + " for " + emulator + " is taken by another process; stop that process"
                + " (if it is a stack from `fleetbench stack up`, run `fleetbench stack down`) or choose another port");
        this.port = port;
        this.emulator = emulator;
    }

    /** The taken port. */
    public int port() {
        return port;
    }

    /** The emulator that wanted it. */
    public String emulator() {
        return emulator;
    }
}
