package io.fleetbench.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start one emulator: its name, the port it answers on, any other port it opens, the
 * command line and environment.
 */
record Emulator(String name, int port, List<Integer> otherPorts, List<String> command, Map<String, String> env) {

    static final String DYNALITE = "dynalite";

    /** The emulators for a configuration: the stream emulator first, then dynalite. */
    static List<Emulator> forConfig(StackConfig config, Path home, boolean detached) {
        Path modules = home.resolve("local").resolve("node_modules");
        List<String> node = new ArrayList<>(List.of("node"));
        if (!detached) {
            node.add("--require");
            node.add(home.resolve("local").resolve("exit-with-parent.js").toString());
        }
        Emulator stream = switch (config.streamEmulator()) {
            case KINESALITE -> new Emulator(StreamEmulator.KINESALITE.packageName(), config.kinesisPort(), List.of(),
                    concat(node, modules.resolve("kinesalite").resolve("cli.js").toString(),
                            "--port", Integer.toString(config.kinesisPort()),
                            "--shardLimit", Integer.toString(config.shardLimit())),
                    Map.of());
            case KINESIS_LOCAL -> new Emulator(StreamEmulator.KINESIS_LOCAL.packageName(), config.kinesisPort(),
                    List.of(config.kinesisLocalTlsPort()),
                    concat(node, modules.resolve("kinesis-local").resolve("main.js").toString()),
                    Map.of("KINESIS_MOCK_CERT_PATH", modules.resolve("kinesis-local").resolve("server.json").toString(),
                            "KINESIS_MOCK_PLAIN_PORT", Integer.toString(config.kinesisPort()),
                            "KINESIS_MOCK_TLS_PORT", Integer.toString(config.kinesisLocalTlsPort()),
                            "SHARD_LIMIT", Integer.toString(config.shardLimit())));
        };
        Emulator dynamo = new Emulator(DYNALITE, config.dynamoPort(), List.of(),
                concat(node, modules.resolve("dynalite").resolve("cli.js").toString(),
                        "--host", "127.0.0.1", "--port", Integer.toString(config.dynamoPort())),
                Map.of());
        return List.of(stream, dynamo);
    }

    /** Whether the npm packages this emulator runs are installed. */
    boolean installed() {
        return command.stream().filter(a -> a.endsWith(".js") && !a.endsWith("exit-with-parent.js"))
                .allMatch(a -> Files.isRegularFile(Path.of(a)));
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return List.copyOf(all);
    }
}
