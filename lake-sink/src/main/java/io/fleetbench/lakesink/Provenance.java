package io.fleetbench.lakesink;

import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.util.List;

/**
 * The columns that say where in the stream a row came from, named as in the dead-letter table. They
 * end every event table's columns, after the event's own (and, in a new table, before the partition
 * columns):
 *
 * <ul>
 *   <li>{@value #SHARD}, string: the shard the record was read from, e.g. {@code shardId-000000000003};</li>
 *   <li>{@value #SEQUENCE_NUMBER}, string: the record's sequence number in the shard, in decimal (Kinesis
 *       sequence numbers are up to 128 bits);</li>
 *   <li>{@value #SUB_SEQUENCE_NUMBER}, long: the index of a user record within the KPL aggregate it was
 *       de-aggregated from, from 0; 0 for a record that was not aggregated.</li>
 * </ul>
 *
 * <p>Two rows of one event id at the same stream position are one record written twice (a pipeline
 * duplicate); at different positions, the producer sent the event twice.
 *
 * <p>The sink fills them in every row it writes, yet they are nullable in the event tables and their
 * data files: Delta adds no required column to a table that has rows, so a table created before these
 * columns gains them as nullable ones when this build opens it (see {@link SchemaEvolution}), its
 * earlier rows read null there, and the compactor merges files from before and after, as it does for
 * any added nullable column. New tables have the same schema, whatever their age. The dead-letter
 * table has always had them, as required columns.
 */
public final class Provenance {
    /** The shard id column. */
    public static final String SHARD = "shard";
    /** The sequence number column, in decimal. */
    public static final String SEQUENCE_NUMBER = "sequence_number";
    /** The sub-sequence number column. */
    public static final String SUB_SEQUENCE_NUMBER = "sub_sequence_number";

    private Provenance() {
    }

    /** The columns in a Delta schema, in order. */
    static List<StructField> deltaFields(boolean nullable) {
        return List.of(
                new StructField(SHARD, new StringType(), nullable),
                new StructField(SEQUENCE_NUMBER, new StringType(), nullable),
                new StructField(SUB_SEQUENCE_NUMBER, new LongType(), nullable));
    }

    /** The columns in a Parquet schema, in order. */
    static List<Type> parquetFields(Type.Repetition repetition) {
        return List.of(
                Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType())
                        .named(SHARD),
                Types.primitive(PrimitiveTypeName.BINARY, repetition).as(LogicalTypeAnnotation.stringType())
                        .named(SEQUENCE_NUMBER),
                Types.primitive(PrimitiveTypeName.INT64, repetition).named(SUB_SEQUENCE_NUMBER));
    }
}
