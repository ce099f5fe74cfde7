package io.fleetbench.runner.audit;

import io.fleetbench.report.RunReport;
import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.manifest.Outcome;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The verdict of an exact audit: the events in the lake compared, as sets, with what the producers
 * recorded in their acknowledgement manifests.
 * <ul>
 *   <li><b>lost</b>: acknowledged, not in the event tables (a failure). Events sent malformed on purpose,
 *       or with a schema version the pipeline cannot decode, belong in the dead-letter table instead.</li>
 *   <li><b>unexpected</b>: in the event tables, never acknowledged (a failure), except the ambiguous ones
 *       (given up after an attempt whose outcome was unknown: they may have landed). With an incomplete
 *       manifest (a killed run), events it does not record at all were sent after its last flush and are
 *       counted apart, not judged.</li>
 *   <li><b>duplicates by cause</b>: an event at the same stream position more than once is a
 *       <b>pipeline</b> duplicate (a failure); the same event at different positions is a <b>producer
 *       re-send</b>, reported with its cause as the manifest knows it (re-sent after an ambiguous attempt,
 *       sent twice by the duplicate fault, sent again after a reshard, or not recorded). A table that keeps
 *       no positions (written before rows kept them) counts a repeat as a re-send when the manifest explains
 *       it, else as a pipeline
 *       duplicate.</li>
 *   <li><b>dead letters</b>: the dead-letter table's rows at distinct stream positions must number the
 *       acknowledged events sent malformed (or with an undecodable schema version), up to the ambiguous or
 *       re-sent ones among them; and when the consumer's own count of invalid records is known, equal it.</li>
 *   <li><b>foreign rows</b>: rows whose event id is not this fleet's (a failure: the lake must hold only the
 *       run's events).</li>
 * </ul>
 */
public final class AuditRules {
    /** Re-send causes, as reported. */
    static final String RESENT_AFTER_AMBIGUOUS = "resent_after_ambiguous";
    static final String DUPLICATE_FAULT = "duplicate_fault";
    static final String REAGGREGATED_AFTER_RESHARD = "reaggregated_after_reshard";
    static final String AMBIGUOUS_ATTEMPTS = "ambiguous_attempts";
    static final String NOT_RECORDED = "not_recorded";

    private AuditRules() {
    }

    /**
     * What the dead-letter table holds.
     *
     * @param rows               its rows
     * @param distinctPositions  rows at distinct stream positions
     */
    record DeadLetters(long rows, long distinctPositions) {
    }

