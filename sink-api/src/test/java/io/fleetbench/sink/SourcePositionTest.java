package io.fleetbench.sink;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourcePositionTest {
    private static final String KINESIS = "49650290000000000000000000000000000000000000000000000042";

    @Test
    void aPositionIsItsNumbersWhetherParsedOrBuilt() {
        SourcePosition parsed = SourcePosition.of(KINESIS, 3);
        SourcePosition built = new SourcePosition(new BigInteger(KINESIS), 3);
        assertEquals(built, parsed);
        assertEquals(built.hashCode(), parsed.hashCode());
        assertEquals(0, built.compareTo(parsed));
        assertNotEquals(built, new SourcePosition(new BigInteger(KINESIS), 4));
        assertTrue(SourcePosition.of("10", 0).compareTo(SourcePosition.of("9", 7)) > 0, "ordered as numbers");
    }

    @Test
    void theSequenceTextIsTheNumbersDecimalFormWhateverItWasParsedFrom() {
        assertEquals(KINESIS, SourcePosition.of(KINESIS, 0).sequenceText());
        assertEquals(KINESIS, new SourcePosition(new BigInteger(KINESIS), 0).sequenceText());
        assertEquals("7", SourcePosition.of("007", 0).sequenceText());
        assertEquals("7", SourcePosition.of("+7", 0).sequenceText());
        assertEquals("0", SourcePosition.of("0", 0).sequenceText());
        assertEquals("12", SourcePosition.of("\u0661\u0662", 0).sequenceText(), "Arabic-Indic digits parse as 12");
    }

    @Test
    void theCommitMetadataFormRoundTrips() {
        SourcePosition p = SourcePosition.of(KINESIS, 2);
        assertEquals(KINESIS + "/2", p.toString());
        assertEquals(p, SourcePosition.parse(p.toString()));
        assertThrows(IllegalArgumentException.class, () -> SourcePosition.parse(KINESIS));
        assertThrows(IllegalArgumentException.class, () -> SourcePosition.of("-1", 0));
        assertThrows(IllegalArgumentException.class, () -> new SourcePosition(BigInteger.ONE, -1));
    }
}
