package io.fleetbench.profile;

import java.util.Locale;
import java.util.stream.Collectors;

/** One paragraph saying what a profile would do, for {@code profiles validate} and the start of a run. */
public final class ProfileSummary {
    private ProfileSummary() {
    }

    /** What the profile would do: load, fleet, faults, producer, stream and compaction. */
    public static String describe(LoadProfile p) {
        StringBuilder b = new StringBuilder();
        LoadProfile.Load load = p.load();
        if (load.arrivalRate() != null) {
            LoadProfile.ArrivalRate a = load.arrivalRate();
            b.append(String.format(Locale.ROOT, "arrival rate, %,d events over %s (%,.0f events/s on average) in %d stage%s: ",
                    p.targetEvents(), Durations.format(p.duration()), p.rate(), a.stages().size(),
                    a.stages().size() == 1 ? "" : "s"));
            double from = a.startRate();
            StringBuilder stages = new StringBuilder();
            for (LoadProfile.Stage s : a.stages()) {
                stages.append(stages.isEmpty() ? "" : ", ").append(from == s.target()
                        ? String.format(Locale.ROOT, "%,.0f/s for %s", s.target(), Durations.format(s.duration()))
                        : String.format(Locale.ROOT, "%,.0f->%,.0f/s over %s", from, s.target(), Durations.format(s.duration())));
                from = s.target();
            }
            b.append(stages);
        } else if (load.maxRateSearch() != null) {
            LoadProfile.MaxRateSearch m = load.maxRateSearch();
            b.append(String.format(Locale.ROOT,
                    "maximum-rate search, steps of %s at %s events/s until more than %.2f %% fall short or put p99 exceeds %s; at most %s",
                    Durations.format(m.stepDuration()), m.rates().stream()
                            .map(r -> String.format(Locale.ROOT, "%,.0f", r)).collect(Collectors.joining(", ")),
                    100 * m.maxShortfall(), Durations.format(m.maxP99()), Durations.format(p.duration())));
        } else {
            LoadProfile.FleetDriven f = load.fleetDriven();
            b.append(String.format(Locale.ROOT,
                    "fleet-driven for %s from %s at %.0fx time compression, at most %,d events (every device reporting at every interval)",
                    Durations.format(p.duration()), f.startAt(), f.timeCompression(), p.targetEvents()));
        }
        LoadProfile.Fleet fl = p.fleet();
        b.append(String.format(Locale.ROOT, "; fleet seed %d: %,d cars (%.0f %% electric, every %s), %,d bikes (every %s, classes every %s)",
                fl.seed(), fl.cars().count(), 100 * fl.cars().electricShare(), Durations.format(fl.cars().reportingInterval()),
                fl.bikes().count(), Durations.format(fl.bikes().reportingInterval()), Durations.format(fl.bikes().classes().every())));
        if (fl.hotDevices().share() > 0) {
            b.append(String.format(Locale.ROOT, "; %.2f %% hot devices send %.0f %% of events", 100 * fl.hotDevices().share(),
                    100 * fl.hotDevices().trafficShare()));
        }
        LoadProfile.Faults f = p.faults();
        if (f.any()) {
            b.append("; faults:");
            if (f.offline() != null) {
                b.append(String.format(Locale.ROOT, " %.2f %% offline for %s,", 100 * f.offline().share(), Durations.format(f.offline().duration())));
            }
            if (f.duplicates() > 0) {
                b.append(String.format(Locale.ROOT, " %.3f %% duplicates,", 100 * f.duplicates()));
            }
            if (f.clockDrift() != null) {
                b.append(String.format(Locale.ROOT, " %.2f %% drifting clocks up to %s,", 100 * f.clockDrift().share(),
                        Durations.format(f.clockDrift().max())));
            }
            if (f.malformed() > 0) {
                b.append(String.format(Locale.ROOT, " %.3f %% malformed,", 100 * f.malformed()));
            }
            if (f.schemaChange() != null) {
                b.append(String.format(Locale.ROOT, " schema v%d from %s,", f.schemaChange().version(), f.schemaChange().at()));
            }
            b.setLength(b.length() - 1);
        }
        LoadProfile.Infrastructure inf = p.infrastructure();
        if (inf.any()) {
            b.append("; infrastructure faults on ").append(String.join(", ", inf.targets())).append(':');
            if (inf.stall() != null) {
                b.append(String.format(Locale.ROOT, " a stall of %s from %s after the first put,",
                        Durations.format(inf.stall().duration()), Durations.format(inf.stall().at())));
            }
            if (inf.latency() != null) {
                b.append(" latency ").append(Durations.format(inf.latency().delay()))
                        .append(inf.latency().jitter().isZero() ? "" : " + up to " + Durations.format(inf.latency().jitter()))
                        .append(',');
            }
            appendShare(b, inf.resets().before(), "reset before forwarding");
            appendShare(b, inf.resets().after(), "reset after forwarding");
            appendShare(b, inf.errors().internalFailure(), "HTTP 500");
            appendShare(b, inf.errors().serviceUnavailable(), "HTTP 503");
            b.setLength(b.length() - 1);
            b.append(" (seed ").append(inf.seed()).append(')');
        }
        if (!inf.restarts().isEmpty()) {
            b.append("; emulators restarted:");
            for (LoadProfile.Restart r : inf.restarts()) {
                b.append(' ').append(r.emulator()).append(" at ").append(Durations.format(r.at())).append(',');
            }
            b.setLength(b.length() - 1);
        }
        if (p.target() == LoadProfile.Target.HTTP) {
            LoadProfile.Http h = p.http();
            LoadProfile.Batching bt = h.batching();
            LoadProfile.Auth a = h.auth();
            String auth = a.apiKey() != null ? "api key in " + a.apiKey().header() : a.bearer() != null ? "bearer token"
                    : a.sigv4() != null ? "SigV4 for " + a.sigv4().service() + " in " + a.sigv4().region() : "none";
            b.append(String.format(Locale.ROOT, "; http to %s: %s bodies over HTTP/%s, %d connections, cars %s, bikes"
                            + " %s, auth %s", h.url() != null ? h.url()
                            : "the run's own ingestion endpoint (buffer " + h.endpoint().maxBufferedEvents() + " events"
                            + (h.endpoint().faults().any() ? ", faults" : "") + ")", h.format(), h.version(),
                    h.maxConnections(), batch(bt.cars()), batch(bt.bikes()), auth));
        }
        LoadProfile.Producer pr = p.producer();
        b.append(String.format(Locale.ROOT,
                "; producer: aggregation %s, %d requests in flight, ttl %s, call timeout %s%s; %d shards",
                pr.aggregation() ? "on" : "off", pr.maxInFlightRequests(), Durations.format(pr.recordTtl()),
                Durations.format(pr.apiCallTimeout()), pr.shardLimits() ? ", shard limits enforced" : "",
                p.stream().shards()));
        LoadProfile.Compaction c = p.compaction();
        if (c.enabled()) {
            b.append(String.format(Locale.ROOT, "; compaction every %s toward %s files, %s",
                    Durations.format(c.interval()), new DataSize(c.targetFileBytes(p.sink())),
                    c.includeOpenPartitions() ? "open partitions too"
                            : "partitions closed for " + Durations.format(c.closedAfter())));
        } else {
            b.append("; compaction off");
        }
        if (!p.thresholds().isEmpty()) {
            b.append("; thresholds: ").append(p.thresholds().stream().map(t -> t.key() + " " + t.condition()
                            + (!t.abortOnFail() ? "" : t.delayAbortEval().isZero() ? " (abortOnFail)"
                            : " (abortOnFail after " + Durations.format(t.delayAbortEval()) + ")"))
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        return b.toString();
    }

    private static void appendShare(StringBuilder b, double share, String what) {
        if (share > 0) {
            b.append(String.format(Locale.ROOT, " %.2f %% %s,", 100 * share, what));
        }
    }

    private static String batch(LoadProfile.Batch b) {
        return b.size() == 1 ? "1 event a request"
                : "up to " + b.size() + " events a request within " + Durations.format(b.interval());
    }
}
