package io.fleetbench.benchmarks.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one client measured in one window, and what the endpoint did over the same window.
 *
 * @param seconds               the window's wall time
 * @param answered2xx           requests the client saw answered 2xx
 * @param answeredOther         requests the client saw answered with another status (wrk: 4xx and 5xx)
 * @param errors                requests that failed without an answer: socket errors and timeouts
 * @param latencyP50Ms          median request latency, from sending to the answer
 * @param latencyP99Ms          99th percentile of it
 * @param clientCpuSeconds      CPU time of the client's sending threads: wrk's whole process, fleetbench's Vert.x
 *                              event-loop threads
 * @param clientJvmCpuSeconds   CPU time of the client's whole process: wrk's again, the benchmark JVM for
 *                              fleetbench (GC and JIT included)
 * @param endpointCpuSeconds    CPU time of the endpoint's JVM
 * @param endpointRequests2xx   requests the endpoint answered 2xx
 * @param endpointEvents        events the stream acknowledged to the endpoint
 */
record Window(double seconds, long answered2xx, long answeredOther, long errors, double latencyP50Ms,
              double latencyP99Ms, double clientCpuSeconds, double clientJvmCpuSeconds, double endpointCpuSeconds,
              long endpointRequests2xx, long endpointEvents) {

    /** The figures of the report, by name, in the report's order. */
    Map<String, Double> figures() {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("requests_per_s", answered2xx / seconds);
        f.put("non_2xx", (double) answeredOther);
        f.put("errors", (double) errors);
        f.put("latency_p50_ms", latencyP50Ms);
        f.put("latency_p99_ms", latencyP99Ms);
        f.put("cpu_cores", clientCpuSeconds / seconds);
        f.put("requests_per_s_per_core", answered2xx / clientCpuSeconds);
        f.put("process_cpu_cores", clientJvmCpuSeconds / seconds);
        f.put("requests_per_s_per_process_core", answered2xx / clientJvmCpuSeconds);
        f.put("endpoint_requests_per_s", endpointRequests2xx / seconds);
        f.put("endpoint_cpu_cores", endpointCpuSeconds / seconds);
        f.put("endpoint_requests_per_s_per_core", endpointRequests2xx / endpointCpuSeconds);
        f.put("endpoint_events", (double) endpointEvents);
        f.put("endpoint_cpu_us_per_event", endpointCpuSeconds * 1e6 / endpointEvents);
        return f;
    }
}
