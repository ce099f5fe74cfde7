package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventSchema;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import io.fleetbench.telemetry.manifest.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Sits between generating events and sending them: encodes each event and applies the data faults
 * of a {@link FaultConfig}. An event becomes zero records (its device is offline: stored), one, or
 * two (a duplicate); stored events come out, shuffled, when their device is back online. Whether a
 * device or event is hit depends only on the seed, the device and the event's sequence number.
 *
 * <p>Each record carries its event's key, and a record a fault changed on purpose carries the mark an
 * acknowledgement manifest records once it is sent: the extra copy of a duplicated event
 * {@link Outcome#DUPLICATE_SENT}, a malformed one {@link Outcome#MALFORMED_SENT}, one of a newer schema
 * version {@link Outcome#NEWER_SCHEMA_SENT}.
 *
 * <p>Meters: {@code fleetbench_simulator_faults_total{fault}} with fault one of
 * {@code offline_delayed}, {@code offline_dropped}, {@code duplicate}, {@code clock_drift},
 * {@code malformed}, {@code schema_changed}. Single writer; {@link #counts()} may be read from any thread.
 */
public final class FaultInjector {
    private static final long K_OFFLINE = 0x0FF1_1E00L;
    private static final long K_PHASE = 0x0FF1_1E01L;
    private static final long K_DRIFT = 0xD21F_7000L;
    private static final long K_DRIFT_SIZE = 0xD21F_7001L;
    private static final long K_DUPLICATE = 0xD0B1_E000L;
    private static final long K_MALFORMED = 0xBAD0_0000L;
    private static final long K_CUT = 0xBAD0_0001L;
    private static final byte[] VERSION_FIELD = "\"schema_version\"".getBytes(StandardCharsets.US_ASCII);

    private final FaultConfig config;
    private final long seed;
    private final long startNanos;
    private final JsonCodec codec = new JsonCodec();
    private final boolean any;
    private final long offlineNanos;
    private final long offlinePeriodNanos;
    private final long schemaChangeNanos;
    private final ArrayDeque<OutgoingRecord> ready = new ArrayDeque<>();
    private final Map<Integer, Offline> offline = new HashMap<>();
    private final PriorityQueue<Offline> reconnects = new PriorityQueue<>((a, b) -> Long.compare(a.reconnectNanos, b.reconnectNanos));
    private final Counter delayedCounter;
    private final Counter droppedCounter;
    private final Counter duplicateCounter;
    private final Counter driftCounter;
    private final Counter malformedCounter;
    private final Counter schemaCounter;
    private long shuffle;
    private volatile long delayed;
    private volatile long dropped;
    private volatile long pending;
    private volatile long duplicates;
    private volatile long drifted;
    private volatile long malformed;
    private volatile long schemaChanged;

    /**
     * @param config     the faults
     * @param seed       the fleet's seed
     * @param startNanos the run's start on the {@link System#nanoTime()} scale; offline spells and the
     *                   schema change are timed from it
     * @param registry   where the fault counters go
     */
    public FaultInjector(FaultConfig config, long seed, long startNanos, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.seed = seed;
        this.startNanos = startNanos;
        this.any = config.any();
        this.offlineNanos = config.offlineDuration().toNanos();
        this.offlinePeriodNanos = 4 * offlineNanos;
        this.schemaChangeNanos = config.schemaChangeAt().map(d -> d.toNanos()).orElse(Long.MAX_VALUE);
        this.shuffle = DeviceRandom.mix(seed ^ 0x54FF_1E00L);
        delayedCounter = counter(registry, "offline_delayed");
        droppedCounter = counter(registry, "offline_dropped");
        duplicateCounter = counter(registry, "duplicate");
        driftCounter = counter(registry, "clock_drift");
        malformedCounter = counter(registry, "malformed");
        schemaCounter = counter(registry, "schema_changed");
    }

    private static Counter counter(MeterRegistry registry, String fault) {
        return Counter.builder(SimulatorMeters.FAULTS).tag("fault", fault)
                .description("Records touched by an injected data fault").register(registry);
    }

    /**
     * Takes one generated event; the records to send become available from {@link #poll(long)}.
     *
     * @param nowNanos the clock now, on the {@link System#nanoTime()} scale
     */
    public void accept(ScheduledEvent scheduled, long nowNanos) {
        TelemetryEvent e = scheduled.event();
        long eventKey = scheduled.key();
        if (!any) {
            ready.add(new OutgoingRecord(e.deviceId(), codec.encode(e), scheduled.intendedNanos(), eventKey, null));
            return;
        }
        int device = scheduled.device();
        long key = ((long) device << 32) ^ e.seq();
        long runNanos = nowNanos - startNanos;
        int version = runNanos >= schemaChangeNanos ? config.schemaChangeVersion() : EventSchema.CURRENT_VERSION;
        long drift = driftMillis(device);
        byte[] data = codec.encode(e, Math.max(1, e.eventTimeMillis() + drift), version);
        int flags = drift != 0 ? Fault.DRIFT : 0;
        boolean corrupt = chance(K_MALFORMED, key) < config.malformed();
        if (corrupt) {
            // Cut before the schema version, so every consumer sees malformed JSON, never a version to reject first.
            int cut = 1 + (int) (chance(K_CUT, key) * (versionOffset(data) - 1));
            data = Arrays.copyOf(data, cut);
            flags |= Fault.MALFORMED;
        } else if (version != EventSchema.CURRENT_VERSION) {
            flags |= Fault.SCHEMA;
        }
        boolean duplicate = !corrupt && version == EventSchema.CURRENT_VERSION && chance(K_DUPLICATE, key) < config.duplicates();
        Tagged t = new Tagged(e.deviceId(), data, scheduled.intendedNanos(), eventKey, flags);
        if (isOffline(device, runNanos)) {
            store(device, runNanos, t.with(Fault.DELAYED));
            if (duplicate) {
                store(device, runNanos, t.with(Fault.DELAYED | Fault.DUPLICATE));
            }
            return;
        }
        count(flags);
        ready.add(t.record(t.intendedNanos));
        if (duplicate) {
            Tagged copy = t.with(Fault.DUPLICATE);
            count(copy.flags);
            ready.add(copy.record(copy.intendedNanos));
        }
    }

    /** Whether records are waiting to be sent now. */
    public boolean hasReady() {
        return !ready.isEmpty();
    }

    /**
     * The next record to send, or null. Devices whose offline spell has ended by now flush what they
     * stored, shuffled, intended now.
     */
    public OutgoingRecord poll(long nowNanos) {
        if (ready.isEmpty() && !reconnects.isEmpty()) {
            long runNanos = nowNanos - startNanos;
            while (!reconnects.isEmpty() && reconnects.peek().reconnectNanos <= runNanos) {
                Offline o = reconnects.poll();
                offline.remove(o.device);
                List<Tagged> stored = o.stored;
                for (int i = stored.size() - 1; i > 0; i--) {
                    int j = (int) Long.remainderUnsigned(DeviceRandom.mix(shuffle += 0x9E3779B97F4A7C15L), i + 1);
                    Tagged t = stored.get(i);
                    stored.set(i, stored.get(j));
                    stored.set(j, t);
                }
                for (Tagged t : stored) {
                    count(t.flags);
                    ready.add(t.record(nowNanos));
                    if ((t.flags & Fault.DUPLICATE) == 0) {
                        pending--;
                    }
                }
            }
        }
        return ready.poll();
    }

    /** The counts so far. */
    public FaultCounts counts() {
        return new FaultCounts(delayed, dropped, pending, duplicates, drifted, malformed, schemaChanged);
    }

    /**
     * Stores a record of an offline device. The pending and dropped counts are of events: the extra
     * copy of a duplicated event is stored beside it, or dropped with it, uncounted.
     */
    private void store(int device, long runNanos, Tagged t) {
        boolean copy = (t.flags & Fault.DUPLICATE) != 0;
        if (pending >= config.offlineBufferEvents()) {
            if (!copy) {
                dropped++;
                droppedCounter.increment();
            }
            return;
        }
        Offline o = offline.get(device);
        if (o == null) {
            long phase = (long) (chance(K_PHASE, device) * offlinePeriodNanos);
            long inSpell = Math.floorMod(runNanos + phase, offlinePeriodNanos);
            o = new Offline(device, runNanos + (offlineNanos - inSpell));
            offline.put(device, o);
            reconnects.add(o);
        }
        o.stored.add(t);
        if (!copy) {
            pending++;
        }
    }

    private void count(int flags) {
        if ((flags & Fault.DELAYED) != 0) {
            delayed++;
            delayedCounter.increment();
        }
        if ((flags & Fault.DUPLICATE) != 0) {
            duplicates++;
            duplicateCounter.increment();
        }
        if ((flags & Fault.DRIFT) != 0) {
            drifted++;
            driftCounter.increment();
        }
        if ((flags & Fault.MALFORMED) != 0) {
            malformed++;
            malformedCounter.increment();
        }
        if ((flags & Fault.SCHEMA) != 0) {
            schemaChanged++;
            schemaCounter.increment();
        }
    }

    private boolean isOffline(int device, long runNanos) {
        if (config.offlineShare() == 0 || chance(K_OFFLINE, device) >= config.offlineShare()) {
            return false;
        }
        long phase = (long) (chance(K_PHASE, device) * offlinePeriodNanos);
        return Math.floorMod(runNanos + phase, offlinePeriodNanos) < offlineNanos;
    }

    /** Where the schema version field starts in an encoded record; the JSON codec writes it among the first fields. */
    private static int versionOffset(byte[] data) {
        outer:
        for (int i = 0; i + VERSION_FIELD.length <= data.length; i++) {
            for (int j = 0; j < VERSION_FIELD.length; j++) {
                if (data[i + j] != VERSION_FIELD[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return data.length;
    }

    /** The fixed clock offset of a device, milliseconds; 0 for most. */
    long driftMillis(int device) {
        if (config.clockDriftShare() == 0 || chance(K_DRIFT, device) >= config.clockDriftShare()) {
            return 0;
        }
        return Math.round((2 * chance(K_DRIFT_SIZE, device) - 1) * config.clockDriftMax().toMillis());
    }

    private double chance(long salt, long key) {
        return DeviceRandom.hashDouble(DeviceRandom.mix(seed ^ salt) + key);
    }

    /** Bits of the faults a record carries. */
    private static final class Fault {
        static final int DELAYED = 1;
        static final int DUPLICATE = 2;
        static final int DRIFT = 4;
        static final int MALFORMED = 8;
        static final int SCHEMA = 16;
    }

    private record Tagged(String partitionKey, byte[] data, long intendedNanos, long key, int flags) {
        /** This record with more fault bits. */
        Tagged with(int more) {
            return new Tagged(partitionKey, data, intendedNanos, key, flags | more);
        }

        /** The record to send, intended at {@code intended}, with the mark of what a fault did to it on purpose. */
        OutgoingRecord record(long intended) {
            Outcome mark = (flags & Fault.DUPLICATE) != 0 ? Outcome.DUPLICATE_SENT
                    : (flags & Fault.MALFORMED) != 0 ? Outcome.MALFORMED_SENT
                    : (flags & Fault.SCHEMA) != 0 ? Outcome.NEWER_SCHEMA_SENT : null;
            return new OutgoingRecord(partitionKey, data, intended, key, mark);
        }
    }

    /** A device in an offline spell and what it stored. */
    private static final class Offline {
        final int device;
        final long reconnectNanos;
        final List<Tagged> stored = new ArrayList<>();

        Offline(int device, long reconnectNanos) {
            this.device = device;
            this.reconnectNanos = reconnectNanos;
        }
    }
}
