package io.fleetbench.lakesink;

import io.fleetbench.sink.PositionRegressionException;
import io.fleetbench.sink.SourcePosition;
import io.fleetbench.sink.SourceTakenOverException;

import io.fleetbench.lake.CommitOutcome;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableProgressTest {
    private static final SourcePosition P5 = SourcePosition.of("5", 0);
    private static final SourcePosition P7 = SourcePosition.of("7", 0);

    @Test
    void coversPositionsAtOrBelowTheCommittedOne() {
        TableProgress p = new TableProgress(3, Optional.of(SourcePosition.of("5", 2)));
        assertTrue(p.covers(SourcePosition.of("5", 2)));
        assertTrue(p.covers(SourcePosition.of("4", 9)));
        assertFalse(p.covers(SourcePosition.of("5", 3)));
        assertFalse(TableProgress.NONE.covers(SourcePosition.of("0", 0)));
    }

    @Test
    void advancingRaisesTheVersionByOne() {
        TableProgress first = TableProgress.NONE.advanceTo(P5);
        assertEquals(new TableProgress(0, Optional.of(P5)), first);
        assertEquals(new TableProgress(1, Optional.of(P7)), first.advanceTo(P7));
    }

    @Test
    void refusesPositionsThatMoveBackwardsOrStay() {
        TableProgress p = new TableProgress(4, Optional.of(P7));
        PositionRegressionException e = assertThrows(PositionRegressionException.class, () -> p.advanceTo(P5));
        assertTrue(e.getMessage().contains("expected a position above 7/0, found 5/0"), e.getMessage());
        assertThrows(PositionRegressionException.class, () -> p.advanceTo(P7));
    }

    @Test
    void aMovedVersionMeansTheSourceWasTakenOver() {
        TableProgress p = new TableProgress(4, Optional.of(P7));
        p.checkUnchanged("t", "app-shard", 4);
        SourceTakenOverException e = assertThrows(SourceTakenOverException.class,
                () -> p.checkUnchanged("t", "app-shard", 5));
        assertEquals(4, e.expectedVersion());
        assertEquals(5, e.foundVersion());
    }

    @Test
    void resolvesACommitThatThrew() {
        TableProgress before = new TableProgress(4, Optional.of(P5));
        TableProgress attempted = before.advanceTo(P7);
        IllegalStateException failure = new IllegalStateException("checkpoint failed");
        assertEquals(new CommitOutcome.Committed(12, Optional.of(failure)),
                before.resolve("t", "a", attempted, attempted, 12, failure));
        assertEquals(new CommitOutcome.NotLanded(failure), before.resolve("t", "a", attempted, before, 9, failure));
        TableProgress other = new TableProgress(5, Optional.of(SourcePosition.of("6", 0)));
        CommitOutcome taken = before.resolve("t", "a", attempted, other, 12, failure);
        assertInstanceOf(SourceTakenOverException.class, assertInstanceOf(CommitOutcome.Conflict.class, taken).cause());
    }

    @Test
    void aPositionNeedsAVersionButAClaimNeedsNoPosition() {
        assertThrows(IllegalArgumentException.class, () -> new TableProgress(-1, Optional.of(P5)));
        assertEquals(new TableProgress(0, Optional.empty()), TableProgress.NONE.fenced());
        TableProgress committed = new TableProgress(4, Optional.of(P5));
        assertEquals(new TableProgress(5, Optional.of(P5)), committed.fenced(), "a claim keeps the position");
        assertFalse(TableProgress.NONE.fenced().covers(P5), "a claim without data covers nothing");
    }

    @Test
    void commitMarksRoundTripAndIgnoreForeignMetadata() {
        CommitMark m = new CommitMark("app-shard-1", 9, Optional.of(SourcePosition.of("123456789012345678901234567890", 3)));
        assertEquals(Optional.of(m), CommitMark.parse(m.toJson()));
        CommitMark claim = new CommitMark("app-shard-1", 0, Optional.empty());
        assertEquals(Optional.of(claim), CommitMark.parse(claim.toJson()));
        assertEquals(java.util.List.of(m, claim), CommitMark.parseAll(CommitMark.toJson(java.util.List.of(m, claim))),
                "a commit carrying several sources");
        assertEquals(java.util.List.of(m), CommitMark.parseAll(m.toJson()), "a single mark");
        assertEquals(java.util.List.of(claim), CommitMark.parseAll(
                "[{\"appId\":\"x\",\"txnVersion\":1,\"position\":\"offset-9\"}," + claim.toJson() + "]"),
                "foreign entries are left out");
        assertEquals(Optional.empty(), CommitMark.parse("not json"));
        assertEquals(Optional.empty(), CommitMark.parse("{\"compaction\":true}"));
    }

    @Test
    void commitMarksWithAPositionInAnotherFormAreNotOurs() {
        for (String position : new String[] {"offset-42", "42", "42/x", "/3", "-1/0", "1/-2"}) {
            String json = "{\"appId\":\"app-shard-1\",\"txnVersion\":9,\"position\":\"" + position + "\"}";
            assertEquals(Optional.empty(), CommitMark.parse(json), json);
        }
    }
}
