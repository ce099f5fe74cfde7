package io.fleetbench.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start one emulator: its name, the port it answers on, any other port it opens, the
 * command line and environment, and the npm package it runs.
 */
record Emulator(String name, int port, List<Integer> otherPorts, List<String> command, Map<String, String> env,
                Path packageDir) {

    static final String DYNALITE = "dynalite";
    /** The variable {@code local/listen-on.js} reads: the address a wildcard listen is moved to. */
    static final String LISTEN_ADDRESS_VARIABLE = "FLEETBENCH_LISTEN_ADDRESS";

    /**
     * The emulators for a configuration: the stream emulator first, then dynalite, each listening on the
     * configuration's bind address. kinesalite's command line has no host option, so it is started from
     * {@code local/kinesalite-listen.js}; kinesis-local has none either and listens on every interface, so
     * {@code local/listen-on.js} is preloaded into it to move its listens to the bind address.
     */
    static List<Emulator> forConfig(StackConfig config, Path home, boolean detached) {
        Path local = home.resolve("local");
        Path modules = local.resolve("node_modules");
        List<String> node = new ArrayList<>(List.of("node"));
        if (!detached) {
            node.add("--require");
            node.add(local.resolve("exit-with-parent.js").toString());
        }
        Emulator stream = switch (config.streamEmulator()) {
            case KINESALITE -> new Emulator(StreamEmulator.KINESALITE.packageName(), config.kinesisPort(), List.of(),
                    concat(node, local.resolve("kinesalite-listen.js").toString(),
                            "--host", config.bindAddress(),
                            "--port", Integer.toString(config.kinesisPort()),
                            "--shardLimit", Integer.toString(config.shardLimit())),
                    Map.of(), modules.resolve("kinesalite"));
            case KINESIS_LOCAL -> new Emulator(StreamEmulator.KINESIS_LOCAL.packageName(), config.kinesisPort(),
                    List.of(config.kinesisLocalTlsPort()),
                    concat(node, "--require", local.resolve("listen-on.js").toString(),
                            modules.resolve("kinesis-local").resolve("main.js").toString()),
                    Map.of("KINESIS_MOCK_CERT_PATH", modules.resolve("kinesis-local").resolve("server.json").toString(),
                            "KINESIS_MOCK_PLAIN_PORT", Integer.toString(config.kinesisPort()),
                            "KINESIS_MOCK_TLS_PORT", Integer.toString(config.kinesisLocalTlsPort()),
                            "SHARD_LIMIT", Integer.toString(config.shardLimit()),
                            LISTEN_ADDRESS_VARIABLE, config.bindAddress()),
                    modules.resolve("kinesis-local"));
        };
        Emulator dynamo = new Emulator(DYNALITE, config.dynamoPort(), List.of(),
                concat(node, modules.resolve("dynalite").resolve("cli.js").toString(),
                        "--host", config.bindAddress(), "--port", Integer.toString(config.dynamoPort())),
                Map.of(), modules.resolve("dynalite"));
        return List.of(stream, dynamo);
    }

    /** Whether the npm package this emulator runs is installed (the scripts in {@code local/} ship with the project). */
    boolean installed() {
        return Files.isRegularFile(packageDir.resolve("package.json"))
                && command.stream().filter(a -> a.endsWith(".js") && Path.of(a).startsWith(packageDir))
                        .allMatch(a -> Files.isRegularFile(Path.of(a)));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return List.copyOf(all);
    }
}
