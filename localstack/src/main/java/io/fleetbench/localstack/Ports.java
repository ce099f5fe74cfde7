package io.fleetbench.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Probes for local TCP ports. */
final class Ports {
    private static final int CONNECT_TIMEOUT_MILLIS = 250;

    private Ports() {
    }

    /**
     * Whether nothing listens on the port, on any address: a server on another address of this machine, or on every
     * interface, keeps an emulator from listening on its own.
     */
    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            // Linux refuses the bind while anything listens, but not for connections lingering in TIME_WAIT.
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts connections at the port where a client reaches a server listening on {@code bindAddress}. */
    static boolean answers(String bindAddress, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(BindAddress.clientAddress(bindAddress), port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
