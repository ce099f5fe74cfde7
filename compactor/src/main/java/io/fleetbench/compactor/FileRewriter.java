package io.fleetbench.compactor;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies the rows of several Parquet files of one flat schema into one new file. Files written
 * before and after a table gained nullable columns (schema evolution by added columns) differ only by
 * those optional columns: they are copied into the union of their schemas, with the columns a file
 * lacks left null. Any other difference is refused.
 */
final class FileRewriter {

    /** The file written and its Delta statistics. */
    record Rewritten(long sizeBytes, long rows, String escapedStats) {
    }

    private static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    private final Configuration conf;
    private final ParquetConfiguration parquetConf;
    private final ParquetReadOptions readOptions;

    FileRewriter(Configuration conf) {
        this.conf = conf;
        this.parquetConf = new HadoopParquetConfiguration(conf);
        this.readOptions = HadoopReadOptions.builder(conf).build();
    }

    static String codecSuffix() {
        return CODEC.name().toLowerCase() + ".parquet";
    }

    Rewritten rewrite(List<Path> inputs, Path output) {
        try {
            List<MessageType> schemas = new ArrayList<>();
            for (Path p : inputs) {
                schemas.add(schema(p));
            }
            MessageType schema = union(inputs, schemas);
            long rows = 0;
            ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(output, conf))
                    .withConf(conf)
                    .withType(schema)
                    .withCompressionCodec(CODEC)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .build();
            try (writer) {
                for (int i = 0; i < inputs.size(); i++) {
                    boolean same = schemas.get(i).equals(schema);
                    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
                    try (ParquetReader<Group> reader = new GroupReader(HadoopInputFile.fromPath(inputs.get(i), conf),
                            parquetConf).build()) {
                        for (Group g = reader.read(); g != null; g = reader.read()) {
                            writer.write(same ? g : copy(g, groups.newGroup()));
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

    /**
     * The schema of the first file with the optional columns of the others that it lacks appended, in
     * the order first seen.
     *
     * @throws IllegalStateException if the files differ in anything else: a column of another type or
     *                               repetition, a nested column, or a required column some file lacks
     */
    static MessageType union(List<Path> inputs, List<MessageType> schemas) {
        MessageType first = schemas.get(0);
        Map<String, Type> fields = new LinkedHashMap<>();
        for (int i = 0; i < schemas.size(); i++) {
            for (Type t : schemas.get(i).getFields()) {
                Type seen = fields.putIfAbsent(t.getName(), t);
                if (!t.isPrimitive() || (seen != null && !seen.equals(t))) {
                    throw mismatch(first, inputs.get(0), schemas.get(i), inputs.get(i));
                }
            }
        }
        for (int i = 0; i < schemas.size(); i++) {
            for (Type t : fields.values()) {
                if (!schemas.get(i).containsField(t.getName()) && t.isRepetition(Type.Repetition.REQUIRED)) {
                    throw mismatch(first, inputs.get(0), schemas.get(i), inputs.get(i));
                }
            }
        }
        return new MessageType(first.getName(), new ArrayList<>(fields.values()));
    }

    private static IllegalStateException mismatch(MessageType expected, Path from, MessageType found, Path in) {
        return new IllegalStateException("files of one bin must share a flat schema, up to optional columns that some"
                + " lack: expected " + expected + " (from " + from + "), found " + found + " in " + in);
    }

    /** Copies a flat group's values into a group of a wider schema, by column name. */
    private static Group copy(Group from, Group to) {
        GroupType type = from.getType();
        for (int f = 0; f < type.getFieldCount(); f++) {
            String name = type.getFieldName(f);
            for (int r = 0; r < from.getFieldRepetitionCount(f); r++) {
                switch (type.getType(f).asPrimitiveType().getPrimitiveTypeName()) {
                    case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> to.add(name, from.getBinary(f, r));
                    case INT32 -> to.add(name, from.getInteger(f, r));
                    case INT64 -> to.add(name, from.getLong(f, r));
                    case DOUBLE -> to.add(name, from.getDouble(f, r));
                    case FLOAT -> to.add(name, from.getFloat(f, r));
                    case BOOLEAN -> to.add(name, from.getBoolean(f, r));
                }
            }
        }
        return to;
    }

    private MessageType schema(Path p) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(p, conf), readOptions)) {
            return r.getFooter().getFileMetaData().getSchema();
        }
    }

    /**
     * Reads a file's rows as groups with the rewriter's configuration: the reader's own builder would
     * create (and parse) a new Hadoop configuration for every file, which costs more than reading a
     * small file.
     */
    private static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(InputFile file, ParquetConfiguration conf) {
            super(file, conf);
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }
}
