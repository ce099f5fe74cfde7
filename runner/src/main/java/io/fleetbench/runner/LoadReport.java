package io.fleetbench.runner;

import io.fleetbench.report.RunReport;

import io.fleetbench.profile.LoadProfile;
import io.fleetbench.simulator.LoadShape;
import io.fleetbench.simulator.ManifestWrites;
import io.fleetbench.simulator.MaxRateSearch;
import io.fleetbench.simulator.SimulatorResult;
import io.fleetbench.simulator.SimulatorStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The producer and load parts of a report, shared by {@code run} and {@code simulate}. */
final class LoadReport {
    private static final double NANOS_PER_SECOND = 1e9;

    private LoadReport() {
    }

    static RunReport.Producer producer(SimulatorResult result) {
        SimulatorStats s = result.stats();
        return new RunReport.Producer(s.targetRate(), result.sentPerSecond(), s.generated(), s.sent(), s.acknowledged(),
                s.failed(), s.failedByReason(), s.retried(), s.shortfall(), s.inFlight(), s.putLatency().p50Millis(),
                s.putLatency().p99Millis(), s.putLatency().maxMillis(), s.acknowledgedAfterAmbiguous(), s.ambiguous(),
                result.manifest().map(LoadReport::manifest).orElse(null), s.reaggregated());
    }

    /** How the acknowledgement manifest was written, named by its file in the run folder. */
    static RunReport.Manifest manifest(ManifestWrites w) {
        return new RunReport.Manifest(w.file().getFileName().toString(), w.complete(), w.writes(), w.bytes(),
                w.lastWrite().toNanos() / 1e6, w.longestWrite().toNanos() / 1e6, w.problem());
    }

    /**
     * The problem if the producer's accounts do not balance: every event sent must be acknowledged, failed or
     * ambiguous.
     */
    static Optional<String> unbalanced(SimulatorStats s) {
        if (s.sent() == s.acknowledged() + s.failed() + s.ambiguous() + s.inFlight() && s.inFlight() == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("producer accounts do not balance: sent %,d != acknowledged %,d + failed %,d"
                        + " + ambiguous %,d + in flight %,d", s.sent(), s.acknowledged(), s.failed(), s.ambiguous(),
                s.inFlight()));
    }

    static RunReport.Load load(LoadProfile profile, LoadShape shape, long[] shortfallByStage, SimulatorResult result) {
        SimulatorStats s = result.stats();
        List<RunReport.Stage> stages = new ArrayList<>();
        for (int i = 0; i < shortfallByStage.length; i++) {
            long start = shape.stageStartNanos(i);
            long end = ProfileMapping.stageEnd(shape, i, profile.duration()).toNanos();
            if (start >= result.generationTime().toNanos() && shortfallByStage[i] == 0) {
                break;
            }
            stages.add(new RunReport.Stage(i, start / NANOS_PER_SECOND, end / NANOS_PER_SECOND, shape.rateAt(start),
                    shape.rateAt(Math.max(start, end - 1)), shortfallByStage[i]));
        }
        long due = s.generated() + s.shortfall();
        RunReport.MaxRateSearch search = shape instanceof MaxRateSearch m ? search(m.outcome()) : null;
        return new RunReport.Load(kind(profile), s.shortfall() == 0, due, s.shortfall(),
                due == 0 ? 0 : (double) s.shortfall() / due, stages, search);
    }

    private static RunReport.MaxRateSearch search(MaxRateSearch.Outcome o) {
        return new RunReport.MaxRateSearch(o.sustainedRate(), o.stoppedBy(), o.steps().stream()
                .map(st -> new RunReport.SearchStep(st.step(), st.rate(), st.due(), st.shortfall(),
                        st.putLatencyP99Millis(), st.held()))
                .toList());
    }

    private static String kind(LoadProfile profile) {
        if (profile.load().maxRateSearch() != null) {
            return "max-rate-search";
        }
        return profile.load().fleetDriven() != null ? "fleet-driven" : "arrival-rate";
    }
}
