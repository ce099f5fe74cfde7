package io.fleetbench.compactor;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Copies the rows of several Parquet files with one schema into one new file, by the files' own schema. */
final class FileRewriter {

    /** The file written and its Delta statistics. */
    record Rewritten(long sizeBytes, long rows, String escapedStats) {
    }

    private static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    private final Configuration conf;

    FileRewriter(Configuration conf) {
        this.conf = conf;
    }

    static String codecSuffix() {
        return CODEC.name().toLowerCase() + ".parquet";
    }

    Rewritten rewrite(List<Path> inputs, Path output) {
        try {
            MessageType schema = schema(inputs.get(0));
            for (Path p : inputs.subList(1, inputs.size())) {
                MessageType other = schema(p);
                if (!other.equals(schema)) {
                    throw new IllegalStateException("files of one bin must share a schema: expected " + schema
                            + " (from " + inputs.get(0) + "), found " + other + " in " + p);
                }
            }
            long rows = 0;
            ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(output, conf))
                    .withConf(conf)
                    .withType(schema)
                    .withCompressionCodec(CODEC)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .build();
            try (writer) {
                for (Path p : inputs) {
                    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), p)
                            .withConf(conf).build()) {
                        for (Group g = reader.read(); g != null; g = reader.read()) {
                            writer.write(g);
                            rows++;
                        }
                    }
                }
            }
            long size = output.getFileSystem(conf).getFileStatus(output).getLen();
            return new Rewritten(size, rows, FooterStats.escapedJson(writer.getFooter()));
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting " + inputs.size() + " files into " + output, e);
        }
    }

    private MessageType schema(Path p) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(p, conf))) {
            return r.getFooter().getFileMetaData().getSchema();
        }
    }
}
