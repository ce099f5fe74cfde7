package io.fleetbench.localstack;

import java.util.Locale;

/** A kind of infrastructure fault the proxy injects ({@link ProxyFaults}); a bounded metric label. */
public enum ProxyFault {
    /** The call was held until a stall ended. */
    STALL,
    /** The call was delayed by the added latency. */
    LATENCY,
    /** The connection was reset before the call was forwarded: it never reached the emulator. */
    RESET_BEFORE,
    /** The connection was reset after the call was forwarded, instead of its answer: it did reach the emulator. */
    RESET_AFTER,
    /** The call was answered HTTP 500 {@code InternalFailure} without being forwarded. */
    INTERNAL_FAILURE,
    /** The call was answered HTTP 503 {@code ServiceUnavailable} without being forwarded. */
    SERVICE_UNAVAILABLE;

    /** The snake_case metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
