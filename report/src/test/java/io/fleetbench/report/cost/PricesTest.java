package io.fleetbench.report.cost;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a prices file, and the errors that name its line and key. */
public class PricesTest {
    public static final String VALID = """
            region: us-east-1
            date: 2024-11-01
            currency: USD
            prices:
              kinesis_shard_hour:
                usd: 0.015
                source: https://aws.amazon.com/kinesis/data-streams/pricing/
              kinesis_put_payload_units_per_million:
                usd: 0.014
                source: https://aws.amazon.com/kinesis/data-streams/pricing/
              dynamodb_read_request_units_per_million:
                usd: 0.125
                source: https://aws.amazon.com/dynamodb/pricing/on-demand/
              dynamodb_write_request_units_per_million:
                usd: 0.625
                source: https://aws.amazon.com/dynamodb/pricing/on-demand/
              s3_standard_gb_month:
                usd: 0.023
                source: https://aws.amazon.com/s3/pricing/
            """;

    @Test
    void readsEveryPriceWithItsSource() throws Exception {
        Prices p = Prices.parse("p.yaml", VALID);
        assertEquals("us-east-1", p.region());
        assertEquals("2024-11-01", p.date());
        assertEquals(0.015, p.kinesisShardHour());
        assertEquals(0.014, p.kinesisPutPayloadUnitsPerMillion());
        assertEquals(0.125, p.dynamoDbReadUnitsPerMillion());
        assertEquals(0.625, p.dynamoDbWriteUnitsPerMillion());
        assertEquals(0.023, p.s3StandardGbMonth());
        assertEquals("https://aws.amazon.com/s3/pricing/", p.sources().get("s3_standard_gb_month"));
    }

    @Test
    void theProjectsPricesFileIsValid() throws Exception {
        Prices p = Prices.resolve(null, Path.of("..").toAbsolutePath().normalize());
        assertTrue(p.file().endsWith("aws-prices.yaml"), p.file());
        assertEquals("us-east-1", p.region());
        assertEquals(5, p.sources().size());
    }

    @Test
    void withoutAFileAndWithoutAProjectThereAreNoPrices(@TempDir Path dir) throws Exception {
        assertNull(Prices.resolve(null, null));
        assertNull(Prices.resolve(null, dir));
    }

    @Test
    void aPriceThatIsNotANumberNamesItsLineAndKey() {
        assertError("p.yaml:9: prices.kinesis_put_payload_units_per_million.usd: expected a price in US dollars,"
                + " a number >= 0, found \"cheap\"", VALID.replace("usd: 0.014", "usd: cheap"));
        assertError("p.yaml:9: prices.kinesis_put_payload_units_per_million.usd: expected a price in US dollars,"
                + " a number >= 0, found \"-0.014\"", VALID.replace("usd: 0.014", "usd: -0.014"));
    }

    @Test
    void aMissingPriceNamesItsKey() {
        String without = VALID.replace("""
                  s3_standard_gb_month:
                    usd: 0.023
                    source: https://aws.amazon.com/s3/pricing/
                """, "");
        assertError("p.yaml:4: prices.s3_standard_gb_month.usd: required, missing", without);
        assertError("p.yaml:17: prices.s3_standard_gb_month.usd: required, missing",
                VALID.replace("    usd: 0.023\n", ""));
    }

    @Test
    void anUnknownKeyIsRefused() {
        assertError("p.yaml:7: unknown key \"prices.kinesis_shard_hour.eur\"",
                VALID.replace("    source: https://aws.amazon.com/kinesis/data-streams/pricing/\n  kinesis_put",
                        "    eur: 0.014\n  kinesis_put"));
        assertError("p.yaml:2: unknown key \"dated\"", VALID.replace("date:", "dated:"));
    }

    @Test
    void aBadDateSourceOrCurrencyIsRefused() {
        assertError("p.yaml:2: date: expected a date such as 2024-11-01, found \"last year\"",
                VALID.replace("2024-11-01", "last year"));
        assertError("p.yaml:7: prices.kinesis_shard_hour.source: expected the URL of the page the price was taken"
                + " from, found \"the web\"", VALID.replaceFirst("https://aws.amazon.com/kinesis/data-streams/pricing/",
                "the web"));
        assertError("p.yaml:3: currency: expected USD, found \"EUR\"", VALID.replace("USD", "EUR"));
        assertError("p.yaml:5: prices.kinesis_shard_hour: expected a mapping with usd and source, found \"0.015\"",
                VALID.replace("kinesis_shard_hour:\n    usd: 0.015\n    source: https://aws.amazon.com/kinesis/data-streams/pricing/",
                        "kinesis_shard_hour: 0.015"));
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.yaml");
        PricesException e = assertThrows(PricesException.class, () -> Prices.load(missing));
        assertEquals(missing + ": no such prices file", e.getMessage());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "region: [us-east-1\n");
        e = assertThrows(PricesException.class, () -> Prices.load(bad));
        assertTrue(e.getMessage().startsWith(bad + ":"), e.getMessage());
    }

    private static void assertError(String expectedStart, String yaml) {
        PricesException e = assertThrows(PricesException.class, () -> Prices.parse("p.yaml", yaml));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
