package io.fleetbench.localstack;

/**
 * How one emulator of a detached stack is doing.
 *
 * @param name    the emulator's name
 * @param pid     its recorded process id
 * @param port    its recorded port
 * @param running whether that process still runs
 * @param answers whether the port accepts connections
 */
public record EmulatorStatus(String name, long pid, int port, boolean running, boolean answers) {
}
