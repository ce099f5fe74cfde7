package io.fleetbench.localstack;

import java.time.Duration;
import java.util.Objects;

/**
 * Ports and choices of the local emulator stack.
 *
 * @param streamEmulator      which emulator serves Kinesis; default {@link StreamEmulator#KINESALITE}
 * @param kinesisPort         plain-HTTP Kinesis port; default 4567
 * @param dynamoPort          DynamoDB (dynalite) port; default 4568
 * @param kinesisLocalTlsPort the TLS port kinesis-local always opens besides the plain one; default 4569
 * @param shardLimit          most shards kinesalite allows across streams; default 100 (its own default of 10 is too low for load profiles)
 * @param startTimeout        how long to wait for each emulator's port to answer; default 60 s
 * @param stopGrace           how long to wait after SIGTERM before SIGKILL; default 5 s
 * @param bindAddress         the IP address every emulator, and the shard-limit proxy of a run, listens on; default
 *                            {@value #DEFAULT_BIND_ADDRESS}, this machine only ({@code 0.0.0.0} for every interface)
 */
public record StackConfig(
        StreamEmulator streamEmulator,
        int kinesisPort,
        int dynamoPort,
        int kinesisLocalTlsPort,
        int shardLimit,
        Duration startTimeout,
        Duration stopGrace,
        String bindAddress) {

    public StackConfig {
        Objects.requireNonNull(streamEmulator, "streamEmulator");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(stopGrace, "stopGrace");
        Objects.requireNonNull(bindAddress, "bindAddress");
        checkPort("kinesisPort", kinesisPort);
        checkPort("dynamoPort", dynamoPort);
        checkPort("kinesisLocalTlsPort", kinesisLocalTlsPort);
        if (kinesisPort == dynamoPort
                || (streamEmulator == StreamEmulator.KINESIS_LOCAL
                        && (kinesisLocalTlsPort == kinesisPort || kinesisLocalTlsPort == dynamoPort))) {
            throw new IllegalArgumentException("the stack's ports must differ, found kinesis " + kinesisPort
                    + ", dynamo " + dynamoPort + ", kinesis-local TLS " + kinesisLocalTlsPort);
        }
        if (shardLimit < 1) {
            throw new IllegalArgumentException("shardLimit must be >= 1, found " + shardLimit);
        }
        if (startTimeout.isNegative() || startTimeout.isZero() || stopGrace.isNegative()) {
            throw new IllegalArgumentException("startTimeout must be positive and stopGrace not negative, found "
                    + startTimeout + " and " + stopGrace);
        }
        if (!BindAddress.isLiteral(bindAddress)) {
            throw new IllegalArgumentException("the bind address must be an IPv4 or IPv6 address such as 127.0.0.1 or"
                    + " 0.0.0.0, found \"" + bindAddress + "\"");
        }
    }

    /** The Kinesis emulator's port unless told otherwise. */
    public static final int DEFAULT_KINESIS_PORT = 4567;
    /** The DynamoDB emulator's port unless told otherwise. */
    public static final int DEFAULT_DYNAMO_PORT = 4568;
    /** The address the stack listens on unless told otherwise: the loopback address, so this machine only. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    /**
     * The defaults: kinesalite on {@value #DEFAULT_KINESIS_PORT}, dynalite on {@value #DEFAULT_DYNAMO_PORT}, both on
     * {@value #DEFAULT_BIND_ADDRESS}.
     */
    public static StackConfig defaults() {
        return new StackConfig(StreamEmulator.KINESALITE, DEFAULT_KINESIS_PORT, DEFAULT_DYNAMO_PORT, 4569, 100,
                Duration.ofSeconds(60), Duration.ofSeconds(5), DEFAULT_BIND_ADDRESS);
    }

    /** A copy with other Kinesis and DynamoDB ports. */
    public StackConfig withPorts(int kinesis, int dynamo) {
        return new StackConfig(streamEmulator, kinesis, dynamo, kinesisLocalTlsPort, shardLimit, startTimeout, stopGrace,
                bindAddress);
    }

    /** A copy with another stream emulator. */
    public StackConfig withStreamEmulator(StreamEmulator emulator) {
        return new StackConfig(emulator, kinesisPort, dynamoPort, kinesisLocalTlsPort, shardLimit, startTimeout, stopGrace,
                bindAddress);
    }

    /** A copy that listens on another address ({@code 0.0.0.0}: every interface). */
    public StackConfig withBindAddress(String address) {
        return new StackConfig(streamEmulator, kinesisPort, dynamoPort, kinesisLocalTlsPort, shardLimit, startTimeout, stopGrace,
                address);
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in [1, 65535], found " + port);
        }
    }
}
