package io.fleetbench.runner.audit;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestException;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import io.fleetbench.telemetry.manifest.Outcome;
import io.fleetbench.telemetry.manifest.SeqRuns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the producers of one fleet recorded, merged from their acknowledgement manifests into one bit
 * per event and outcome. Every event of the fleet up to each device's highest recorded sequence number
 * has an index: {@code base[device] + seq - 1}, devices in global order (cars, then bikes). Memory: a
 * long per device and a bit per event and outcome present, whatever the number of rows.
 */
final class ExpectedEvents {
    private final EventIds ids;
    private final int cars;
    private final int bikes;
    private final boolean complete;
    private final List<ManifestHeader> headers;
    /** Per global device, the index of its sequence number 1; {@code base[devices]} is the total. */
    private final long[] base;
    private final EnumMap<Outcome, EventBitmap> outcomes;
    /** Events that were in the stream when a fault destroyed its contents. */
    private EventBitmap streamLost;

    private ExpectedEvents(EventIds ids, int cars, int bikes, boolean complete, List<ManifestHeader> headers,
                           long[] base, EnumMap<Outcome, EventBitmap> outcomes) {
        this.ids = ids;
        this.cars = cars;
        this.bikes = bikes;
        this.complete = complete;
        this.headers = headers;
        this.base = base;
        this.outcomes = outcomes;
    }

