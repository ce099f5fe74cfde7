package io.fleetbench.lakesink;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * How the rows of one table are partitioned, encoded as Parquet and described in file statistics.
 *
 * @param <R> the row type
 */
interface RowFormat<R> {

    /** The compression of every data file. */
    CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    /** A partition of the table: the AddFile's partition values and the Hive-style directory below the table root. */
    record PartitionSpec(Map<String, String> values, String directory) {
    }

    /** A number that identifies the row's partition (e.g. its hour since the epoch); cheap, called per row. */
    long partitionKey(R row);

    /** The partition that a key from {@link #partitionKey} stands for. */
    PartitionSpec partition(long key);

    /** The Parquet write support of a new file. */
    WriteSupport<R> writeSupport();

    /** Statistics of a new file. */
    RowStats<R> newStats();

    /** The statistics of one data file, gathered row by row. */
    interface RowStats<R> {
        void add(R row);

        /** The statistics as an escaped JSON string, as the AddFile's {@code stats} needs them. */
        String toEscapedJson();
    }

    /**
     * The columns worth dictionary encoding: those with few distinct values per file. Parquet's dictionary
     * writer hashes every value, and for measurements, timestamps and ids that differ on every row it costs
     * more CPU than encoding and compressing the row otherwise, only to fall back to plain encoding.
     */
    default Set<String> dictionaryColumns() {
        return Set.of();
    }

    /**
     * The columns whose Parquet statistics (each page's and row group's bounds) are not written: those
     * whose bounds say little beyond the file's Delta statistics and cost much to keep, such as long
     * strings that differ on every row, whose every value Parquet compares byte by byte.
     */
    default Set<String> columnsWithoutParquetStatistics() {
        return Set.of();
    }

    /** Opens a Parquet writer of this format on a new file. */
    default ParquetWriter<R> open(OutputFile file, Configuration conf, long rowGroupBytes) throws IOException {
        Builder<R> builder = new Builder<>(file, writeSupport())
                .withConf(conf)
                .withCompressionCodec(CODEC)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withRowGroupSize(rowGroupBytes)
                .withDictionaryEncoding(false);
        for (String column : dictionaryColumns()) {
            builder = builder.withDictionaryEncoding(column, true);
        }
        for (String column : columnsWithoutParquetStatistics()) {
            builder = builder.withStatisticsEnabled(column, false);
        }
        return builder.build();
    }

    /** A Parquet writer builder for a given write support. */
    final class Builder<R> extends ParquetWriter.Builder<R, Builder<R>> {
        private final WriteSupport<R> support;

        Builder(OutputFile file, WriteSupport<R> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder<R> self() {
            return this;
        }

        @Override
        protected WriteSupport<R> getWriteSupport(Configuration conf) {
            return support;
        }
    }
}
