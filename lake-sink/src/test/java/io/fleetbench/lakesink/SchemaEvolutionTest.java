package io.fleetbench.lakesink;

import io.delta.standalone.types.IntegerType;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.fleetbench.telemetry.EventFamily;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaEvolutionTest {
    private static final StructField ID = new StructField("event_id", new StringType(), false);
    private static final StructField SEQ = new StructField("seq", new LongType(), false);
    private static final StructField HOUR = new StructField("event_hour", new IntegerType(), false);
    private static final StructField FIRMWARE = new StructField("firmware_version", new StringType(), true);
    private static final StructField EXTRAS = new StructField("extras", new StringType(), true);

    private static StructType schema(StructField... fields) {
        return new StructType(fields);
    }

    @Test
    void addsTheMissingNullableColumnsAfterTheTablesOwn() {
        StructType found = schema(ID, SEQ, HOUR);
        StructType evolved = SchemaEvolution.evolve("t", found, schema(ID, SEQ, FIRMWARE, EXTRAS, HOUR)).orElseThrow();
        assertEquals(schema(ID, SEQ, HOUR, FIRMWARE, EXTRAS), evolved);
        assertEquals(List.of("firmware_version", "extras"), SchemaEvolution.addedColumns(found, evolved));
    }

    @Test
    void aTableWithEveryColumnNeedsNothingWhateverTheOrder() {
        StructType expected = schema(ID, SEQ, FIRMWARE, EXTRAS, HOUR);
        assertEquals(Optional.empty(), SchemaEvolution.evolve("t", expected, expected));
        assertEquals(Optional.empty(), SchemaEvolution.evolve("t", schema(ID, SEQ, HOUR, FIRMWARE, EXTRAS), expected));
    }

    @Test
    void aNullableColumnOfANewerBuildIsLeftAlone() {
        StructField later = new StructField("tyre_tread_mm", new StringType(), true);
        assertEquals(Optional.empty(), SchemaEvolution.evolve("t", schema(ID, SEQ, later), schema(ID, SEQ)));
    }

    @Test
    void everyOtherDifferenceIsRefusedNamingTheTableAndColumn() {
        StructType expected = schema(ID, SEQ, FIRMWARE);
        IllegalStateException typeChanged = assertThrows(IllegalStateException.class, () -> SchemaEvolution.evolve("lake/car",
                schema(ID, new StructField("seq", new IntegerType(), false), FIRMWARE), expected));
        assertTrue(typeChanged.getMessage().startsWith("table lake/car: its schema cannot take this build's rows"),
                typeChanged.getMessage());
        assertTrue(typeChanged.getMessage().contains("column seq is seq int (not null), expected seq bigint (not null)"),
                typeChanged.getMessage());

        IllegalStateException requiredMissing = assertThrows(IllegalStateException.class,
                () -> SchemaEvolution.evolve("t", schema(ID), expected));
        assertTrue(requiredMissing.getMessage().contains("required column seq bigint (not null) is missing"),
                requiredMissing.getMessage());

        IllegalStateException nowNullable = assertThrows(IllegalStateException.class,
                () -> SchemaEvolution.evolve("t", schema(ID, SEQ, new StructField("firmware_version", new StringType(), false)),
                        expected));
        assertTrue(nowNullable.getMessage().contains("column firmware_version is firmware_version string (not null)"),
                nowNullable.getMessage());

        IllegalStateException requiredExtra = assertThrows(IllegalStateException.class,
                () -> SchemaEvolution.evolve("t", schema(ID, SEQ, HOUR), schema(ID, SEQ)));
        assertTrue(requiredExtra.getMessage().contains("required column event_hour int (not null) is not one this"
                + " build writes"), requiredExtra.getMessage());
    }

    @Test
    void theEventTablesCarryTheOptionalColumnsAndTheProvenanceAsNullableOnes() {
        StructType car = DeltaTable.schema(EventFamily.CAR_TELEMETRY);
        List<String> nullable = Arrays.stream(car.getFields()).filter(StructField::isNullable).map(StructField::getName)
                .toList();
        assertEquals(List.of("firmware_version", "extras", "shard", "sequence_number", "sub_sequence_number"), nullable);
        List<String> names = Arrays.stream(car.getFields()).map(StructField::getName).toList();
        assertEquals(List.of("extras", "shard", "sequence_number", "sub_sequence_number", "event_date", "event_hour"),
                names.subList(names.size() - 6, names.size()), "after the event's columns, before the partition columns");
        assertEquals("string", car.get("shard").getDataType().getSimpleString());
        assertEquals("string", car.get("sequence_number").getDataType().getSimpleString(), "up to 128-bit decimals");
        assertEquals("bigint", car.get("sub_sequence_number").getDataType().getSimpleString());
    }
}
