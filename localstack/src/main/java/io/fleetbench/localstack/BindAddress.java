package io.fleetbench.localstack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP addresses servers listen on, and the address a client on this machine reaches such a server at. */
final class BindAddress {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private BindAddress() {
    }

    /** Whether the text is an IPv4 or IPv6 address, not a host name (which would need a lookup). */
    static boolean isLiteral(String address) {
        if (IPV4.matcher(address).matches()) {
            return true;
        }
        if (!address.contains(":") || address.startsWith("[")) {
            return false;
        }
        try {
            // With a colon, InetAddress parses an IPv6 literal and never looks the name up.
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /**
     * The address where a client on this machine reaches a server listening on {@code address}: the loopback
     * address for a wildcard one (every interface), else the address itself.
     */
    static InetAddress clientAddress(String address) {
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: \"" + address + "\"", e);
        }
        return parsed.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : parsed;
    }

    /** {@link #clientAddress} as the host of a URI: {@code 127.0.0.1}, {@code [::1]}. */
    static String clientHost(String address) {
        String host = clientAddress(address).getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
