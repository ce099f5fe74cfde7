package io.fleetbench.simulator.http;

import java.util.Map;

/**
 * What the HTTP target answered: requests by outcome, and the connections.
 *
 * @param requestsByOutcome requests by the status code that answered them ({@code "202"}), or {@code timeout},
 *                          {@code connection_lost} (reset or closed after it went out) or {@code connection_failed}
 *                          (never connected); retries count as requests
 * @param connectionsOpened connections opened to the target over the run
 * @param connectionsOpen   connections open now
 */
public record HttpCounters(Map<String, Long> requestsByOutcome, long connectionsOpened, int connectionsOpen) {
    public HttpCounters {
        requestsByOutcome = Map.copyOf(requestsByOutcome);
    }

    /** Every request answered or failed. */
    public long requests() {
        return requestsByOutcome.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests answered with a status code of the class {@code digit}xx (2 for 2xx). */
    public long statusClass(int digit) {
        return requestsByOutcome.entrySet().stream()
                .filter(e -> e.getKey().length() == 3 && e.getKey().charAt(0) == (char) ('0' + digit)
                        && Character.isDigit(e.getKey().charAt(1)))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
