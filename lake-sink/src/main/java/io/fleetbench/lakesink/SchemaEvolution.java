package io.fleetbench.lakesink;

import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides how an existing table's schema must change before this build writes to it. Pure, no I/O.
 *
 * <p>The only change made is Delta's "add columns": a nullable column this build writes and the table
 * lacks (a table created by an older build) is added after the table's columns, where Delta's own
 * schema evolution puts it. Rows already in the table then read as null there, and their data files
 * stay as they are. Any other difference is refused: a column of another type or nullability, a
 * missing required column, or a required column this build does not write. Nullable columns the table
 * has and this build does not write (added by a newer build) are left alone: rows written by this
 * build hold null there.
 */
final class SchemaEvolution {

    private SchemaEvolution() {
    }

    /**
     * The schema to give the table, or empty if it already has every column this build writes.
     *
     * @param table    names the table in messages
     * @param found    the table's schema
     * @param expected the schema this build writes
     * @throws IllegalStateException if the table cannot hold what this build writes by adding nullable columns
     */
    static Optional<StructType> evolve(String table, StructType found, StructType expected) {
        Map<String, StructField> foundByName = byName(found);
        Map<String, StructField> expectedByName = byName(expected);
        List<String> problems = new ArrayList<>();
        List<StructField> added = new ArrayList<>();
        for (StructField e : expected.getFields()) {
            StructField f = foundByName.get(e.getName());
            if (f == null) {
                if (e.isNullable()) {
                    added.add(e);
                } else {
                    problems.add("required column " + describe(e) + " is missing");
                }
            } else if (!f.getDataType().equals(e.getDataType()) || f.isNullable() != e.isNullable()) {
                problems.add("column " + e.getName() + " is " + describe(f) + ", expected " + describe(e));
            }
        }
        for (StructField f : found.getFields()) {
            if (!expectedByName.containsKey(f.getName()) && !f.isNullable()) {
                problems.add("required column " + describe(f) + " is not one this build writes");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("table " + table + ": its schema cannot take this build's rows by adding"
                    + " nullable columns: " + String.join("; ", problems) + " (expected " + expected.getTreeString()
                    + ", found " + found.getTreeString() + ")");
        }
        if (added.isEmpty()) {
            return Optional.empty();
        }
        List<StructField> fields = new ArrayList<>(List.of(found.getFields()));
        fields.addAll(added);
        return Optional.of(new StructType(fields.toArray(StructField[]::new)));
    }

    /** The names of the columns {@code evolved} has and {@code found} lacks, in order. */
    static List<String> addedColumns(StructType found, StructType evolved) {
        Map<String, StructField> before = byName(found);
        List<String> names = new ArrayList<>();
        for (StructField f : evolved.getFields()) {
            if (!before.containsKey(f.getName())) {
                names.add(f.getName());
            }
        }
        return names;
    }

    private static Map<String, StructField> byName(StructType schema) {
        Map<String, StructField> m = new LinkedHashMap<>();
        for (StructField f : schema.getFields()) {
            m.put(f.getName(), f);
        }
        return m;
    }

    private static String describe(StructField f) {
        return f.getName() + " " + f.getDataType().getSimpleString() + (f.isNullable() ? " (nullable)" : " (not null)");
    }
}
