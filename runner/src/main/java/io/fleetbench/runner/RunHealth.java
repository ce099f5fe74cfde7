package io.fleetbench.runner;

import io.fleetbench.report.RunReport;
import io.fleetbench.runner.live.RunRecorder;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The run's own process at the start and the end of its load, from the live samples: what a soak shows
 * to be flat (heap after collection, threads, open files, the sink's commit latency) or not.
 */
final class RunHealth {
    private RunHealth() {
    }

    /**
     * The second tenth and the last tenth of the load, or null when the history holds no sample of the
     * process in either.
     *
     * @param history        the recorder's points
     * @param loadStartMillis when the load started, epoch milliseconds
     * @param loadEndMillis   when it ended
     */
    static RunReport.Health of(List<RunRecorder.Point> history, long loadStartMillis, long loadEndMillis) {
        long length = loadEndMillis - loadStartMillis;
        if (length <= 0) {
            return null;
        }
        RunReport.HealthWindow start = window(history, loadStartMillis, loadStartMillis + length / 10,
                loadStartMillis + length / 5);
        RunReport.HealthWindow end = window(history, loadStartMillis, loadEndMillis - length / 10, loadEndMillis);
        return start == null || end == null ? null : new RunReport.Health(start, end);
    }

    private static RunReport.HealthWindow window(List<RunRecorder.Point> history, long origin, long from, long to) {
        List<Map<String, Double>> in = history.stream().filter(p -> p.t() > from && p.t() <= to)
                .map(RunRecorder.Point::values).toList();
        if (in.isEmpty()) {
            return null;
        }
        return new RunReport.HealthWindow((from - origin) / 1e3, (to - origin) / 1e3, mean(in, "process.heap_after_gc"),
                mean(in, "process.threads"), mean(in, "process.open_files"), mean(in, "commit.p50"),
                mean(in, "commit.p99"));
    }

    private static Double mean(List<Map<String, Double>> points, String key) {
        Function<Map<String, Double>, Double> get = m -> m.get(key);
        double[] sum = {0, 0};
        points.stream().map(get).filter(x -> x != null).forEach(x -> {
            sum[0] += x;
            sum[1]++;
        });
        return sum[1] == 0 ? null : sum[0] / sum[1];
    }
}
