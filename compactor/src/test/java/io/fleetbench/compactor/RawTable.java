package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.SetTransaction;
import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.fleetbench.lake.LocalLogStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Delta table partitioned by event_date and event_hour whose files and commits a test places one by
 * one through delta-standalone: files of any size and age (their content is never read), removals at
 * any time, and {@code txn} commits.
 */
final class RawTable {
    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("seq", new LongType(), false),
        new StructField("event_date", new StringType(), false),
        new StructField("event_hour", new IntegerType(), false)});
    static final String DATE = "2024-03-01";

    private final Path root;
    private final DeltaLog log;

    RawTable(Path root) {
        this.root = root;
        this.log = DeltaLog.forTable(LocalLogStore.configuration(), root.toString());
        OptimisticTransaction txn = log.startTransaction();
        txn.updateMetadata(Metadata.builder().schema(SCHEMA).partitionColumns(List.of("event_date", "event_hour")).build());
        txn.commit(List.<Action>of(), new Operation(Operation.Name.CREATE_TABLE), "test");
    }

    Path root() {
        return root;
    }

    String path() {
        return root.toString();
    }

    DeltaLog log() {
        return log;
    }

    /** The relative path of a file named {@code name} in an hour's partition. */
    static String inHour(int hour, String name) {
        return "event_date=" + DATE + "/event_hour=" + hour + "/" + name;
    }

    /** Writes a file of {@code bytes} bytes last modified at {@code modifiedMillis}, without committing it. */
    Path write(String relative, int bytes, long modifiedMillis) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[bytes]);
            Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits files of an hour's partition with the given sizes, whether or not they exist. */
    long add(int hour, Map<String, Long> sizesByName) {
        List<AddFile> adds = sizesByName.entrySet().stream().map(e -> new AddFile(inHour(hour, e.getKey()),
                Map.of("event_date", DATE, "event_hour", Integer.toString(hour)), e.getValue(), 0L, true, null, null))
                .toList();
        return log.startTransaction().commit(adds, new Operation(Operation.Name.WRITE), "test").getVersion();
    }

    /** Commits a file of an hour's partition with a Delta modification time and tags, whether or not it exists. */
    void add(int hour, String name, long size, long modificationMillis, Map<String, String> tags) {
        AddFile add = new AddFile(inHour(hour, name), Map.of("event_date", DATE, "event_hour", Integer.toString(hour)),
                size, modificationMillis, true, null, tags);
        log.startTransaction().commit(List.of(add), new Operation(Operation.Name.WRITE), "test");
    }

    /** Writes and commits a file of an hour's partition, last modified at {@code modifiedMillis}. */
    String addFile(int hour, String name, int bytes, long modifiedMillis) {
        String relative = inHour(hour, name);
        write(relative, bytes, modifiedMillis);
        add(hour, Map.of(name, (long) bytes));
        return relative;
    }

    /** Commits the removal of a file at {@code deletionMillis}. */
    void remove(String relative, long deletionMillis) {
        AddFile f = log.update().getAllFiles().stream().filter(a -> a.getPath().equals(relative)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no file " + relative + " in the snapshot"));
        log.startTransaction().commit(List.of(f.remove(deletionMillis, false)), new Operation(Operation.Name.DELETE), "test");
    }

    /** Commits an application's {@code txn} version, as the lake sink does with each flush. */
    long txn(String appId, long version) {
        return log.startTransaction().commit(List.of(new SetTransaction(appId, version, Optional.of(0L))),
                new Operation(Operation.Name.STREAMING_UPDATE), "test").getVersion();
    }

    /** Whether a log file of a version is still there ({@code json} or {@code checkpoint.parquet}). */
    boolean hasLogFile(long version, String suffix) {
        return Files.exists(root.resolve("_delta_log").resolve(String.format("%020d.%s", version, suffix)));
    }
}
