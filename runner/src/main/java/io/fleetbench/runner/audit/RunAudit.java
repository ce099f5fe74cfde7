package io.fleetbench.runner.audit;

import io.fleetbench.report.RunReport;
import io.fleetbench.runner.pipeline.LakeLayout;
import io.fleetbench.simulator.SimulatorStats;
import io.fleetbench.telemetry.EventFamily;
import io.fleetbench.telemetry.EventSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The end of a run: the lake a pipeline wrote, read with an independent reader (delta-kernel), table by
 * table, and judged by {@link AuditRules} against what the simulator sent.
 */
public final class RunAudit {
    private RunAudit() {
    }

    /**
     * What the lake holds and the verdict.
     *
     * @param tables per event table, what the reader found
     * @param audit  the verdict
     */
    public record Result(List<RunReport.Table> tables, RunReport.Audit audit) {
    }

    /**
     * Reads and judges the lake.
     *
     * @param lake                where the tables are
     * @param sent                what the simulator sent and had acknowledged
     * @param invalidRecords      records the pipeline counted as invalid
     * @param freshness           per event table, the freshness the pipeline measured; absent tables have none
     * @param schemaChangeVersion the schema version the profile's schema change sends
     * @param unbalanced          why the load's fault counts cannot be balanced, if they cannot
     */
    public static Result judge(LakeLayout lake, SimulatorStats sent, long invalidRecords,
                               Map<String, RunReport.Freshness> freshness, int schemaChangeVersion,
                               Optional<String> unbalanced) {
        LakeCounts reader = new LakeCounts();
        List<RunReport.Table> tables = new ArrayList<>();
        long rows = 0;
        long distinct = 0;
        long newerSchemaRows = 0;
        for (EventFamily family : EventFamily.values()) {
            String path = lake.tablePath(family);
            TableCounts t = reader.audit(path);
            tables.add(new RunReport.Table(family.wireName(), path, t.rows(), t.distinctEventIds(), t.duplicateEventIds(),
                    t.files(), t.bytes(), freshness.get(family.wireName())));
            rows += t.rows();
            distinct += t.distinctEventIds();
            newerSchemaRows += t.rowsAboveSchemaVersion(EventSchema.CURRENT_VERSION);
        }
        long deadLetters = reader.deadLettersByReason(lake.deadLetterTablePath()).values().stream()
                .mapToLong(Long::longValue).sum();
        RunReport.Audit audit = AuditRules.judge(sent,
                new AuditRules.Lake(rows, distinct, invalidRecords, deadLetters, newerSchemaRows), schemaChangeVersion,
                unbalanced);
        return new Result(tables, audit);
    }
}
