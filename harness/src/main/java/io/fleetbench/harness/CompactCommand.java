package io.fleetbench.harness;

import io.fleetbench.compactor.CompactionOptions;
import io.fleetbench.compactor.CompactionResult;
import io.fleetbench.compactor.Compactor;
import io.fleetbench.harness.profile.DataSize;
import io.delta.standalone.DeltaLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code fleetbench compact <table>}: bin-packs each partition's small files, safe beside a live writer. */
@Command(name = "compact", description = "Bin-pack each partition's small files into larger ones (dataChange=false).")
final class CompactCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<table>", description = "Path or URI of the Delta table.")
    String table;

    @Option(names = "--target-file-size", paramLabel = "<size>", defaultValue = "128MiB",
            converter = DataSizeConverter.class,
            description = "Size the compacted files aim for; files of 3/4 of it or more are left alone (default: ${DEFAULT-VALUE}).")
    DataSize targetFileSize;

    @Override
    public Integer call() {
        // The compactor leaves a missing table alone; on the command line that is a mistyped path.
        if (!DeltaLog.forTable(new Configuration(), table).tableExists()) {
            System.err.println("fleetbench: compact: no Delta table at " + table + " (expected a folder with _delta_log)");
            return ExitCode.BAD_INPUT;
        }
        CompactionOptions options = new CompactionOptions(targetFileSize.bytes(), CompactionOptions.defaults().minFilesPerBin());
        CompactionResult r = new Compactor(options, new SimpleMeterRegistry(), Clock.systemUTC()).compact(table);
        System.out.printf("%s: %d partitions compacted (%d skipped after conflicts), %d files -> %d, "
                        + "%,d bytes rewritten into %,d, in %.1f s%n",
                r.tablePath(), r.partitionsCompacted(), r.partitionsConflicted(), r.filesRemoved(), r.filesAdded(),
                r.bytesRewritten(), r.bytesWritten(), r.duration().toMillis() / 1e3);
        return ExitCode.OK;
    }

    /** Reads sizes such as {@code 128MiB} on the command line. */
    static final class DataSizeConverter implements picocli.CommandLine.ITypeConverter<DataSize> {
        @Override
        public DataSize convert(String value) {
            return DataSize.parse(value);
        }
    }
}
