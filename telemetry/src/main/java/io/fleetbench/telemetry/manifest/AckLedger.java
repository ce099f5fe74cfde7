package io.fleetbench.telemetry.manifest;

import io.fleetbench.telemetry.EventIds;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * A producer's record of what became of each event it sent, by device and sequence number, which
 * {@link AckManifest#write} writes out. Memory grows with the devices, not the events: a device
 * whose events were all acknowledged in order costs one int, and anything else (an acknowledgement
 * ahead of a gap, an ambiguous or failed event, a data fault's mark) costs a run of sequence numbers
 * for as long as it stays a separate run.
 *
 * <p>Not thread-safe: one thread records and writes (the producer's).
 */
public final class AckLedger {
    private final int cars;
    private final int bikes;
    /** Per global device index (cars first): sequence numbers 1 to this are all acknowledged. */
    private final int[] contiguous;
    /** Acknowledged sequence numbers beyond a gap, per global device index. */
    private final Map<Integer, SeqRuns> ackedBeyond = new HashMap<>();
    /** Every other outcome and mark, per global device index. */
    private final EnumMap<Outcome, Map<Integer, SeqRuns>> sparse = new EnumMap<>(Outcome.class);
    private final long[] counts = new long[Outcome.values().length];

    /** A ledger of a fleet of {@code cars} cars and {@code bikes} bikes. */
    public AckLedger(int cars, int bikes) {
        if (cars < 0 || bikes < 0 || cars > EventIds.MAX_DEVICE_INDEX + 1 || bikes > EventIds.MAX_DEVICE_INDEX + 1) {
            throw new IllegalArgumentException("cars and bikes must be 0 to " + (EventIds.MAX_DEVICE_INDEX + 1)
                    + ", found " + cars + " and " + bikes);
        }
        this.cars = cars;
        this.bikes = bikes;
        this.contiguous = new int[Math.addExact(cars, bikes)];
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.ACKNOWLEDGED) {
                sparse.put(o, new HashMap<>());
            }
        }
    }

    /** Cars in the fleet. */
    public int cars() {
        return cars;
    }

    /** Bikes in the fleet. */
    public int bikes() {
        return bikes;
    }

    /**
     * Records an outcome or mark of one event.
     *
     * @param key the event's {@linkplain EventIds#key device key}
     * @throws IllegalArgumentException if the key's device is not in the fleet
     */
    public void record(long key, Outcome outcome) {
        int d = globalIndex(key);
        long seq = EventIds.seq(key);
        counts[outcome.ordinal()]++;
        if (outcome != Outcome.ACKNOWLEDGED) {
            sparse.get(outcome).computeIfAbsent(d, k -> new SeqRuns()).add(seq);
            return;
        }
        if (seq != contiguous[d] + 1L) {
            if (seq <= contiguous[d]) {
                return;
            }
            ackedBeyond.computeIfAbsent(d, k -> new SeqRuns()).add(seq);
            return;
        }
        contiguous[d]++;
        SeqRuns beyond = ackedBeyond.get(d);
        if (beyond != null && beyond.start(0) == contiguous[d] + 1L) {
            contiguous[d] = (int) beyond.end(0);
            beyond.removeFirstRun();
            if (beyond.isEmpty()) {
                ackedBeyond.remove(d);
            }
        }
    }

    /** Events recorded with each outcome or mark so far (an event recorded twice counts twice). */
    public Map<Outcome, Long> counts() {
        Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, counts[o.ordinal()]);
        }
        return m;
    }

    /** The number of devices in the fleet. */
    public int devices() {
        return contiguous.length;
    }

    /**
     * The sequence numbers of one device with an outcome, as a new set.
     *
     * @param device a global device index, cars first
     */
    public SeqRuns runs(int device, Outcome outcome) {
        SeqRuns set = new SeqRuns();
        if (outcome == Outcome.ACKNOWLEDGED) {
            if (contiguous[device] > 0) {
                set.addRun(1, contiguous[device]);
            }
            SeqRuns beyond = ackedBeyond.get(device);
            if (beyond != null) {
                set.addAll(beyond);
            }
        } else {
            SeqRuns s = sparse.get(outcome).get(device);
            if (s != null) {
                set.addAll(s);
            }
        }
        return set;
    }

    /** Whether a device has anything recorded. */
    boolean hasAny(int device) {
        if (contiguous[device] > 0 || ackedBeyond.containsKey(device)) {
            return true;
        }
        for (Map<Integer, SeqRuns> m : sparse.values()) {
            if (m.containsKey(device)) {
                return true;
            }
        }
        return false;
    }

    /** The device id of a global index. */
    public String deviceId(int device) {
        return device < cars ? EventIds.deviceId(true, device) : EventIds.deviceId(false, device - cars);
    }

    private int globalIndex(long key) {
        int index = EventIds.device(key);
        boolean car = EventIds.isCar(key);
        if (index >= (car ? cars : bikes)) {
            throw new IllegalArgumentException("no " + (car ? "car" : "bike") + " " + index + " in a fleet of " + cars
                    + " cars and " + bikes + " bikes");
        }
        return car ? index : cars + index;
    }
}
