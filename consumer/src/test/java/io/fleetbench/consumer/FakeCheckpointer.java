package io.fleetbench.consumer;

import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.processor.Checkpointer;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.util.List;

/**
 * A checkpointer that logs each checkpoint to a shared list as {@code checkpoint <seq>/<sub>}; can fail the
 * next checkpoint with a given KCL exception, logged as {@code checkpoint failed}.
 */
final class FakeCheckpointer implements RecordProcessorCheckpointer {
    private final List<String> calls;
    Exception failNext;

    FakeCheckpointer(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public void checkpoint() throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException,
            ShutdownException {
        failIfAsked();
        calls.add("checkpoint " + ExtendedSequenceNumber.SHARD_END.sequenceNumber());
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) throws KinesisClientLibDependencyException,
            InvalidStateException, ThrottlingException, ShutdownException {
        failIfAsked();
        calls.add("checkpoint " + sequenceNumber + "/" + subSequenceNumber);
    }

    private void failIfAsked() throws KinesisClientLibDependencyException, InvalidStateException, ThrottlingException,
            ShutdownException {
        Exception e = failNext;
        if (e == null) {
            return;
        }
        failNext = null;
        calls.add("checkpoint failed");
        if (e instanceof KinesisClientLibDependencyException d) {
            throw d;
        } else if (e instanceof InvalidStateException i) {
            throw i;
        } else if (e instanceof ThrottlingException t) {
            throw t;
        } else if (e instanceof ShutdownException s) {
            throw s;
        }
        throw new IllegalArgumentException("a checkpoint throws only the KCL's four checkpoint exceptions, found " + e);
    }

    @Override
    public void checkpoint(software.amazon.awssdk.services.kinesis.model.Record record) {
        throw new UnsupportedOperationException("the processor checkpoints by sequence number");
    }

    @Override
    public void checkpoint(String sequenceNumber) {
        throw new UnsupportedOperationException("the processor checkpoints with a sub-sequence number");
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint() {
        throw new UnsupportedOperationException();
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(byte[] applicationState) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(software.amazon.awssdk.services.kinesis.model.Record record) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(software.amazon.awssdk.services.kinesis.model.Record record, byte[] applicationState) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, byte[] applicationState) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PreparedCheckpointer prepareCheckpoint(String sequenceNumber, long subSequenceNumber, byte[] applicationState) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Checkpointer checkpointer() {
        throw new UnsupportedOperationException();
    }
}
