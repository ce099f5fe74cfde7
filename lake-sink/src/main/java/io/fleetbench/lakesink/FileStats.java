package io.fleetbench.lakesink;

import io.fleetbench.lake.FileStatsJson;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;

import java.time.Instant;
import java.util.List;

/**
 * Per-column statistics of one data file, gathered row by row and written as {@link FileStatsJson}, so
 * readers can skip files. Bounds are over the non-null values; a column with only nulls in the file has
 * none, and its nullCount equals numRecords.
 */
final class FileStats implements RowFormat.RowStats<TelemetryEvent> {
    private final List<Column> columns;
    private final long[] minLong;
    private final long[] maxLong;
    private final double[] minDouble;
    private final double[] maxDouble;
    private final String[] minString;
    private final String[] maxString;
    private final long[] nulls;
    private long rows;

    FileStats(EventSchema schema) {
        columns = schema.columns();
        int n = columns.size();
        minLong = new long[n];
        maxLong = new long[n];
        minDouble = new double[n];
        maxDouble = new double[n];
        minString = new String[n];
        maxString = new String[n];
        nulls = new long[n];
    }

    @Override
    public void add(TelemetryEvent event) {
        rows++;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.isNull(event)) {
                nulls[i]++;
                continue;
            }
            boolean first = rows - nulls[i] == 1;
            switch (c.type()) {
                case STRING -> {
                    String v = c.stringValue(event);
                    if (first || v.compareTo(minString[i]) < 0) {
                        minString[i] = v;
                    }
                    if (first || v.compareTo(maxString[i]) > 0) {
                        maxString[i] = v;
                    }
                }
                case INT, LONG, TIMESTAMP_MILLIS -> {
                    long v = c.longValue(event);
                    minLong[i] = first ? v : Math.min(minLong[i], v);
                    maxLong[i] = first ? v : Math.max(maxLong[i], v);
                }
                case DOUBLE -> {
                    double v = c.doubleValue(event);
                    minDouble[i] = first ? v : Math.min(minDouble[i], v);
                    maxDouble[i] = first ? v : Math.max(maxDouble[i], v);
                }
            }
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public String toEscapedJson() {
        return json().toEscapedJson();
    }

    /** The statistics as a JSON object; columns whose bounds cannot be stated exactly are left out. */
    String toJson() {
        return json().toJson();
    }

    private FileStatsJson json() {
        FileStatsJson json = new FileStatsJson(rows);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (nulls[i] < rows) {
                switch (c.type()) {
                    case STRING -> json.bounds(c.name(), minString[i], maxString[i]);
                    case INT, LONG -> json.bounds(c.name(), minLong[i], maxLong[i]);
                    case TIMESTAMP_MILLIS -> json.bounds(c.name(), Instant.ofEpochMilli(minLong[i]),
                            Instant.ofEpochMilli(maxLong[i]));
                    // A NaN makes both bounds NaN from then on (Math.min and max keep it), and NaN bounds are left out.
                    case DOUBLE -> json.bounds(c.name(), minDouble[i], maxDouble[i]);
                }
            }
            json.nullCount(c.name(), nulls[i]);
        }
        return json;
    }
}
