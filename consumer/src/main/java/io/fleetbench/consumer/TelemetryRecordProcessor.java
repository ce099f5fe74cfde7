package io.fleetbench.consumer;

import io.fleetbench.sink.DeadLetter;
import io.fleetbench.sink.LakeSink;
import io.fleetbench.sink.ShardWriter;
import io.fleetbench.sink.SinkRecord;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.sink.SourceTakenOverException;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Decodes one shard's records into events, hands them to the lake sink and checkpoints only what
 * the sink has made durable.
 *
 * <p>Records that cannot be decoded are counted by reason and handed to the sink as dead letters
 * (raw bytes, reason, position), so they are committed with the same exactly-once bookkeeping as
 * the events; their payload is never logged, and only the first few of a shard are logged one by
 * one, then summarized at most once a minute ({@code InvalidRecordLog}). A record larger than the
 * codec's limit ({@link ConsumerConfig#maxEventBytes()}) is a dead letter as {@code oversized}
 * without being parsed. A record that starts with the KPL aggregation magic bytes but reached the
 * processor whole is an aggregate the KCL could not split ({@code KplAggregates}): a dead letter as
 * {@code aggregate_bad_checksum} or {@code malformed_aggregate}.
 *
 * <p>A position is durable once every record up to it was committed by a flush or dropped by the
 * sink as already committed. The checkpoint follows the durable position and never passes a record
 * that is buffered but not yet flushed, so that after a crash or a lost
 * lease the next owner re-reads everything not yet in the tables (and the sink drops what is).
 * A sink failure is fatal for the shard: the buffer is discarded, nothing is checkpointed any
 * more, and the {@link Listener} is told so that the consumer stops. A checkpoint that fails because the lease table
 * is gone (its store restarted without it) is not: it is tried again with the next batch, as one throttled is. So is a sink that cannot be
 * opened when the shard is taken over.
 *
 * <p>A lease move is not a failure. The sink claims the shard in every table when the new owner opens
 * its writer, so the old owner, if it is still flushing, finds its commit refused
 * ({@link SourceTakenOverException}): its writer deletes what it had not committed, and the processor
 * stops this shard only, without telling the {@link Listener}. The new owner reads those records again
 * from the last checkpoint and drops the ones the tables already hold. A stale owner that does not
 * flush learns of the move at its next checkpoint, which throws {@link ShutdownException} (the KCL's
 * word for a lease that is gone), and stops the same way.
 *
 * <p>Backpressure: the processor checks whether a flush is due every {@value #FLUSH_CHECK_INTERVAL}
 * records and after each batch, and flushes on the KCL's thread before it takes more records, so a
 * sink over its memory budget slows the reading of the shard instead of growing.
 */
public final class TelemetryRecordProcessor implements ShardRecordProcessor {

    /** Hears about a processor's lifecycle: used to time the first lease and to stop on a sink failure. */
    public interface Listener {
        /** The processor took a shard over and opened its writer. */
        default void initialized(String shardId) {
        }

        /** The sink failed; this shard processes nothing more and the consumer should stop. */
        default void failed(String shardId, RuntimeException error) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(TelemetryRecordProcessor.class);
    private static final String MDC_SHARD = "shard";
    /** Records between two checks, within a batch, of whether a flush is due. */
    static final int FLUSH_CHECK_INTERVAL = 1000;
    /** Invalid records of a shard that are logged one by one before they are only counted and summarized. */
    static final int INVALID_RECORDS_LOGGED = 10;
    /** The least time between two summary lines of a shard's invalid records. */
    static final Duration INVALID_RECORDS_SUMMARY_INTERVAL = Duration.ofMinutes(1);

    private final LakeSink sink;
    private final JsonCodec codec;
    private final ConsumerMetrics metrics;
    private final String streamName;
    private final Clock clock;
    private final Listener listener;

    private String shardId;
    private InvalidRecordLog invalidLog;
    private ShardWriter writer;
    private boolean failed;
    /** Whether the lease turned out to be gone: the shard is no longer this processor's, but nothing failed. */
    private boolean stopped;
    /** Whether records were buffered since the last flush: while so, nothing past the last flush is durable. */
    private boolean unflushed;
    private String lastSequence;
    private long lastSubSequence;
    /** The highest position known durable and the highest checkpointed, as {@link SourcePosition}s. */
    private SourcePosition durable;
    private SourcePosition checkpointed;
    private String durableSequence;
    private long durableSubSequence;

    /**
     * @param streamName the stream the records come from, recorded with each dead letter
     * @param clock      the arrival time of a dead letter whose record carries none
     */
    public TelemetryRecordProcessor(LakeSink sink, JsonCodec codec, ConsumerMetrics metrics, String streamName,
                                    Clock clock, Listener listener) {
        this.sink = sink;
        this.codec = codec;
        this.metrics = metrics;
        this.streamName = streamName;
        this.clock = clock;
        this.listener = listener;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        invalidLog = new InvalidRecordLog(shardId, INVALID_RECORDS_LOGGED, INVALID_RECORDS_SUMMARY_INTERVAL, clock,
                line -> log.warn("{}", line));
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SHARD, shardId)) {
            try {
                writer = sink.open(shardId);
            } catch (RuntimeException e) {
                // Not rethrown: the KCL would retry initialize without end and the consumer would never hear of it.
                fail(e);
                return;
            }
            log.info("Took over shard {} at {}", shardId, input.extendedSequenceNumber());
            listener.initialized(shardId);
        }
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SHARD, shardId)) {
            if (failed || stopped) {
                return;
            }
            if (input.millisBehindLatest() != null) {
                metrics.lag(shardId, input.millisBehindLatest());
            }
            if (!input.records().isEmpty()) {
                metrics.recordsReceived(shardId, input.records().size());
                Instant newest = input.records().get(input.records().size() - 1).approximateArrivalTimestamp();
                if (newest != null) {
                    metrics.iteratorAge(shardId, clock.millis() - newest.toEpochMilli());
                }
            }
            int sinceCheck = 0;
            for (KinesisClientRecord r : input.records()) {
                handle(r);
                if (++sinceCheck == FLUSH_CHECK_INTERVAL) {
                    sinceCheck = 0;
                    if (unflushed && writer.flushDue() && !flushUnlessTakenOver()) {
                        return;
                    }
                }
            }
            invalidLog.tick();
            if (unflushed) {
                if (writer.flushDue() && !flushUnlessTakenOver()) {
                    return;
                }
            } else if (lastSequence != null) {
                markDurable();
            }
            checkpointDurable(input.checkpointer());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SHARD, shardId)) {
            // After a requested shutdown the KCL reports the lease as lost too; the writer is closed by then.
            if (writer != null) {
                log.info("Lost the lease of shard {}; discarding what is not flushed", shardId);
                closeWriter();
            }
        }
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SHARD, shardId)) {
            if (!failed && !stopped && unflushed) {
                try {
                    flushUnlessTakenOver();
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
            if (stopped) {
                throw new ConsumerException("shard " + shardId + " ended after it was taken over or its lease was lost;"
                        + " not checkpointing the shard end");
            }
            if (failed) {
                throw new ConsumerException("shard " + shardId + " ended but its last records could not be committed;"
                        + " not checkpointing the shard end");
            }
            try {
                input.checkpointer().checkpoint();
                metrics.checkpointed(shardId);
                log.info("Shard {} ended; checkpointed its end", shardId);
            } catch (ShutdownException | InvalidStateException | ThrottlingException
                     | KinesisClientLibDependencyException e) {
                throw new ConsumerException("cannot checkpoint the end of shard " + shardId + ": " + e.getMessage(), e);
            } finally {
                closeWriter();
            }
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_SHARD, shardId)) {
            if (!failed && !stopped) {
                if (unflushed) {
                    flush();
                }
                checkpointDurable(input.checkpointer());
                log.info("Shutdown requested for shard {}; flushed and checkpointed at {}", shardId, checkpointed);
            }
            closeWriter();
        } catch (SourceTakenOverException e) {
            takenOver(e);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void handle(KinesisClientRecord r) {
        lastSequence = r.sequenceNumber();
        lastSubSequence = r.subSequenceNumber();
        SourcePosition position = SourcePosition.of(lastSequence, lastSubSequence);
        byte[] raw = bytes(r.data());
        TelemetryEvent event;
        try {
            event = decode(r, raw);
        } catch (InvalidEventException e) {
            metrics.eventInvalid(e.reason());
            invalidLog.invalid(position.toString(), e);
            Instant arrived = r.approximateArrivalTimestamp() != null ? r.approximateArrivalTimestamp() : clock.instant();
            DeadLetter deadLetter = new DeadLetter(raw, e.reason().label(), String.valueOf(e.getMessage()), streamName,
                    shardId, position, arrived);
            if (writer.appendDeadLetter(deadLetter)) {
                unflushed = true;
            }
            return;
        }
        metrics.eventDecoded(event.family());
        if (writer.append(new SinkRecord(position, event))) {
            unflushed = true;
        }
    }

    /**
     * Decodes a record, unless it is larger than the codec's limit (then it is not parsed at all) or a KPL
     * aggregate that the KCL passed on whole instead of splitting it.
     */
    private TelemetryEvent decode(KinesisClientRecord r, byte[] raw) throws InvalidEventException {
        if (raw.length > codec.maxRecordBytes()) {
            throw new InvalidEventException(InvalidEventException.Reason.OVERSIZED,
                    "record is " + raw.length + " bytes, the limit is " + codec.maxRecordBytes());
        }
        // A user record split from an aggregate is marked aggregated; only a whole record can be a failed aggregate.
        if (!r.aggregated() && KplAggregates.hasMagic(raw)) {
            throw KplAggregates.rejection(raw);
        }
        return codec.decode(raw);
    }

    /** Commits the buffer; once it returns, everything processed so far is durable. */
    private void flush() {
        writer.flush();
        metrics.flushed(shardId);
        unflushed = false;
        markDurable();
    }

    /**
     * Flushes, unless a newer owner claimed the shard: then this processor stops the shard.
     *
     * @return whether the flush committed; {@code false} if the shard was taken over
     */
    private boolean flushUnlessTakenOver() {
        try {
            flush();
            return true;
        } catch (SourceTakenOverException e) {
            takenOver(e);
            return false;
        }
    }

    /** A newer owner claimed the shard in the tables: it carries on from the last checkpoint, so this is no failure. */
    private void takenOver(SourceTakenOverException e) {
        if (!stopped) {
            stopped = true;
            log.info("Shard {} stops here: a newer owner claimed it ({}); checkpointed up to {}, the new owner carries on",
                    shardId, e.getMessage(), checkpointed);
            closeWriter();
        }
    }

    private void markDurable() {
        durableSequence = lastSequence;
        durableSubSequence = lastSubSequence;
        durable = SourcePosition.of(lastSequence, lastSubSequence);
        metrics.durable(shardId, durable);
    }

    private void checkpointDurable(RecordProcessorCheckpointer checkpointer) {
        if (durable == null || (checkpointed != null && durable.compareTo(checkpointed) <= 0)) {
            return;
        }
        try {
            checkpointer.checkpoint(durableSequence, durableSubSequence);
            checkpointed = durable;
            metrics.checkpointed(shardId);
        } catch (ThrottlingException | KinesisClientLibDependencyException e) {
            log.warn("Checkpoint of shard {} at {} failed, retrying with the next batch: {}", shardId, durable, e.toString());
        } catch (ShutdownException e) {
            leaseGone(e);
        } catch (InvalidStateException e) {
            if (leaseTableGone(e)) {
                // The lease store lost its table (dynalite restarted): an outage of the store, as the KCL's own renewer
                // takes it, not a fault of this shard. The lease is gone with the table, so the checkpoint cannot land
                // until the table is back and the lease taken again; the next owner re-reads from the last one.
                log.warn("Checkpoint of shard {} at {} failed: the lease table is gone; retrying with the next batch: {}",
                        shardId, durable, e.getMessage());
                return;
            }
            throw new ConsumerException("cannot checkpoint shard " + shardId + " at " + durable + ": " + e.getMessage(), e);
        }
    }

    /** Whether a checkpoint failed because the lease table does not exist: DynamoDB's answer, somewhere in the causes. */
    static boolean leaseTableGone(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ResourceNotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** This worker no longer holds the shard's lease: another owner carries on, so this is no failure. */
    private void leaseGone(ShutdownException e) {
        if (!stopped) {
            stopped = true;
            log.info("Shard {} stops here: its lease is gone ({}); checkpointed up to {}, the new owner carries on",
                    shardId, e.getMessage(), checkpointed);
            closeWriter();
        }
    }

    private void fail(RuntimeException e) {
        if (!failed) {
            failed = true;
            log.error("Shard {} stops: the sink or the checkpoint failed; nothing past {} is checkpointed", shardId,
                    checkpointed, e);
            closeWriter();
            listener.failed(shardId, e);
        }
    }

    private void closeWriter() {
        if (invalidLog != null) {
            invalidLog.flush();
        }
        if (writer != null) {
            try {
                writer.close();
            } finally {
                writer = null;
                metrics.shardClosed(shardId);
            }
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        return b;
    }
}