    /**
     * Merges manifests of one fleet (the instances of one run, or the one manifest of a run).
     *
     * @throws ManifestException if there are none, or they speak of different fleets, naming the files
     * @throws IOException       if one cannot be read
     */
    static ExpectedEvents read(List<Path> manifests) throws IOException {
        if (manifests.isEmpty()) {
            throw new ManifestException("no acknowledgement manifest (" + AckManifest.FILE_NAME + ") to audit against");
        }
        List<ManifestHeader> headers = new ArrayList<>();
        ManifestHeader first = AckManifest.readHeader(manifests.get(0));
        for (Path m : manifests) {
            ManifestHeader h = AckManifest.readHeader(m);
            if (h.seed() != first.seed() || h.cars() != first.cars() || h.bikes() != first.bikes()) {
                throw new ManifestException(m + " speaks of a fleet (seed " + h.seed() + ", " + h.cars() + " cars, "
                        + h.bikes() + " bikes) other than " + manifests.get(0) + "'s (seed " + first.seed() + ", "
                        + first.cars() + " cars, " + first.bikes() + " bikes)");
            }
            headers.add(h);
        }
        int cars = first.cars();
        int devices = Math.addExact(cars, first.bikes());
        // First pass: each device's highest sequence number, which sizes its share of the bitmaps.
        long[] maxSeq = new long[devices];
        boolean[] present = new boolean[Outcome.values().length];
        for (Path m : manifests) {
            AckManifest.read(m, new Visit(m, cars, devices) {
                @Override
                void runs(int device, Outcome outcome, SeqRuns runs) {
                    maxSeq[device] = Math.max(maxSeq[device], runs.max());
                    present[outcome.ordinal()] = true;
                }
            });
        }
        long[] base = new long[devices + 1];
        for (int d = 0; d < devices; d++) {
            base[d + 1] = base[d] + maxSeq[d];
        }
        EnumMap<Outcome, EventBitmap> outcomes = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            if (present[o.ordinal()] || o == Outcome.ACKNOWLEDGED) {
                outcomes.put(o, new EventBitmap(base[devices]));
            }
        }
        // Second pass: the bits.
        for (Path m : manifests) {
            AckManifest.read(m, new Visit(m, cars, devices) {
                @Override
                void runs(int device, Outcome outcome, SeqRuns runs) {
                    EventBitmap bits = outcomes.get(outcome);
                    for (int i = 0; i < runs.runCount(); i++) {
                        bits.setRange(base[device] + runs.start(i) - 1, base[device] + runs.end(i) - 1);
                    }
                }
            });
        }
        boolean complete = headers.stream().allMatch(ManifestHeader::complete);
        return new ExpectedEvents(new EventIds(first.seed()), cars, first.bikes(), complete, List.copyOf(headers),
                base, outcomes);
    }

    /**
     * Reads stream-loss manifests ({@link AckManifest#findStreamLoss}) of the same fleet: the events recorded
     * there as acknowledged were in the stream when a fault destroyed its contents.
     */
    void readStreamLoss(List<Path> files) throws IOException {
        EventBitmap bits = new EventBitmap(size());
        int devices = cars + bikes;
        for (Path m : files) {
            ManifestHeader h = AckManifest.readHeader(m);
            if (h.seed() != headers.get(0).seed() || h.cars() != cars || h.bikes() != bikes) {
                throw new ManifestException(m + " speaks of a fleet other than the acknowledgement manifests'");
            }
            AckManifest.read(m, new Visit(m, cars, devices) {
                @Override
                void runs(int device, Outcome outcome, SeqRuns runs) {
                    if (outcome != Outcome.ACKNOWLEDGED) {
                        return;
                    }
                    long span = base[device + 1] - base[device];
                    for (int i = 0; i < runs.runCount() && runs.start(i) <= span; i++) {
                        bits.setRange(base[device] + runs.start(i) - 1, base[device] + Math.min(runs.end(i), span) - 1);
                    }
                }
            });
        }
        streamLost = bits;
    }

    /** The events that were in the stream when a fault destroyed its contents, or null if none did. */
    EventBitmap streamLost() {
        return streamLost;
    }

    /** The fleet's event ids. */
    EventIds ids() {
        return ids;
    }

    /** Whether every producer finished and wrote its last manifest. */
    boolean complete() {
        return complete;
    }

    List<ManifestHeader> headers() {
        return headers;
    }

    /** Events with an index: every device's sequence numbers up to its highest recorded one. */
    long size() {
        return base[base.length - 1];
    }

    /**
     * The index of an event by its {@linkplain EventIds#key device key}, or -1 if no manifest reaches it
     * (its device is not in the fleet, or its sequence number is above every one recorded for the device).
     */
    long index(long key) {
        int device = EventIds.device(key);
        int d;
        if (EventIds.isCar(key)) {
            if (device >= cars) {
                return -1;
            }
            d = device;
        } else {
            if (device >= bikes) {
                return -1;
            }
            d = cars + device;
        }
        long seq = EventIds.seq(key);
        return seq <= base[d + 1] - base[d] ? base[d] + seq - 1 : -1;
    }

    /** The device key of an index. */
    long key(long index) {
        int d = Arrays.binarySearch(base, index);
        d = d < 0 ? -d - 2 : d;
        // Devices with nothing recorded share their base with the next one: the owner is the last of them.
        while (d + 1 < base.length - 1 && base[d + 1] <= index) {
            d++;
        }
        long seq = index - base[d] + 1;
        return d < cars ? EventIds.key(true, d, seq) : EventIds.key(false, d - cars, seq);
    }

    /** Whether an event has an outcome. */
    boolean has(Outcome outcome, long index) {
        EventBitmap bits = outcomes.get(outcome);
        return bits != null && bits.get(index);
    }

    /** The bitmap of an outcome, or null if no manifest records it. */
    EventBitmap bits(Outcome outcome) {
        return outcomes.get(outcome);
    }

    /** Events recorded with an outcome. */
    long count(Outcome outcome) {
        EventBitmap bits = outcomes.get(outcome);
        return bits == null ? 0 : bits.cardinality();
    }

    /** Events recorded with an outcome, per outcome. */
    Map<Outcome, Long> counts() {
        Map<Outcome, Long> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            m.put(o, count(o));
        }
        return m;
    }

    /** A readable name of an event: {@code car-000017 #58}. */
    static String describe(long key) {
        return EventIds.deviceId(EventIds.isCar(key), EventIds.device(key)) + " #" + EventIds.seq(key);
    }

    /** A manifest visitor by global device index that checks the device is in the fleet. */
    private abstract static class Visit implements AckManifest.Visitor {
        private final Path file;
        private final int cars;
        private final int devices;

        Visit(Path file, int cars, int devices) {
            this.file = file;
            this.cars = cars;
            this.devices = devices;
        }

        @Override
        public void header(Path f, ManifestHeader header) {
        }

        @Override
        public void runs(long device, Outcome outcome, SeqRuns runs) {
            int index = EventIds.device(device);
            int d = EventIds.isCar(device) ? index : cars + index;
            if ((EventIds.isCar(device) && index >= cars) || d >= devices) {
                throw new ManifestException(file + ": device " + describe(device).split(" ")[0]
                        + " is not in the fleet its header describes");
            }
            runs(d, outcome, runs);
        }

        abstract void runs(int device, Outcome outcome, SeqRuns runs);
    }
}
