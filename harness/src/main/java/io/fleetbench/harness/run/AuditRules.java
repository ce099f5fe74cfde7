package io.fleetbench.harness.run;

import io.fleetbench.simulator.FaultCounts;
import io.fleetbench.simulator.SimulatorStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges the lake against what the simulator sent. Every acknowledged event must land exactly once,
 * except: malformed records and records of a newer schema version, which the consumer must count as
 * invalid and the dead-letter table hold instead, one row each; and the producer's deliberate
 * duplicate sends, which arrive under the same event id. Failed events may or may not have landed (a timed-out request can still have been
 * written), so with failures the expected distinct count is a range.
 */
final class AuditRules {

    private AuditRules() {
    }

    /**
     * The lake as the independent reader saw it, what the consumer counted as invalid, and the rows
     * of the dead-letter table.
     */
    record Lake(long rows, long distinctEventIds, long invalidRecords, long deadLetters) {
    }

    static RunReport.Audit judge(SimulatorStats s, Lake lake, Optional<String> unbalanced) {
        FaultCounts f = s.faults();
        long invalid = expectedInvalid(f);
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
            problems.add(String.format("the consumer counted %,d invalid records, expected %,d (%,d malformed, %,d of a newer schema)",
                    lake.invalidRecords(), invalid, f.malformed(), f.schemaChanged()));
        }
        if (s.failed() == 0 && lake.deadLetters() != invalid) {
            problems.add(String.format("the dead-letter table holds %,d rows, expected one for each of the %,d invalid records",
                    lake.deadLetters(), invalid));
        }
        unbalanced.ifPresent(problems::add);
        return new RunReport.Audit(problems.isEmpty(), s.acknowledged(), lake.rows(), lake.distinctEventIds(), min, max,
                lost, Math.max(0, unexplained), f.duplicates(), lake.invalidRecords(), invalid, lake.deadLetters(),
                unbalanced.isEmpty(), problems);
    }

    /** Malformed records and records of a newer schema version never become rows. */
    private static long expectedInvalid(FaultCounts f) {
        return f.malformed() + f.schemaChanged();
    }

    private static String range(long min, long max) {
        return min == max ? String.format("%,d", min) : String.format("%,d to %,d", min, max);
    }
}
