package io.fleetbench.consumer;

import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.processor.Checkpointer;
import software.amazon.kinesis.processor.PreparedCheckpointer;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

import java.util.List;

/** A checkpointer that logs each checkpoint to a shared list as {@code checkpoint <seq>/<sub>}; can throttle once. */
final class FakeCheckpointer implements RecordProcessorCheckpointer {
    private final List<String> calls;
    boolean throttleNext;

    FakeCheckpointer(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public void checkpoint() {
        calls.add("checkpoint " + ExtendedSequenceNumber.SHARD_END.sequenceNumber());
    }

    @Override
    public void checkpoint(String sequenceNumber, long subSequenceNumber) throws ThrottlingException {
        if (throttleNext) {
            throttleNext = false;
            throw new ThrottlingException("throttled by the test");
        }
        calls.add("checkpoint " + sequenceNumber + "/" + subSequenceNumber);
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
