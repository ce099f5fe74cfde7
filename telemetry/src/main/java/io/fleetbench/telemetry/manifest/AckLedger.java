package io.fleetbench.telemetry.manifest;

import io.fleetbench.telemetry.EventIds;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * A producer's record of what became of each event it sent, by device and sequence number, which
 * {@link AckManifest#write} writes out. Memory grows with the devices, not the events: a device
 * whose events were all acknowledged in order costs one int, and anything else (an acknowledgement
 * ahead of a gap, an ambiguous or failed event, a data fault's mark) costs a run of sequence numbers
 * for as long as it stays a separate run, plus two bits that spare most devices any lookup.
 *
 * <p>Not thread-safe: one thread records and writes (the producer's).
 */
public final class AckLedger implements OutcomeRecorder {
    /** The outcomes kept in {@link #sparse}, in {@link Outcome} order. */
    private static final Outcome[] SPARSE = Arrays.stream(Outcome.values())
            .filter(o -> o != Outcome.ACKNOWLEDGED).toArray(Outcome[]::new);

    private final int cars;
    private final int bikes;
    /** Per global device index (cars first): sequence numbers 1 to this are all acknowledged. */
    private final int[] contiguous;
    /** Acknowledged sequence numbers beyond a gap, per global device index. */
    private final Map<Integer, SeqRuns> ackedBeyond = new HashMap<>();
    /** One bit per global device index: whether it has an entry in {@link #ackedBeyond}; most need no lookup. */
    private final long[] hasBeyond;
    /** Every other outcome and mark, per global device index. */
    private final EnumMap<Outcome, Map<Integer, SeqRuns>> sparse = new EnumMap<>(Outcome.class);
    /** One bit per global device index: whether it has an entry in any map of {@link #sparse}. */
    private final long[] hasSparse;
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
        this.hasBeyond = new long[(contiguous.length + 63) >>> 6];
        this.hasSparse = new long[hasBeyond.length];
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
    @Override
    public void record(long key, Outcome outcome) {
        int d = globalIndex(key);
        long seq = EventIds.seq(key);
        counts[outcome.ordinal()]++;
        if (outcome != Outcome.ACKNOWLEDGED) {
            sparse.get(outcome).computeIfAbsent(d, k -> new SeqRuns()).add(seq);
            hasSparse[d >>> 6] |= 1L << d;
            return;
        }
        if (seq != contiguous[d] + 1L) {
            if (seq <= contiguous[d]) {
                return;
            }
            ackedBeyond.computeIfAbsent(d, k -> new SeqRuns()).add(seq);
            hasBeyond[d >>> 6] |= 1L << d;
            return;
        }
        contiguous[d]++;
        if (!hasBeyond(d)) {
            return;
        }
        SeqRuns beyond = ackedBeyond.get(d);
        if (beyond.start(0) == contiguous[d] + 1L) {
            contiguous[d] = (int) beyond.end(0);
            beyond.removeFirstRun();
            if (beyond.isEmpty()) {
                ackedBeyond.remove(d);
                hasBeyond[d >>> 6] &= ~(1L << d);
            }
        }
    }

    private boolean hasBeyond(int device) {
        return (hasBeyond[device >>> 6] & 1L << device) != 0;
    }

    private boolean hasSparse(int device) {
        return (hasSparse[device >>> 6] & 1L << device) != 0;
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

    /**
     * Appends a device's manifest line without its newline: its id, then for each outcome with sequence
     * numbers, in {@link Outcome} order, a space, the outcome's code, a colon and its runs. Copies nothing:
     * a manifest of millions of devices is written in one pass over the ledger.
     *
     * @return whether the device has anything recorded; nothing is appended if not
     */
    boolean appendLine(int device, StringBuilder line) {
        int acked = contiguous[device];
        SeqRuns beyond = hasBeyond(device) ? ackedBeyond.get(device) : null;
        boolean others = hasSparse(device);
        if (acked == 0 && beyond == null && !others) {
            return false;
        }
        if (device < cars) {
            EventIds.appendDeviceId(line, true, device);
        } else {
            EventIds.appendDeviceId(line, false, device - cars);
        }
        if (acked > 0 || beyond != null) {
            line.append(' ').append(Outcome.ACKNOWLEDGED.code()).append(':');
            if (acked > 0) {
                line.append(1);
                if (acked > 1) {
                    line.append('-').append(acked);
                }
            }
            if (beyond != null) {
                // Beyond a gap: its first run starts at least two past the contiguous ones.
                if (acked > 0) {
                    line.append(',');
                }
                beyond.appendTo(line);
            }
        }
        if (others) {
            for (Outcome o : SPARSE) {
                Map<Integer, SeqRuns> m = sparse.get(o);
                SeqRuns runs = m.isEmpty() ? null : m.get(device);
                if (runs != null && !runs.isEmpty()) {
                    line.append(' ').append(o.code()).append(':');
                    runs.appendTo(line);
                }
            }
        }
        return true;
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
