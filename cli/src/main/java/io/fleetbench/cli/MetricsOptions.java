package io.fleetbench.cli;

import picocli.CommandLine.Option;

/** Where a long-running command serves {@code /metrics} and {@code /health}: this machine only unless asked. */
final class MetricsOptions {
    @Option(names = "--metrics-host", paramLabel = "<address>", defaultValue = "127.0.0.1",
            description = "Address of the Prometheus endpoint (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--metrics-port", paramLabel = "<port>", defaultValue = "9464",
            description = "Port of the Prometheus endpoint, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;
}
