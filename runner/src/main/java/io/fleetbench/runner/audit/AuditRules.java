package io.fleetbench.runner.audit;

import io.fleetbench.report.RunReport;

import io.fleetbench.simulator.FaultCounts;
import io.fleetbench.simulator.SimulatorStats;
import io.fleetbench.telemetry.EventSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the lake against what the simulator sent. Every acknowledged event must land exactly once,
 * except: malformed records, which the consumer must count as invalid and the dead-letter table hold
 * instead, one row each; records of a newer schema version, which land as rows when the pipeline
 * decodes that version ({@link EventSchema#NEWEST_VERSION} and below), and are invalid like malformed
 * ones above it; and the producer's deliberate duplicate sends, which arrive under the same event id.
 * Failed events may or may not have landed (a timed-out request can still have been written), so
 * with failures the expected distinct count is a range.
 */
public final class AuditRules {

    private AuditRules() {
    }

    /**
     * The lake as the independent reader saw it, what the consumer counted as invalid, and the rows
     * of the dead-letter table.
     *
     * @param newerSchemaRows rows whose schema version is above {@link EventSchema#CURRENT_VERSION}
     */
    public record Lake(long rows, long distinctEventIds, long invalidRecords, long deadLetters, long newerSchemaRows) {
    }

    /**
     * @param schemaChangeVersion the schema version the profile's schema change sends; ignored when
     *                            the simulator counted no schema-changed records
     */
    public static RunReport.Audit judge(SimulatorStats s, Lake lake, int schemaChangeVersion, Optional<String> unbalanced) {
        FaultCounts f = s.faults();
        boolean newerSchemaLands = schemaChangeVersion <= EventSchema.NEWEST_VERSION;
        long invalid = f.malformed() + (newerSchemaLands ? 0 : f.schemaChanged());
        long newerSchema = newerSchemaLands ? f.schemaChanged() : 0;
        long max = s.acknowledged() + s.failed() - invalid - f.duplicates();
        long min = s.acknowledged() - invalid - f.duplicates() - s.failed();
        if (s.failed() == 0) {
            min = max;
        }
        List<String> problems = new ArrayList<>();
        long lost = Math.max(0, min - lake.distinctEventIds());
        if (lost > 0) {
            problems.add(String.format("%,d acknowledged events are not in the lake (expected %s distinct event ids, found %,d)",
                    lost, range(min, max), lake.distinctEventIds()));
        }
        if (lake.distinctEventIds() > max) {
            problems.add(String.format("the lake holds %,d distinct event ids, more than the %,d that can have been delivered",
                    lake.distinctEventIds(), max));
        }
        long repeated = lake.rows() - lake.distinctEventIds();
        long unexplained = repeated - f.duplicates();
        if (unexplained > 0) {
            problems.add(String.format("%,d rows repeat an event_id beyond the %,d duplicates the producer sent",
                    unexplained, f.duplicates()));
        }
        if (s.failed() == 0 && lake.invalidRecords() != invalid) {
            problems.add(String.format("the consumer counted %,d invalid records, expected %,d (%,d malformed, %,d of an"
                            + " unsupported schema version)", lake.invalidRecords(), invalid, f.malformed(),
                    f.schemaChanged() - newerSchema));
        }
        if (s.failed() == 0 && lake.newerSchemaRows() != newerSchema) {
            problems.add(String.format("the lake holds %,d rows of a schema version above %d, expected %,d"
                            + " (the records the schema change sent as version %d)", lake.newerSchemaRows(),
                    EventSchema.CURRENT_VERSION, newerSchema, schemaChangeVersion));
        }
        if (s.failed() == 0 && lake.deadLetters() != invalid) {
            problems.add(String.format("the dead-letter table holds %,d rows, expected one for each of the %,d invalid records",
                    lake.deadLetters(), invalid));
        }
        unbalanced.ifPresent(problems::add);
        return new RunReport.Audit(problems.isEmpty(), s.acknowledged(), lake.rows(), lake.distinctEventIds(), min, max,
                lost, Math.max(0, unexplained), f.duplicates(), lake.invalidRecords(), invalid, lake.deadLetters(),
                lake.newerSchemaRows(), newerSchema, unbalanced.isEmpty(), problems);
    }

    private static String range(long min, long max) {
        return min == max ? String.format("%,d", min) : String.format("%,d to %,d", min, max);
    }
}
