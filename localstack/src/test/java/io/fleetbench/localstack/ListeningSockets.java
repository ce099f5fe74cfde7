package io.fleetbench.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The addresses TCP sockets listen on, per port, as Linux lists them in {@code /proc/net/tcp} and {@code /proc/net/tcp6}
 * (state {@code 0A}, LISTEN): what a server really bound, whatever it was asked for.
 */
final class ListeningSockets {
    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** Whether this system lists its sockets in /proc (Linux). */
    static boolean available() {
        return Files.isReadable(TCP);
    }

    /**
     * The local addresses of the sockets that listen on the port; an IPv4-mapped IPv6 address
     * ({@code ::ffff:127.0.0.1}) as its IPv4 address.
     */
    static List<InetAddress> on(int port) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (Path table : List.of(TCP, TCP6)) {
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (fields[3].equals(LISTEN) && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /**
     * An address as /proc writes it: hex, each 32-bit word in the machine's byte order, which is little-endian on the
     * machines this runs on ({@code 0100007F} is 127.0.0.1).
     */
    static InetAddress address(String hex) throws UnknownHostException {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = raw[word + 3 - i];
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