    /**
     * Judges a tally of the lake.
     *
     * @param schemaChangeVersion the schema version the profile's schema change sends (records above
     *                            {@link EventSchema#NEWEST_VERSION} belong in the dead-letter table)
     * @param invalidRecords      what the consumer counted as invalid, or null if unknown (a team's pipeline,
     *                            or an audit after the run)
     * @param unbalanced          why the producer's accounts do not balance, if they do not
     */
    static RunReport.Audit judge(ExpectedEvents expected, LakeTally tally, DeadLetters deadLetters,
                                 int schemaChangeVersion, Long invalidRecords, Optional<String> unbalanced) {
        EventBitmap acked = expected.bits(Outcome.ACKNOWLEDGED);
        EventBitmap ambiguous = expected.bits(Outcome.AMBIGUOUS);
        EventBitmap malformed = expected.bits(Outcome.MALFORMED_SENT);
        EventBitmap newer = schemaChangeVersion > EventSchema.NEWEST_VERSION ? expected.bits(Outcome.NEWER_SCHEMA_SENT)
                : null;
        EventBitmap resent = expected.bits(Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS);
        EventBitmap seen = tally.seen();
        boolean complete = expected.complete();

        EventBitmap streamLost = expected.streamLost();
        long lost = 0;
        long lostWithStream = 0;
        long unexpected = 0;
        long ambiguousLanded = 0;
        long notRecorded = 0;
        long deadLetterMin = 0;
        long deadLetterMax = 0;
        long distinct = 0;
        List<String> lostExamples = new ArrayList<>();
        List<String> unexpectedExamples = new ArrayList<>();
        Set<Long> lostDevices = new HashSet<>();
        for (int w = 0; w < seen.wordCount(); w++) {
            long s = seen.word(w);
            long a = acked.word(w);
            long g = word(ambiguous, w);
            long invalid = word(malformed, w) | word(newer, w);
            distinct += Long.bitCount(s);
            // Acknowledged, not a dead letter by design, and not in the tables; the fault's loss apart.
            long missing = a & ~invalid & ~s;
            long destroyed = missing & word(streamLost, w);
            lostWithStream += Long.bitCount(destroyed);
            missing &= ~destroyed;
            // In the tables, not acknowledged, not ambiguous.
            long extra = s & ~a & ~g;
            if (!complete) {
                // Not recorded at all: sent after the manifest's last flush.
                long recorded = a | g | word(expected.bits(Outcome.FAILED), w) | invalid;
                long unrecorded = extra & ~recorded;
                notRecorded += Long.bitCount(unrecorded);
                extra &= recorded;
            }
            lost += Long.bitCount(missing);
            unexpected += Long.bitCount(extra);
            ambiguousLanded += Long.bitCount(s & g);
            deadLetterMin += Long.bitCount(invalid & a);
            deadLetterMax += Long.bitCount(invalid & (a | g)) + Long.bitCount(invalid & a & word(resent, w));
            example(missing, w, expected, lostExamples, lostDevices);
            example(extra, w, expected, unexpectedExamples, null);
        }
        notRecorded += tally.beyondManifestRows() > 0 && !complete ? tally.beyondManifestRows() : 0;
        if (complete) {
            unexpected += tally.beyondManifestRows();
            for (String e : tally.beyondManifestExamples()) {
                if (unexpectedExamples.size() < LakeTally.EXAMPLES) {
                    unexpectedExamples.add(e);
                }
            }
        }

        // Repeats: same position = pipeline duplicate; different positions = producer re-send.
        long pipelineDuplicates = 0;
        long resends = 0;
        Map<String, Long> byCause = new TreeMap<>();
        List<String> duplicateExamples = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : tally.repeatedPositions().entrySet()) {
            long index = e.getKey();
            List<String> at = e.getValue();
            Set<String> distinctPositions = new HashSet<>();
            long unknown = 0;
            for (String p : at) {
                if (p == null) {
                    unknown++;
                } else {
                    distinctPositions.add(p);
                }
            }
            long samePosition = at.size() - unknown - distinctPositions.size();
            long differentPositions = Math.max(0, distinctPositions.size() - 1);
            String cause = cause(expected, index);
            if (unknown > 0) {
                // Without positions a repeat is a re-send only when the manifest explains one.
                long extraRows = distinctPositions.isEmpty() ? unknown - 1 : unknown;
                if (!NOT_RECORDED.equals(cause)) {
                    differentPositions += extraRows;
                } else {
                    samePosition += extraRows;
                }
            }
            pipelineDuplicates += samePosition;
            if (samePosition > 0 && duplicateExamples.size() < LakeTally.EXAMPLES) {
                duplicateExamples.add(ExpectedEvents.describe(expected.key(index)) + " at " + firstRepeated(at));
            }
            if (differentPositions > 0) {
                resends += differentPositions;
                byCause.merge(cause, differentPositions, Long::sum);
            }
        }

