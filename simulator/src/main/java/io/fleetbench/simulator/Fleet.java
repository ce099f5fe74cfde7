package io.fleetbench.simulator;

import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.TelemetryEvent;


/**
 * A fleet of cars and bikes, each on its own timeline: every event a device emits says when its
 * next one is due, so a device's n-th event (its content and device time) depends only on the seed,
 * the config and the device's index. Devices are driven in one of two ways, one per fleet:
 * <ul>
 *   <li>{@link #pollDue(long)} and {@link #advance(int, long)}: fleet-driven, devices come due on the
 *       device clock and the event rate emerges from their activity;</li>
 *   <li>{@link #next(long)}: under a fixed arrival rate, the caller sets the pace and the device whose
 *       next event is due earliest sends, so the fleet's device time advances as a whole (faster than
 *       the wall clock when the rate is above what the fleet sends by itself, slower when below) and
 *       the events of any stretch of the run carry about the same device time. With
 *       {@link HotDevices}, a share of the events goes to a few hot devices instead.</li>
 * </ul>
 * Which event comes n-th depends only on the seed, the config and the sequence of calls.
 * Global device indexes put cars first: {@code 0 .. cars-1} are cars, then bikes.
 * Not thread-safe: one generator thread drives a fleet.
 */
public final class Fleet {
    /** Largest per-device sequence number that fits in the event id. */
    static final long MAX_SEQ = Integer.MAX_VALUE;

    private final FleetConfig config;
    private final long startEpochMillis;
    private final int devices;
    private final int cars;
    private final CarModel carModel;
    private final BikeModel bikeModel;
    private final long[] due;
    private final int[] seq;
    private final EventHeader header = new EventHeader();
    private final EventIds eventIds;
    private final double hotTraffic;
    private long selector;
    /** Under a fixed arrival rate: the devices that are not hot, by due time. */
    private DeviceQueue arrivalQueue;
    /** Under a fixed arrival rate with hot devices: the hot devices, by due time. */
    private DueHeap hotHeap;
    /** Fleet-driven: every device, by due time. */
    private DeviceQueue queue;
    private long generated;

    /**
     * A fleet whose device time starts at the config's start, or at the wall clock now if that is 0.
     * Allocates every device's state, and for a fleet-driven config the queue of due devices too.
     */
    public Fleet(FleetConfig config) {
        this.config = config;
        this.startEpochMillis = config.startEpochMillis() != 0 ? config.startEpochMillis() : System.currentTimeMillis();
        this.devices = config.devices();
        this.cars = config.cars();
        this.carModel = new CarModel(config, startEpochMillis);
        this.bikeModel = new BikeModel(config, startEpochMillis);
        this.due = new long[devices];
        this.seq = new int[devices];
        for (int d = 0; d < devices; d++) {
            due[d] = d < cars ? carModel.firstDueMillis(d) : bikeModel.firstDueMillis(d - cars);
        }
        this.eventIds = new EventIds(config.seed());
        this.hotTraffic = config.hotDevices().enabled() ? config.hotDevices().trafficShare() : 0;
        this.selector = DeviceRandom.mix(config.seed() ^ 0x407_DE71CE5L);
        if (config.fleetDriven().isPresent()) {
            prepareFleetDriven();
        }
    }

    /** The config this fleet was built from. */
    public FleetConfig config() {
        return config;
    }

    /** Device time at which the fleet starts, epoch milliseconds. */
    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** Number of devices. */
    public int devices() {
        return devices;
    }

    /** Number of events generated so far. */
    public long generated() {
        return generated;
    }

    /**
     * Under a fixed arrival rate: returns the next event of the device whose next event is due
     * earliest on the device clock (devices due in the same millisecond in a reproducible order),
     * and moves that device one event along its timeline. The calls set the pace; the fleet's device
     * time follows the devices in due order, so it runs faster than the wall clock when the calls
     * come faster than the fleet would send by itself, and slower when they come slower. Parked cars
     * and idle bikes send only when the fleet's device time reaches their next trip or class. The
     * first call queues the devices by due time, as a fleet-driven fleet does (about 16 MiB).
     *
     * <p>With {@link HotDevices}, each call first decides at random, with probability
     * {@code trafficShare}, to take the event from the hot devices instead: from the hot device due
     * earliest, so the hot devices move together along a device time of their own. Sending more
     * than they would by themselves, they run ahead of the rest of the fleet, as a group, so their
     * events too carry about the same device time at any moment. A hot device also sends whenever it
     * is due before every other device, so it never falls behind the fleet's device time.
     *
     * @param producedAtMillis the wall clock now, epoch milliseconds
     * @throws IllegalStateException if the fleet is already driven by {@link #pollDue(long)}
     */
    public TelemetryEvent next(long producedAtMillis) {
        if (arrivalQueue == null) {
            prepareArrivalRate();
        }
        if (hotHeap != null) {
            int hot = hotHeap.peek();
            long r = DeviceRandom.mix(selector += 0x9E3779B97F4A7C15L);
            if ((r >>> 11) * 0x1.0p-53 < hotTraffic) {
                return emit(hot, producedAtMillis);
            }
            int other = arrivalQueue.peek(DeviceQueue.ANY_TIME);
            if (other < 0 || due[hot] < due[other]) {
                return emit(hot, producedAtMillis);
            }
        }
        int d = arrivalQueue.poll(DeviceQueue.ANY_TIME);
        TelemetryEvent e = emit(d, producedAtMillis);
        arrivalQueue.add(d);
        return e;
    }

