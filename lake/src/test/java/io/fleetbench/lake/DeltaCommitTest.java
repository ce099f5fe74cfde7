package io.fleetbench.lake;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.exceptions.ConcurrentAppendException;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class DeltaCommitTest {
    @TempDir
    Path dir;
    private DeltaLog log;

    @BeforeEach
    void createTable() {
        log = DeltaLog.forTable(LocalLogStore.configuration(), dir.toString());
        OptimisticTransaction txn = log.startTransaction();
        txn.updateMetadata(Metadata.builder()
                .schema(new StructType(new StructField[] {new StructField("n", new LongType())})).build());
        txn.commit(List.<Action>of(), new Operation(Operation.Name.CREATE_TABLE), "test");
    }

    private static AddFile add(String path) {
        return new AddFile(path, Map.of(), 1, 0, true, null, null);
    }

    private static DeltaCommit.Resolver carrying(DeltaLog log, long readVersion, String path) {
        return DeltaCommit.inLog(log, readVersion, a -> a instanceof AddFile f && f.getPath().equals(path));
    }

    @Test
    void aCommitThatReturnsIsCommittedAtItsVersion() {
        OptimisticTransaction txn = log.startTransaction();
        CommitOutcome outcome = DeltaCommit.attempt(
                () -> txn.commit(List.of(add("a.parquet")), new Operation(Operation.Name.WRITE), "test").getVersion(),
                carrying(log, txn.readVersion(), "a.parquet"));
        assertEquals(new CommitOutcome.Committed(1, Optional.empty()), outcome);
    }

    @Test
    void aCommitThatThrewAfterLandingIsFoundInTheLog() {
        OptimisticTransaction txn = log.startTransaction();
        IllegalStateException checkpoint = new IllegalStateException("checkpoint failed");
        CommitOutcome outcome = DeltaCommit.attempt(() -> {
            txn.commit(List.of(add("a.parquet")), new Operation(Operation.Name.WRITE), "test");
            throw checkpoint;
        }, carrying(log, txn.readVersion(), "a.parquet"));
        assertEquals(new CommitOutcome.Committed(1, Optional.of(checkpoint)), outcome);
    }

    @Test
    void aCommitThatThrewBeforeLandingDidNotLand() {
        OptimisticTransaction other = log.startTransaction();
        other.commit(List.of(add("b.parquet")), new Operation(Operation.Name.WRITE), "test");
        IllegalStateException down = new IllegalStateException("log store down");
        CommitOutcome outcome = DeltaCommit.attempt(() -> {
            throw down;
        }, carrying(log, 0, "a.parquet"));
        assertEquals(new CommitOutcome.NotLanded(down), outcome);
    }

    @Test
    void aConcurrentModificationIsAConflict() {
        ConcurrentAppendException conflict = new ConcurrentAppendException("files were added meanwhile");
        CommitOutcome outcome = DeltaCommit.attempt(() -> {
            throw conflict;
        }, carrying(log, 0, "a.parquet"));
        assertSame(conflict, assertInstanceOf(CommitOutcome.Conflict.class, outcome).cause());
    }
}
