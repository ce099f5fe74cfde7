package io.fleetbench.runner.restart;

import io.fleetbench.consumer.LeaseTables;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ShardLimitProxy;
import io.fleetbench.localstack.StreamAdmin;
import io.fleetbench.localstack.StreamEmulator;
import io.fleetbench.profile.LoadProfile;
import io.fleetbench.report.RunReport;
import io.fleetbench.simulator.KinesisClients;
import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.manifest.AckManifest;
import io.fleetbench.telemetry.manifest.ManifestHeader;
import io.fleetbench.telemetry.manifest.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.kinesis.common.InitialPositionInStream;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The profile's {@code infrastructure.restarts} in a run: at its time after the load's start, each emulator named is
 * killed (SIGKILL) and started again in place by the {@link LocalStack}, on a thread of its own while the load goes on;
 * then what the pipeline needs from it is put back as an operator would.
 *
 * <ul>
 *   <li>dynalite keeps its tables in memory: the KCL's lease table is gone. It is created again at once with its owner
 *   index ({@link LeaseTables#ensureLeaseTable}), which the KCL cannot add on dynalite by itself; the KCL then creates
 *   the shards' leases anew from its initial position and reads them again from there, and the sink drops what its
 *   tables already hold.</li>
 *   <li>kinesalite keeps its streams in memory: the stream and every record in it are gone. First the proxy in front of
 *   it holds every call, the producer's and the consumer's, until the calls already forwarded are answered; then the
 *   whole stream is read straight from kinesalite and every event in it written to a stream-loss manifest
 *   ({@code stream-loss.manifest}, {@code stream-loss-<n>.manifest} when kinesalite restarts more than once), which the
 *   audit reads to tell the fault's loss from the pipeline's. Then kinesalite is restarted, the stream created again
 *   with its shards (its sequence numbers start above the old stream's, which this checks, so that the sink's stored
 *   positions do not make it skip the new records), the consumer's checkpoints reset to {@code TRIM_HORIZON}
 *   ({@link LeaseTables#resetCheckpoints}), and the calls let go on, into the new stream.</li>
 * </ul>
 *
 * <p>A restart that fails stops the run ({@link #failure()}); a restart whose time has not come when the load ends (a
 * load stopped early) is not done.
 */
public final class EmulatorRestarts implements AutoCloseable {
    /** The emulator that holds the KCL's leases. */
    public static final String DYNALITE = "dynalite";
    /** The emulator that holds the stream. */
    public static final String KINESALITE = "kinesalite";
    /** The file a kinesalite restart writes the destroyed events into when there is one such restart. */
    public static final String STREAM_LOSS_FILE = "stream-loss.manifest";

    private static final Logger log = LoggerFactory.getLogger(EmulatorRestarts.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Kinesalite dates a new stream's sequence numbers 2 s back, in whole seconds. */
    private static final long KINESALITE_BACKDATE_MILLIS = 2_000;
    /** How long a dynalite restart waits for the KCL to hold every shard's lease again. */
    private static final Duration LEASES_TIMEOUT = Duration.ofMinutes(2);
    private static final long LEASES_POLL_MILLIS = 200;

    /**
     * Where the restarts happen and what they put back.
     *
     * @param stack      the run's own emulators
     * @param proxy      the proxy every Kinesis call of the run goes through; required to restart kinesalite
     * @param stream     the run's stream and its shards
     * @param shards     the shards it was created with
     * @param leaseTable the KCL's lease table
     * @param runDir     where a stream-loss manifest goes
     * @param seed       the fleet's seed, whose event ids the stream holds
     * @param cars       cars in the fleet
     * @param bikes      bikes in the fleet
     * @param out        where the run's fault lines go
     */
    public record Target(LocalStack stack, Optional<ShardLimitProxy> proxy, String stream, int shards, String leaseTable,
                         Path runDir, long seed, int cars, int bikes, PrintStream out) {
    }

    private final List<LoadProfile.Restart> planned;
    private final Target target;
    private final KinesisAsyncClient kinesis;
    private final DynamoDbAsyncClient dynamo;
    private final List<RunReport.EmulatorRestart> done = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Held while an emulator is down or its contents are being put back: {@link #finish()} waits for it. */
    private final ReentrantLock restarting = new ReentrantLock();
    private final long kinesaliteRestarts;
    private long streamLossEvents;
    private Thread thread;

    /**
     * @param restarts the profile's, done in order of their time
     */
    public EmulatorRestarts(List<LoadProfile.Restart> restarts, Target target) {
        this.planned = restarts.stream().sorted(Comparator.comparing(LoadProfile.Restart::at)).toList();
        this.target = target;
        this.kinesaliteRestarts = planned.stream().filter(r -> r.emulator().equals(KINESALITE)).count();
        this.kinesis = KinesisClients.create(Optional.of(target.stack().kinesisEndpoint()), 4);
        this.dynamo = DynamoDbAsyncClient.builder().endpointOverride(target.stack().dynamoEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fleetbench", "fleetbench")))
                .build();
    }

    /**
     * Why a run cannot restart the profile's emulators, if it cannot: they must be the run's own (not a stack from
     * {@code fleetbench stack up}), kinesalite must be the stream emulator, and the pipeline fleetbench's own, whose
     * lease table and checkpoints the run knows.
     *
     * @return the reason, naming the profile's key; empty if the run can restart them or the profile restarts none
     */
    public static Optional<String> refusal(LoadProfile profile, boolean externalPipeline, boolean reusedStack,
                                           StreamEmulator streamEmulator) {
        List<LoadProfile.Restart> restarts = profile.infrastructure().restarts();
        if (restarts.isEmpty()) {
            return Optional.empty();
        }
        if (externalPipeline) {
            return Optional.of("infrastructure.restarts: the emulators are restarted under the reference pipeline only,"
                    + " whose lease table and checkpoints the run puts back; an external pipeline's state is its own."
                    + " Run the profile without --pipeline external, or without infrastructure.restarts");
        }
        if (reusedStack) {
            return Optional.of("infrastructure.restarts: the running stack is the one `fleetbench stack up` started, not"
                    + " this run's, and the run kills only emulators it started itself; stop it with `fleetbench stack"
                    + " down` so that the run starts its own");
        }
        if (profile.infrastructure().restarts(KINESALITE) && streamEmulator != StreamEmulator.KINESALITE) {
            return Optional.of("infrastructure.restarts names kinesalite, but the stack's stream emulator is "
                    + streamEmulator.packageName());
        }
        return Optional.empty();
    }

    /**
     * Starts the restarts' clock: each is done at its time after {@code loadStartNanos} ({@link System#nanoTime()}).
     */
    public void start(long loadStartNanos) {
        if (planned.isEmpty()) {
            return;
        }
        thread = new Thread(() -> runAll(loadStartNanos), "fleetbench-emulator-restarts");
        thread.setDaemon(true);
        thread.start();
    }

    /** Why a restart failed, if one did: the run stops with it. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * Called when the load ends: the restarts whose time has not come are not done (said on the run's output), and a
     * restart under way is waited for until its emulator is back with what the pipeline needs. What the KCL does then
     * is the drain's to wait for: a wait for its leases goes on meanwhile, until {@link #close()}.
     */
    public void finish() {
        stop.countDown();
        restarting.lock();
        restarting.unlock();
    }

    /** The restarts done so far, in order. */
    public List<RunReport.EmulatorRestart> done() {
        return List.copyOf(done);
    }

    /** The fleet's events destroyed with the stream so far, as the stream-loss manifests record them. */
    public synchronized long streamLossEvents() {
        return streamLossEvents;
    }

    /** Stops waiting for the KCL's leases, if it still is, and closes the clients. */
    @Override
    public void close() throws InterruptedException {
        finish();
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
        kinesis.close();
        dynamo.close();
    }

    private void runAll(long loadStartNanos) {
        int kinesaliteDone = 0;
        for (int i = 0; i < planned.size(); i++) {
            LoadProfile.Restart r = planned.get(i);
            long due = loadStartNanos + r.at().toNanos();
            try {
                boolean ended = stop.await(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
                restarting.lock();
                try {
                    if (ended || stop.getCount() == 0) {
                        for (LoadProfile.Restart left : planned.subList(i, planned.size())) {
                            target.out().printf("fault: %s not restarted: the load ended before its time, %s%n",
                                    left.emulator(), format(left.at()));
                        }
                        return;
                    }
                    double at = (System.nanoTime() - loadStartNanos) / 1e9;
                    if (r.emulator().equals(KINESALITE)) {
                        done.add(restartKinesalite(at, ++kinesaliteDone));
                        continue;
                    }
                    done.add(restartDynalite(at));
                } finally {
                    restarting.unlock();
                }
                awaitLeases(done.size() - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | IOException e) {
                log.error("Restarting {} failed", r.emulator(), e);
                failure.compareAndSet(null, new IllegalStateException("infrastructure.restarts: restarting "
                        + r.emulator() + " at " + format(r.at()) + " of the load failed: " + e.getMessage(), e));
                return;
            }
        }
    }

    private RunReport.EmulatorRestart restartDynalite(double at) {
        long t0 = System.nanoTime();
        Duration took = target.stack().restart(DYNALITE);
        new LeaseTables(dynamo, CALL_TIMEOUT).ensureLeaseTable(target.leaseTable());
        double created = (System.nanoTime() - t0) / 1e9;
        String recovery = String.format(Locale.ROOT, "lease table %s created again with its index %s after %.1f s",
                target.leaseTable(), LeaseTables.OWNER_INDEX, created);
        target.out().printf(Locale.ROOT, "fault: dynalite killed at %.1f s of the load and restarted in %.1f s; %s%n",
                at, seconds(took), recovery);
        return new RunReport.EmulatorRestart(DYNALITE, at, seconds(took), created, null, null, null, recovery);
    }

    /**
     * After dynalite's restart the KCL creates the leases anew from the stream's shards and takes them: waits until
     * every shard has a lease with an owner again, and adds when to the restart's report. Gives up after
     * {@link #LEASES_TIMEOUT}, or when {@link #close()} interrupts it (the run ended first), saying so instead.
     */
    private void awaitLeases(int index) throws InterruptedException {
        RunReport.EmulatorRestart r = done.get(index);
        long killed = System.nanoTime() - (long) (r.outageSeconds() * 1e9);
        LeaseTables tables = new LeaseTables(dynamo, CALL_TIMEOUT);
        String outcome = "the KCL did not hold a lease of every shard again within " + format(LEASES_TIMEOUT);
        try {
            while (System.nanoTime() - killed < LEASES_TIMEOUT.toNanos()) {
                Map<String, String> owners = tables.leaseOwners(target.leaseTable());
                if (owners.size() >= target.shards() && owners.values().stream().noneMatch(String::isEmpty)) {
                    double back = (System.nanoTime() - killed) / 1e9;
                    outcome = String.format(Locale.ROOT, "the KCL created the leases again and held every shard's"
                            + " after %.1f s", back);
                    done.set(index, new RunReport.EmulatorRestart(r.emulator(), r.atSeconds(), r.restartSeconds(), back,
                            null, null, null, r.recovery() + "; " + outcome));
                    target.out().printf("fault: dynalite: %s%n", outcome);
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(LEASES_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            outcome = "the run ended before the KCL held a lease of every shard again";
            throw e;
        } finally {
            if (!done.get(index).recovery().endsWith(outcome)) {
                done.set(index, new RunReport.EmulatorRestart(r.emulator(), r.atSeconds(), r.restartSeconds(),
                        r.outageSeconds(), null, null, null, r.recovery() + "; " + outcome));
            }
        }
    }

    private RunReport.EmulatorRestart restartKinesalite(double at, int n) throws IOException, InterruptedException {
        ShardLimitProxy proxy = target.proxy().orElseThrow(() -> new IllegalStateException(
                "kinesalite restarts need the proxy in front of it, to hold the calls"));
        long t0 = System.nanoTime();
        proxy.hold(CALL_TIMEOUT);
        int held;
        Duration took;
        StreamContents lost;
        String file = kinesaliteRestarts == 1 ? STREAM_LOSS_FILE : "stream-loss-" + n + ".manifest";
        try {
            lost = StreamContents.read(kinesis, target.stream(), new EventIds(target.seed()), target.cars(),
                    target.bikes(), CALL_TIMEOUT.toMillis());
            ManifestHeader header = new ManifestHeader(target.seed(), target.cars(), target.bikes(), "stream-loss",
                    target.stream(), true, System.currentTimeMillis(),
                    Map.of(Outcome.ACKNOWLEDGED.label(), lost.events()));
            AckManifest.write(target.runDir().resolve(file), header, lost.ledger());
            synchronized (this) {
                streamLossEvents += lost.events();
            }
            long createdSeconds = kinesis.describeStreamSummary(b -> b.streamName(target.stream())).join()
                    .streamDescriptionSummary().streamCreationTimestamp().getEpochSecond();
            took = target.stack().restart(KINESALITE);
            createNewerStream(createdSeconds, lost.highestByShard());
            new LeaseTables(dynamo, CALL_TIMEOUT).resetCheckpoints(target.leaseTable(),
                    InitialPositionInStream.TRIM_HORIZON);
        } finally {
            // Never leave the run's calls held, whatever failed.
            held = proxy.release();
        }
        double outage = (System.nanoTime() - t0) / 1e9;
        String recovery = String.format(Locale.ROOT, "stream %s created again with %d shards, the consumer's"
                        + " checkpoints reset to TRIM_HORIZON; %,d calls held for %.1f s", target.stream(),
                target.shards(), held, outage);
        target.out().printf(Locale.ROOT, "fault: kinesalite killed at %.1f s of the load and restarted in %.1f s; its"
                        + " stream held %,d records, %,d events of the fleet (recorded in %s%s); %s%n", at, seconds(took),
                lost.records(), lost.events(), file,
                lost.unreadable() == 0 ? "" : String.format(Locale.ROOT, "; %,d records without an event id of the"
                        + " fleet", lost.unreadable()), recovery);
        return new RunReport.EmulatorRestart(KINESALITE, at, seconds(took), outage, lost.events(), file, held, recovery);
    }

    /**
     * Creates the stream again, in a later second than the old one was: kinesalite's sequence numbers start with the
     * stream's creation second, so the new stream's are then above every old one, as the sink's stored positions need.
     */
    private void createNewerStream(long oldCreatedSeconds, Map<String, BigInteger> oldHighest) throws InterruptedException {
        long waitMillis = (oldCreatedSeconds + 1) * 1000 + KINESALITE_BACKDATE_MILLIS - System.currentTimeMillis();
        if (waitMillis > 0) {
            TimeUnit.MILLISECONDS.sleep(waitMillis);
        }
        StreamAdmin.createAndAwaitActive(kinesis, target.stream(), target.shards(), CALL_TIMEOUT);
        List<Shard> shards = new ArrayList<>(kinesis.listShards(b -> b.streamName(target.stream())).join().shards());
        for (Shard s : shards) {
            BigInteger start = new BigInteger(s.sequenceNumberRange().startingSequenceNumber());
            BigInteger old = oldHighest.get(s.shardId());
            if (old != null && start.compareTo(old) <= 0) {
                throw new IllegalStateException("the new stream's shard " + s.shardId() + " starts at sequence number "
                        + start + ", not above the old stream's " + old + ": the sink would skip its records as"
                        + " committed");
            }
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