    /** The global index of the device whose event {@link #next(long)} or {@link #advance(int, long)} returned last. */
    public int lastDevice() {
        return header.deviceIndex;
    }

    /**
     * The {@linkplain EventIds#key device key} (kind, index within its kind, sequence number) of the event
     * {@link #next(long)} or {@link #advance(int, long)} returned last.
     */
    public long lastKey() {
        int d = header.deviceIndex;
        boolean car = d < cars;
        return EventIds.key(car, car ? d : d - cars, header.seq);
    }

    /**
     * Fleet-driven: removes and returns a device whose next event is due at or before
     * {@code untilEpochMillis} (device time), earliest first, or -1 if none is. Pass the device to
     * {@link #advance(int, long)} next.
     *
     * @throws IllegalStateException if the fleet is already driven by {@link #next(long)}
     */
    public int pollDue(long untilEpochMillis) {
        return queue().poll(untilEpochMillis);
    }

    /** Fleet-driven: whether some device is due at or before {@code untilEpochMillis}. */
    public boolean hasDue(long untilEpochMillis) {
        return queue().hasDue(untilEpochMillis);
    }

    /** Device time at which a device's next event is due, epoch milliseconds. */
    public long dueMillis(int device) {
        return due[device];
    }

    /**
     * Fleet-driven: generates the due event of a device returned by {@link #pollDue(long)} and queues
     * the device again for its next one.
     */
    public TelemetryEvent advance(int device, long producedAtMillis) {
        DeviceQueue q = queue();
        TelemetryEvent e = emit(device, producedAtMillis);
        q.add(device);
        return e;
    }

    /** Builds the queue of due devices; also called ahead of time to have a fleet-driven fleet ready. */
    public void prepareFleetDriven() {
        queue();
    }

    private DeviceQueue queue() {
        if (queue == null) {
            if (arrivalQueue != null) {
                throw new IllegalStateException("this fleet runs under a fixed arrival rate (next was called); it cannot also be fleet-driven");
            }
            queue = new DeviceQueue(due, startEpochMillis);
            for (int d = 0; d < devices; d++) {
                queue.add(d);
            }
        }
        return queue;
    }

    /**
     * Queues the devices for a fixed arrival rate: the hot ones, a share of the fleet (at least one)
     * spread evenly over the device indexes, in a heap of their own, the others in a queue.
     */
    private void prepareArrivalRate() {
        if (queue != null) {
            throw new IllegalStateException("this fleet is fleet-driven (pollDue was called); next() picks devices under a fixed arrival rate only");
        }
        int hotCount = hotTraffic > 0 ? (int) Math.max(1, Math.round(config.hotDevices().share() * devices)) : 0;
        int[] hot = new int[hotCount];
        for (int j = 0; j < hotCount; j++) {
            hot[j] = (int) ((long) j * devices / hotCount);
        }
        DeviceQueue others = new DeviceQueue(due, startEpochMillis);
        int j = 0;
        for (int d = 0; d < devices; d++) {
            if (j < hotCount && hot[j] == d) {
                j++;
            } else {
                others.add(d);
            }
        }
        arrivalQueue = others;
        hotHeap = hotCount > 0 ? new DueHeap(due, hot) : null;
    }

    private TelemetryEvent emit(int d, long producedAtMillis) {
        long s = seq[d] + 1L;
        if (s > MAX_SEQ) {
            throw new IllegalStateException("device sequence numbers must stay <= " + MAX_SEQ + ", reached " + s);
        }
        seq[d] = (int) s;
        boolean car = d < cars;
        int local = car ? d : d - cars;
        EventHeader h = header;
        h.deviceIndex = d;
        h.eventId = eventId(car, local, s);
        h.deviceId = deviceId(car, local);
        h.seq = s;
        h.eventTimeMillis = due[d];
        h.producedAtMillis = producedAtMillis;
        TelemetryEvent e = car ? carModel.next(local, h) : bikeModel.next(local, h);
        if (h.nextDueMillis <= due[d]) {
            throw new IllegalStateException("a device's next event must be due after its current one, found "
                    + h.nextDueMillis + " <= " + due[d]);
        }
        due[d] = h.nextDueMillis;
        generated++;
        return e;
    }

    /** The id of a device: {@code car-000123} or {@code bike-000045}. */
    public static String deviceId(boolean car, int index) {
        return EventIds.deviceId(car, index);
    }

    /** The id of a device by global index. */
    public String deviceId(int device) {
        return device < cars ? deviceId(true, device) : deviceId(false, device - cars);
    }

    /** The event id of a device's event: see {@link EventIds}. A re-send of the same event keeps its id. */
    String eventId(boolean car, int device, long seq) {
        return eventIds.eventId(car, device, seq);
    }
}
