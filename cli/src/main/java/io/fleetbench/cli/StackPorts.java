package io.fleetbench.cli;

import io.fleetbench.localstack.StackConfig;
import picocli.CommandLine.Option;

/** The local stack's ports, for the commands that start the stack or use the one that runs. */
final class StackPorts {
    @Option(names = "--kinesis-port", paramLabel = "<port>", defaultValue = "" + StackConfig.DEFAULT_KINESIS_PORT,
            description = "Port of the local Kinesis emulator (default: ${DEFAULT-VALUE}).")
    int kinesis;

    @Option(names = "--dynamodb-port", paramLabel = "<port>", defaultValue = "" + StackConfig.DEFAULT_DYNAMO_PORT,
            description = "Port of the local DynamoDB emulator (default: ${DEFAULT-VALUE}).")
    int dynamodb;

    /** {@code base} with these ports; prints why and returns null when they cannot be used. */
    StackConfig applyOrExplain(StackConfig base) {
        try {
            return base.withPorts(kinesis, dynamodb);
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: --kinesis-port " + kinesis + ", --dynamodb-port " + dynamodb + ": "
                    + e.getMessage());
            return null;
        }
    }
}
