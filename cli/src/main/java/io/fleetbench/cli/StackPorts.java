package io.fleetbench.cli;

import io.fleetbench.localstack.StackConfig;
import picocli.CommandLine.Option;

/** The local stack's ports and address, for the commands that start the stack or use the one that runs. */
final class StackPorts {
    @Option(names = "--kinesis-port", paramLabel = "<port>", defaultValue = "" + StackConfig.DEFAULT_KINESIS_PORT,
            description = "Port of the local Kinesis emulator (default: ${DEFAULT-VALUE}).")
    int kinesis;

    @Option(names = "--dynamodb-port", paramLabel = "<port>", defaultValue = "" + StackConfig.DEFAULT_DYNAMO_PORT,
            description = "Port of the local DynamoDB emulator (default: ${DEFAULT-VALUE}).")
    int dynamodb;

    @Option(names = "--bind-address", paramLabel = "<address>", defaultValue = StackConfig.DEFAULT_BIND_ADDRESS,
            description = "IP address the local emulators and the run's Kinesis proxy listen on (default: ${DEFAULT-VALUE},"
                    + " this machine only; 0.0.0.0 for every interface, which lets anyone who reaches this machine"
                    + " write into the stream).")
    String bindAddress;

    /** {@code base} with these ports and address; prints why and returns null when they cannot be used. */
    StackConfig applyOrExplain(StackConfig base) {
        try {
            return base.withPorts(kinesis, dynamodb).withBindAddress(bindAddress);
        } catch (IllegalArgumentException e) {
            System.err.println("fleetbench: --kinesis-port " + kinesis + ", --dynamodb-port " + dynamodb
                    + ", --bind-address " + bindAddress + ": " + e.getMessage());
            return null;
        }
    }
}
