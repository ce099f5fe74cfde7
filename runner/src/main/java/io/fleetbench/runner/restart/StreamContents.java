package io.fleetbench.runner.restart;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fleetbench.telemetry.EventIds;
import io.fleetbench.telemetry.manifest.AckLedger;
import io.fleetbench.telemetry.manifest.Outcome;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything a stream holds, read straight from the emulator: every shard from TRIM_HORIZON to its end, KPL aggregates
 * split into their user records, and the fleet's event of each record recorded as {@link Outcome#ACKNOWLEDGED} in an
 * {@link AckLedger}, which a stream-loss manifest is written from.
 *
 * @param ledger        the fleet's events found, by device and sequence number
 * @param records       Kinesis records read (an aggregate counts once)
 * @param userRecords   user records among them, aggregates split
 * @param events        user records whose {@code event_id} is one of the fleet's
 * @param unreadable    user records without such an id: a malformed record cut before its id, or another fleet's
 * @param highestByShard the highest sequence number of each shard that held a record
 */
record StreamContents(AckLedger ledger, long records, long userRecords, long events, long unreadable,
                      Map<String, BigInteger> highestByShard) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String EVENT_ID = "event_id";
    private static final int LIMIT = 10_000;

    /**
     * Reads the whole stream. The stream must stand still meanwhile: nothing puts into it (the proxy holds the calls).
     *
     * @param timeoutMillis how long each call may take, in milliseconds
     * @throws IllegalStateException if a call fails, naming the stream and shard
     */
    static StreamContents read(KinesisAsyncClient kinesis, String stream, EventIds ids, int cars, int bikes,
                               long timeoutMillis) {
        AckLedger ledger = new AckLedger(cars, bikes);
        AggregatorUtil aggregates = new AggregatorUtil();
        long records = 0;
        long userRecords = 0;
        long events = 0;
        long unreadable = 0;
        Map<String, BigInteger> highest = new LinkedHashMap<>();
        for (Shard shard : shards(kinesis, stream, timeoutMillis)) {
            String what = "shard " + shard.shardId() + " of stream " + stream;
            String iterator = call(kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)), "get an iterator of " + what, timeoutMillis)
                    .shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse page = call(kinesis.getRecords(b -> b.shardIterator(it).limit(LIMIT)),
                        "read " + what, timeoutMillis);
                if (page.records().isEmpty()) {
                    break;
                }
                records += page.records().size();
                List<KinesisClientRecord> whole = new ArrayList<>(page.records().size());
                page.records().forEach(r -> whole.add(KinesisClientRecord.fromRecord(r)));
                highest.put(shard.shardId(), new BigInteger(whole.get(whole.size() - 1).sequenceNumber()));
                for (KinesisClientRecord r : aggregates.deaggregate(whole)) {
                    userRecords++;
                    long key = ids.decode(eventId(r.data()));
                    if (key == EventIds.FOREIGN) {
                        unreadable++;
                    } else {
                        ledger.record(key, Outcome.ACKNOWLEDGED);
                        events++;
                    }
                }
                iterator = page.nextShardIterator();
            }
        }
        return new StreamContents(ledger, records, userRecords, events, unreadable, Map.copyOf(highest));
    }

    private static List<Shard> shards(KinesisAsyncClient kinesis, String stream, long timeoutMillis) {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListShardsResponse page = call(token == null ? kinesis.listShards(b -> b.streamName(stream))
                    : kinesis.listShards(b -> b.nextToken(token)), "list the shards of stream " + stream, timeoutMillis);
            shards.addAll(page.shards());
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    /**
     * The {@code event_id} of a record's JSON, read up to it only: a record cut short after its id (the malformed data
     * fault) still tells whose it is; null if there is none.
     */
    static String eventId(ByteBuffer data) {
        byte[] raw = new byte[data.remaining()];
        data.duplicate().get(raw);
        try (JsonParser p = JSON.createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) != null && t != JsonToken.END_OBJECT) {
                if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (EVENT_ID.equals(name)) {
                        return value == JsonToken.VALUE_STRING ? p.getText() : null;
                    }
                    p.skipChildren();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static <T> T call(CompletableFuture<T> future, String what, long timeoutMillis) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException("cannot " + what + ": no answer within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }
}
