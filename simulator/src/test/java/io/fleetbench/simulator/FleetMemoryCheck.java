package io.fleetbench.simulator;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

/**
 * Measures the heap a fleet needs per device and how long it takes to build, ready to send
 * (fleet-driven, with its queue of due devices). Not a test: run it in its own JVM with a heap
 * limit, from the repository root:
 * <pre>
 * mvn -B -o -q install -DskipTests -pl telemetry,simulator
 * mvn -B -o -q -pl simulator dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp simulator/target/test-classes:simulator/target/classes:$(cat simulator/target/cp.txt) \
 *     io.fleetbench.simulator.FleetMemoryCheck 10000000
 * </pre>
 * Arguments: devices (default 1,000,000), share of cars (default 0.8).
 */
public final class FleetMemoryCheck {
    private FleetMemoryCheck() {
    }

    public static void main(String[] args) {
        int devices = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        double carShare = args.length > 1 ? Double.parseDouble(args[1]) : 0.8;
        int cars = (int) Math.round(devices * carShare);
        FleetConfig config = FleetConfig.defaults().withDevices(cars, devices - cars)
                .withStartEpochMillis(FleetTest.START + 6 * 3_600_000L).withFleetDriven(new FleetDriven(24));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        long t0 = System.nanoTime();
        Fleet fleet = new Fleet(config);
        long buildNanos = System.nanoTime() - t0;
        long after = usedAfterGc(memory);
        // Show that the fleet runs: generate from its first device-hour, up to a cap.
        long t1 = System.nanoTime();
        long events = 0;
        int d;
        long until = fleet.startEpochMillis() + Duration.ofMinutes(60).toMillis();
        while ((d = fleet.pollDue(until)) >= 0 && events < 20_000_000) {
            fleet.advance(d, 1);
            events++;
        }
        long runNanos = System.nanoTime() - t1;
        System.out.printf("devices=%,d cars=%,d bikes=%,d maxHeap=%,d MiB%n", devices, cars, devices - cars,
                memory.getHeapMemoryUsage().getMax() >> 20);
        System.out.printf("heap for the fleet: %,d MiB, %.1f bytes per device%n", (after - before) >> 20,
                (after - before) / (double) devices);
        System.out.printf("build time (ready to send): %.2f s%n", buildNanos / 1e9);
        System.out.printf("generated %,d events of the device-hour from 06:00 (cap 20,000,000) in %.2f s"
                        + " (%,.0f events/s, one thread, no encoding)%n",
                events, runNanos / 1e9, events / (runNanos / 1e9));
        if (fleet.devices() != devices) {
            throw new IllegalStateException("expected " + devices + " devices, found " + fleet.devices());
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
