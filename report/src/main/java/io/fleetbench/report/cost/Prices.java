package io.fleetbench.report.cost;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The AWS list prices the cost model multiplies its units by, read from a prices file such as
 * {@code pricing/aws-prices.yaml}: the region, the date the prices were taken, and per price its
 * value in US dollars and the page it was taken from.
 *
 * @param file                           where the prices were read from
 * @param region                         the AWS region they apply to
 * @param date                           when they were taken
 * @param kinesisShardHour               Kinesis Data Streams, provisioned: one shard-hour
 * @param kinesisPutPayloadUnitsPerMillion Kinesis Data Streams, provisioned: one million PUT payload units
 * @param dynamoDbReadUnitsPerMillion    DynamoDB on-demand: one million read request units
 * @param dynamoDbWriteUnitsPerMillion   DynamoDB on-demand: one million write request units
 * @param s3StandardGbMonth              S3 Standard: one GB-month of storage
 * @param sources                        the page each price was taken from, by its key in the file
 */
public record Prices(String file, String region, String date, double kinesisShardHour,
                     double kinesisPutPayloadUnitsPerMillion, double dynamoDbReadUnitsPerMillion,
                     double dynamoDbWriteUnitsPerMillion, double s3StandardGbMonth, Map<String, String> sources) {

    /** The prices file of a project, relative to its folder. */
    public static final Path DEFAULT_FILE = Path.of("pricing", "aws-prices.yaml");

    static final String KINESIS_SHARD_HOUR = "kinesis_shard_hour";
    static final String KINESIS_PUT_UNITS = "kinesis_put_payload_units_per_million";
    static final String DYNAMODB_READS = "dynamodb_read_request_units_per_million";
    static final String DYNAMODB_WRITES = "dynamodb_write_request_units_per_million";
    static final String S3_STANDARD = "s3_standard_gb_month";
    private static final List<String> PRICE_KEYS = List.of(KINESIS_SHARD_HOUR, KINESIS_PUT_UNITS, DYNAMODB_READS,
            DYNAMODB_WRITES, S3_STANDARD);
    private static final Set<String> TOP_KEYS = Set.of("region", "date", "currency", "prices");
    private static final Set<String> PRICE_FIELDS = Set.of("usd", "source");
    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final YAMLFactory YAML = new YAMLFactory();

    public Prices {
        sources = Map.copyOf(sources);
    }

    /**
     * The prices to use: the file given, else the project's {@link #DEFAULT_FILE} if there is one, else
     * none (null: the cost is worked out without dollars).
     *
     * @param given the file asked for, or null
     * @param home  the project folder, or null when there is none
     */
    public static Prices resolve(Path given, Path home) throws PricesException {
        if (given != null) {
            return load(given);
        }
        if (home == null || !Files.isRegularFile(home.resolve(DEFAULT_FILE))) {
            return null;
        }
        return load(home.resolve(DEFAULT_FILE));
    }

    /** Reads and checks a prices file; every error names the file, the line and the key. */
    public static Prices load(Path file) throws PricesException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new PricesException(file + ": no such prices file");
        } catch (IOException e) {
            throw new PricesException(file + ": cannot read the prices file: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Checks prices given as text; {@code source} names them in errors. */
    static Prices parse(String source, String yaml) throws PricesException {
        Map<String, Scalar> values = scalars(source, yaml);
        for (Map.Entry<String, Scalar> e : values.entrySet()) {
            boolean mapping = e.getKey().endsWith(".");
            String[] parts = e.getKey().split("\\.");
            boolean known = switch (parts.length) {
                case 1 -> mapping ? parts[0].equals("prices") : TOP_KEYS.contains(parts[0]) && !parts[0].equals("prices");
                case 2 -> mapping && parts[0].equals("prices") && PRICE_KEYS.contains(parts[1]);
                case 3 -> !mapping && parts[0].equals("prices") && PRICE_KEYS.contains(parts[1])
                        && PRICE_FIELDS.contains(parts[2]);
                default -> false;
            };
            boolean wantsMapping = !mapping && parts[0].equals("prices")
                    && (parts.length == 1 || parts.length == 2 && PRICE_KEYS.contains(parts[1]));
            if (wantsMapping) {
                throw new PricesException(source + ":" + e.getValue().line() + ": " + e.getKey() + ": expected a mapping"
                        + (parts.length == 1 ? " of prices" : " with usd and source") + ", found \""
                        + e.getValue().text() + "\"");
            }
            if (!known) {
                throw new PricesException(source + ":" + e.getValue().line() + ": unknown key \""
                        + (mapping ? e.getKey().substring(0, e.getKey().length() - 1) : e.getKey())
                        + "\" (known keys: region, date, currency, and prices." + String.join(", prices.", PRICE_KEYS)
                        + ", each with usd and source)");
            }
        }
        String region = required(source, values, "region", 1);
        String date = required(source, values, "date", 1);
        try {
            LocalDate.parse(date);
        } catch (DateTimeParseException e) {
            throw new PricesException(at(source, values, "date") + "date: expected a date such as 2024-11-01, found \""
                    + date + "\"");
        }
        Scalar currency = values.get("currency");
        if (currency != null && !currency.text().equals("USD")) {
            throw new PricesException(source + ":" + currency.line() + ": currency: expected USD, found \""
                    + currency.text() + "\"");
        }
        Map<String, Double> usd = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (String key : PRICE_KEYS) {
            String price = "prices." + key;
            int line = firstLine(values, price);
            String value = required(source, values, price + ".usd", line);
            double v;
            try {
                v = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!values.get(price + ".usd").number() || !(v >= 0) || Double.isInfinite(v)) {
                throw new PricesException(at(source, values, price + ".usd") + price
                        + ".usd: expected a price in US dollars, a number >= 0, found \"" + value + "\"");
            }
            String url = required(source, values, price + ".source", line);
            if (!URL.matcher(url).matches()) {
                throw new PricesException(at(source, values, price + ".source") + price
                        + ".source: expected the URL of the page the price was taken from, found \"" + url + "\"");
            }
            usd.put(key, v);
            sources.put(key, url);
        }
        return new Prices(source, region, date, usd.get(KINESIS_SHARD_HOUR), usd.get(KINESIS_PUT_UNITS),
                usd.get(DYNAMODB_READS), usd.get(DYNAMODB_WRITES), usd.get(S3_STANDARD), sources);
    }

    /** One scalar of the file: its text, whether YAML read it as a number, and its key's line. */
    private record Scalar(String text, boolean number, int line) {
    }

    /**
     * Every scalar of the file by its dotted key, and every mapping by its key and a trailing dot (for
     * its line); a list is an error.
     */
    private static Map<String, Scalar> scalars(String source, String yaml) throws PricesException {
        if (yaml.isBlank()) {
            throw new PricesException(source + ": the prices file is empty");
        }
        Map<String, Scalar> values = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(yaml)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new PricesException(source + ":" + p.currentLocation().getLineNr()
                        + ": expected a mapping of keys (region, date, prices)");
            }
            String key = null;
            int keyLine = 1;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    key = p.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
                    keyLine = p.currentLocation().getLineNr();
                    if (values.containsKey(key)) {
                        throw new PricesException(source + ":" + keyLine + ": key \"" + key + "\" given twice");
                    }
                } else if (t == JsonToken.START_ARRAY) {
                    throw new PricesException(source + ":" + keyLine + ": " + key + ": expected a value or a mapping,"
                            + " found a list");
                } else if (t.isScalarValue()) {
                    boolean number = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
                    values.put(key, new Scalar(t == JsonToken.VALUE_NULL ? "" : p.getText(), number, keyLine));
                } else if (t == JsonToken.START_OBJECT && key != null) {
                    values.put(key + ".", new Scalar("", false, keyLine));
                }
            }
        } catch (JsonProcessingException e) {
            throw new PricesException(source + ":" + e.getLocation().getLineNr() + ": not valid YAML: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PricesException(source + ": cannot read the prices: " + e.getMessage());
        }
        return values;
    }

    private static int firstLine(Map<String, Scalar> values, String mapping) {
        Scalar m = values.get(mapping + ".");
        if (m != null) {
            return m.line();
        }
        Scalar prices = values.get("prices.");
        return prices != null ? prices.line() : 1;
    }

    private static String required(String source, Map<String, Scalar> values, String key, int lineIfMissing)
            throws PricesException {
        Scalar s = values.get(key);
        if (s == null || s.text().isBlank()) {
            throw new PricesException(source + ":" + (s != null ? s.line() : lineIfMissing) + ": " + key
                    + ": required, missing");
        }
        return s.text().trim();
    }

    private static String at(String source, Map<String, Scalar> values, String key) {
        return source + ":" + values.get(key).line() + ": ";
    }
}