        long ackedCount = acked.cardinality();
        long rows = tally.tables().values().stream().mapToLong(t -> t.rows).sum();
        long newerSchemaRows = tally.tables().values().stream().mapToLong(t -> t.newerSchemaRows).sum();
        List<String> problems = new ArrayList<>();
        if (lost > 0) {
            problems.add(String.format("%,d acknowledged events are not in the lake (%,d devices), e.g. %s",
                    lost, lostDevices.size(), String.join(", ", lostExamples)));
        }
        if (unexpected > 0) {
            problems.add(String.format("%,d events are in the lake that the producer never had acknowledged, e.g. %s",
                    unexpected, String.join(", ", unexpectedExamples)));
        }
        if (pipelineDuplicates > 0) {
            problems.add(String.format("%,d rows repeat an event at the same stream position: written twice by the"
                    + " pipeline, e.g. %s", pipelineDuplicates, String.join(", ", duplicateExamples)));
        }
        if (tally.foreignRows() > 0) {
            problems.add(String.format("%,d rows have event ids that are not this fleet's (seed %d), e.g. %s: the lake"
                            + " must hold only the run's events", tally.foreignRows(), expected.headers().get(0).seed(),
                    String.join(", ", tally.foreignExamples())));
        }
        long deadLetterDuplicates = deadLetters.rows() - deadLetters.distinctPositions();
        if (deadLetterDuplicates > 0) {
            problems.add(String.format("%,d dead letters repeat a stream position: written twice by the pipeline",
                    deadLetterDuplicates));
        }
        if (deadLetters.distinctPositions() < deadLetterMin || deadLetters.distinctPositions() > deadLetterMax) {
            problems.add(String.format("the dead-letter table holds %,d records, expected %s (the acknowledged events"
                            + " sent malformed%s)", deadLetters.distinctPositions(), range(deadLetterMin, deadLetterMax),
                    newer != null ? " or with schema version " + schemaChangeVersion : ""));
        }
        if (invalidRecords != null && deadLetterMin == deadLetterMax && invalidRecords != deadLetterMin) {
            problems.add(String.format("the consumer counted %,d invalid records, expected %,d", invalidRecords,
                    deadLetterMin));
        }
        unbalanced.ifPresent(problems::add);
        return new RunReport.Audit(problems.isEmpty(), complete, ackedCount, rows, distinct, lost, lostWithStream, unexpected,
                expected.count(Outcome.AMBIGUOUS), ambiguousLanded, notRecorded, tally.foreignRows(),
                pipelineDuplicates + Math.max(0, deadLetterDuplicates), resends, byCause,
                deadLetters.distinctPositions(), deadLetterMin, deadLetterMax, invalidRecords, newerSchemaRows,
                unbalanced.isEmpty(), lostExamples, unexpectedExamples, problems);
    }

    /** Why an event may be in the stream more than once, as its manifest knows it. */
    private static String cause(ExpectedEvents expected, long index) {
        if (expected.has(Outcome.DUPLICATE_SENT, index)) {
            return DUPLICATE_FAULT;
        }
        if (expected.has(Outcome.REAGGREGATED, index)) {
            return REAGGREGATED_AFTER_RESHARD;
        }
        if (expected.has(Outcome.ACKNOWLEDGED_AFTER_AMBIGUOUS, index)) {
            return RESENT_AFTER_AMBIGUOUS;
        }
        if (expected.has(Outcome.AMBIGUOUS, index)) {
            return AMBIGUOUS_ATTEMPTS;
        }
        return NOT_RECORDED;
    }

    private static String firstRepeated(List<String> positions) {
        Set<String> s = new HashSet<>();
        for (String p : positions) {
            if (p != null && !s.add(p)) {
                return p;
            }
        }
        return "an unrecorded position";
    }

    private static void example(long bits, int w, ExpectedEvents expected, List<String> examples, Set<Long> devices) {
        while (bits != 0) {
            int b = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            long key = expected.key(((long) w << 6) + b);
            if (devices != null) {
                devices.add(key & ~EventIds.MAX_SEQ);
            }
            if (examples.size() < LakeTally.EXAMPLES) {
                examples.add(ExpectedEvents.describe(key));
            } else if (devices == null) {
                return;
            }
        }
    }

    private static long word(EventBitmap bits, int w) {
        return bits == null ? 0 : bits.word(w);
    }

    private static String range(long min, long max) {
        return min == max ? String.format("%,d", min) : String.format("%,d to %,d", min, max);
    }
}
