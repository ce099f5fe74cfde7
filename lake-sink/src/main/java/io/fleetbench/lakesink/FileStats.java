package io.fleetbench.lakesink;

import io.fleetbench.lake.FileStatsJson;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.telemetry.Column;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.TelemetryEvent;

import java.time.Instant;
import java.util.List;

/**
 * Per-column statistics of one data file, gathered row by row and written as {@link FileStatsJson}, so
 * readers can skip files: the event's columns, then the {@link Provenance} columns. Bounds are over the
 * non-null values; a column with only nulls in the file has none, and its nullCount equals numRecords.
 */
final class FileStats implements RowFormat.RowStats<SinkRecord> {
    private final List<Column> columns;
    private final String shard;
    private final long[] minLong;
    private final long[] maxLong;
    private final double[] minDouble;
    private final double[] maxDouble;
    private final String[] minString;
    private final String[] maxString;
    private final long[] nulls;
    private long rows;
    private String minSequence;
    private String maxSequence;
    private long minSubSequence;
    private long maxSubSequence;

    /**
     * @param shard the shard every row records
     */
    FileStats(EventSchema schema, String shard) {
        this.shard = shard;
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
    public void add(SinkRecord record) {
        TelemetryEvent event = record.event();
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
        String sequence = record.position().sequenceText();
        long subSequence = record.position().subSequence();
        if (rows == 1) {
            minSequence = sequence;
            maxSequence = sequence;
            minSubSequence = subSequence;
            maxSubSequence = subSequence;
        } else {
            // Delta compares strings as strings: "10" is below "9", so the bounds are taken as strings too.
            if (sequence.compareTo(minSequence) < 0) {
                minSequence = sequence;
            }
            if (sequence.compareTo(maxSequence) > 0) {
                maxSequence = sequence;
            }
            minSubSequence = Math.min(minSubSequence, subSequence);
            maxSubSequence = Math.max(maxSubSequence, subSequence);
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
        if (rows > 0) {
            json.bounds(Provenance.SHARD, shard, shard);
            json.bounds(Provenance.SEQUENCE_NUMBER, minSequence, maxSequence);
            json.bounds(Provenance.SUB_SEQUENCE_NUMBER, minSubSequence, maxSubSequence);
        }
        json.nullCount(Provenance.SHARD, 0);
        json.nullCount(Provenance.SEQUENCE_NUMBER, 0);
        json.nullCount(Provenance.SUB_SEQUENCE_NUMBER, 0);
        return json;
    }
}
