package io.fleetbench.localstack;

import io.fleetbench.simulator.ShardMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * An HTTP proxy in front of a Kinesis emulator that enforces the per-shard limits of real Kinesis
 * ({@link ShardLimits}) and answers like AWS when they are exceeded, so that local runs exercise
 * throttling, retries and backpressure. No emulator does this by itself.
 *
 * <ul>
 *   <li>PutRecords: each entry goes to the shard its partition key (or explicit hash key) hashes
 *   to and takes one record and its bytes from that shard's buckets; entries that find no tokens
 *   get {@code ErrorCode: ProvisionedThroughputExceededException}, only the accepted ones are
 *   forwarded, and the two answers are merged in entry order with the sum as
 *   {@code FailedRecordCount}.</li>
 *   <li>PutRecord: HTTP 400 {@code {"__type":"ProvisionedThroughputExceededException",...}}
 *   when its shard is out of tokens.</li>
 *   <li>GetRecords: at most the configured calls per second per shard, and the bytes returned are
 *   charged after the fact; a shard in debt answers HTTP 400 like PutRecord. The shard of an
 *   iterator is learnt from the GetShardIterator and GetRecords answers that pass through.</li>
 *   <li>Everything else, and any request whose stream or shard is unknown, passes through.</li>
 * </ul>
 *
 * <p>It speaks the JSON protocol only: clients must have CBOR off ({@code aws.cborEnabled=false}),
 * which kinesalite needs anyway. Shard maps are read once per stream with ListShards (up to
 * 10,000 shards), so a stream resharded behind the proxy's back keeps its old limits. All state
 * lives on one Vert.x context, so the buckets need no locks.
 *
 * <p>Meters: {@code fleetbench_proxy_throttled_total{operation, shard}} (requests or entries
 * refused), bounded by the streams' shard counts.
 */
public final class ShardLimitProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardLimitProxy.class);
    private static final String TARGET_PREFIX = "Kinesis_20131202.";
    private static final String THROTTLED = "ProvisionedThroughputExceededException";
    private static final String ACCOUNT = "000000000000";
    private static final int MAX_ITERATORS = 100_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final URI upstream;
    private final String host;
    private final ShardLimits limits;
    private final LongSupplier nanoTime;
    private final MeterRegistry registry;
    private final HttpClient client;
    private final Map<String, Future<ShardMap>> shardMaps = new HashMap<>();
    private final Map<String, Buckets> buckets = new HashMap<>();
    private final Map<String, String> iteratorShards = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_ITERATORS;
        }
    };
    private final Map<String, Counter> throttledCounters = new HashMap<>();
    private final AtomicLong throttled = new AtomicLong();
    private HttpServer server;

    private ShardLimitProxy(Vertx vertx, URI upstream, String host, ShardLimits limits, LongSupplier nanoTime,
                            MeterRegistry registry) {
        this.upstream = upstream;
        this.host = host;
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.registry = registry;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64));
    }

    /**
     * Starts a proxy with the AWS limits on 127.0.0.1 and waits until it listens.
     *
     * @param upstream the emulator, for example {@code http://127.0.0.1:4567}
     * @param port     the port to listen on; 0 for any free port ({@link #port()} tells which)
     */
    public static ShardLimitProxy start(Vertx vertx, URI upstream, int port) {
        return start(vertx, upstream, "127.0.0.1", port, ShardLimits.aws(), new SimpleMeterRegistry());
    }

    /**
     * Starts a proxy and waits until it listens.
     *
     * @param upstream the emulator, plain HTTP
     * @param host     the address to listen on
     * @param port     the port to listen on; 0 for any free port
     * @param limits   the per-shard limits
     * @param registry where the throttle counters go
     * @throws StackException if it cannot listen
     */
    public static ShardLimitProxy start(Vertx vertx, URI upstream, String host, int port, ShardLimits limits,
                                        MeterRegistry registry) {
        Objects.requireNonNull(upstream, "upstream");
        if (!"http".equals(upstream.getScheme()) || upstream.getPort() < 1) {
            throw new IllegalArgumentException("upstream must be http://host:port, found " + upstream);
        }
        ShardLimitProxy proxy = new ShardLimitProxy(vertx, upstream, host, limits, System::nanoTime, registry);
        Context context = vertx.getOrCreateContext();
        Promise<HttpServer> listening = Promise.promise();
        context.runOnContext(v -> vertx.createHttpServer().requestHandler(proxy::handle).listen(port, host)
                .onComplete(listening));
        try {
            proxy.server = listening.future().toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            proxy.client.close();
            throw new StackException("the shard-limit proxy cannot listen on " + host + ":" + port + ": " + e, e);
        }
        LOG.info("Shard-limit proxy on {}:{} in front of {}: {}", host, proxy.port(), upstream, limits);
        return proxy;
    }

    /** The port it listens on. */
    public int port() {
        return server.actualPort();
    }

    /** Its endpoint, to give to Kinesis clients instead of the emulator's. */
    public URI endpoint() {
        return URI.create("http://" + BindAddress.clientHost(host) + ":" + port());
    }

    /** Requests and PutRecords entries refused so far. */
    public long throttled() {
        return throttled.get();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The shard-limit proxy did not close cleanly: {}", e.toString());
        } finally {
            client.close();
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String target = request.getHeader("X-Amz-Target");
            String operation = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : "";
            JsonObject json = null;
            if (operation.equals("PutRecords") || operation.equals("PutRecord") || operation.equals("GetRecords")
                    || operation.equals("GetShardIterator")) {
                try {
                    json = body.toJsonObject();
                } catch (DecodeException | ClassCastException e) {
                    json = null;
                }
            }
            if (json == null) {
                forward(request, body).onComplete(ar -> reply(request, ar));
                return;
            }
            JsonObject parsed = json;
            switch (operation) {
                case "PutRecords" -> putRecords(request, parsed);
                case "PutRecord" -> putRecord(request, body, parsed);
                case "GetRecords" -> getRecords(request, body, parsed);
                default -> getShardIterator(request, body, parsed);
            }
        }).onFailure(e -> request.response().setStatusCode(500).end());
    }

    private void putRecords(HttpServerRequest request, JsonObject json) {
        String stream = json.getString("StreamName");
        JsonArray records = json.getJsonArray("Records");
        if (stream == null || records == null) {
            forward(request, json.toBuffer()).onComplete(ar -> reply(request, ar));
            return;
        }
        shardMap(request, stream).onComplete(maps -> {
            if (maps.failed()) {
                forward(request, json.toBuffer()).onComplete(ar -> reply(request, ar));
                return;
            }
            ShardMap map = maps.result();
            boolean[] accepted = new boolean[records.size()];
            String[] shardIds = new String[records.size()];
            JsonArray forwarded = new JsonArray();
            for (int i = 0; i < records.size(); i++) {
                JsonObject entry = records.getJsonObject(i);
                String shardId = map.shardId(shardOf(map, entry));
                shardIds[i] = shardId;
                Buckets b = buckets(stream, shardId);
                double bytes = entryBytes(entry);
                if (b.writeRecords.has(1) && b.writeBytes.has(bytes)) {
                    b.writeRecords.take(1);
                    b.writeBytes.take(bytes);
                    accepted[i] = true;
                    forwarded.add(entry);
                } else {
                    countThrottle("put_records", shardId);
                }
            }
            int rejected = records.size() - forwarded.size();
            if (forwarded.isEmpty()) {
                JsonArray results = new JsonArray();
                for (int i = 0; i < records.size(); i++) {
                    results.add(throttledEntry(stream, shardIds[i]));
                }
                respond(request, 200, new JsonObject().put("FailedRecordCount", rejected).put("Records", results));
                return;
            }
            JsonObject subset = json.copy().put("Records", forwarded);
            forward(request, subset.toBuffer()).onComplete(ar -> {
                if (ar.failed() || ar.result().status != 200 || rejected == 0) {
                    reply(request, ar);
                    return;
                }
                JsonObject answer;
                try {
                    answer = ar.result().body.toJsonObject();
                } catch (DecodeException e) {
                    reply(request, ar);
                    return;
                }
                JsonArray upstreamResults = answer.getJsonArray("Records", new JsonArray());
                JsonArray merged = new JsonArray();
                int next = 0;
                for (int i = 0; i < records.size(); i++) {
                    merged.add(accepted[i] ? upstreamResults.getValue(next++) : throttledEntry(stream, shardIds[i]));
                }
                answer.put("Records", merged).put("FailedRecordCount", answer.getInteger("FailedRecordCount", 0) + rejected);
                respond(request, 200, answer);
            });
        });
    }

    private void putRecord(HttpServerRequest request, Buffer body, JsonObject json) {
        String stream = json.getString("StreamName");
        if (stream == null) {
            forward(request, body).onComplete(ar -> reply(request, ar));
            return;
        }
        shardMap(request, stream).onComplete(maps -> {
            if (maps.failed()) {
                forward(request, body).onComplete(ar -> reply(request, ar));
                return;
            }
            String shardId = maps.result().shardId(shardOf(maps.result(), json));
            Buckets b = buckets(stream, shardId);
            double bytes = entryBytes(json);
            if (b.writeRecords.has(1) && b.writeBytes.has(bytes)) {
                b.writeRecords.take(1);
                b.writeBytes.take(bytes);
                forward(request, body).onComplete(ar -> reply(request, ar));
            } else {
                countThrottle("put_record", shardId);
                respond(request, 400, throttledError(stream, shardId));
            }
        });
    }

    private void getShardIterator(HttpServerRequest request, Buffer body, JsonObject json) {
        String stream = json.getString("StreamName");
        String shardId = json.getString("ShardId");
        forward(request, body).onComplete(ar -> {
            if (ar.succeeded() && ar.result().status == 200 && stream != null && shardId != null) {
                rememberIterator(ar.result().body, "ShardIterator", stream + "/" + shardId);
            }
            reply(request, ar);
        });
    }

    private void getRecords(HttpServerRequest request, Buffer body, JsonObject json) {
        String iterator = json.getString("ShardIterator");
        String key = iterator == null ? null : iteratorShards.get(iterator);
        if (key == null) {
            forward(request, body).onComplete(ar -> reply(request, ar));
            return;
        }
        Buckets b = buckets.get(key);
        String stream = key.substring(0, key.lastIndexOf('/'));
        String shardId = key.substring(key.lastIndexOf('/') + 1);
        if (!b.readBytes.has(0) || !b.readCalls.tryTake(1)) {
            countThrottle("get_records", shardId);
            respond(request, 400, throttledError(stream, shardId));
            return;
        }
        forward(request, body).onComplete(ar -> {
            if (ar.succeeded() && ar.result().status == 200) {
                JsonObject answer = rememberIterator(ar.result().body, "NextShardIterator", key);
                if (answer != null) {
                    double bytes = 0;
                    for (Object r : answer.getJsonArray("Records", new JsonArray())) {
                        if (r instanceof JsonObject o) {
                            bytes += entryBytes(o);
                        }
                    }
                    b.readBytes.take(bytes);
                }
            }
            reply(request, ar);
        });
    }

    private JsonObject rememberIterator(Buffer body, String field, String key) {
        try {
            JsonObject answer = body.toJsonObject();
            String iterator = answer.getString(field);
            if (iterator != null) {
                iteratorShards.put(iterator, key);
                buckets(key.substring(0, key.lastIndexOf('/')), key.substring(key.lastIndexOf('/') + 1));
            }
            return answer;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static int shardOf(ShardMap map, JsonObject entry) {
        String explicit = entry.getString("ExplicitHashKey");
        if (explicit != null) {
            BigInteger h = new BigInteger(explicit);
            List<ShardMap.Shard> shards = map.shards();
            for (int i = 0; i < shards.size(); i++) {
                if (h.compareTo(shards.get(i).endHashKey()) <= 0) {
                    return i;
                }
            }
            return shards.size() - 1;
        }
        return map.shardOf(entry.getString("PartitionKey", ""));
    }

    /** Data bytes (from the base64 length, without decoding) plus the partition key's UTF-8 bytes. */
    private static double entryBytes(JsonObject entry) {
        String data = entry.getString("Data", "");
        int padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
        long dataBytes = data.length() / 4L * 3 - padding;
        String key = entry.getString("PartitionKey", "");
        return dataBytes + key.getBytes(StandardCharsets.UTF_8).length;
    }

    private Future<ShardMap> shardMap(HttpServerRequest request, String stream) {
        Future<ShardMap> cached = shardMaps.get(stream);
        if (cached != null && !cached.failed()) {
            return cached;
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers())
                .set("X-Amz-Target", TARGET_PREFIX + "ListShards");
        Buffer body = new JsonObject().put("StreamName", stream).put("MaxResults", 10_000).toBuffer();
        Future<ShardMap> f = send(request.method(), request.uri(), headers, body).map(r -> {
            if (r.status != 200) {
                throw new IllegalStateException("ListShards on " + stream + " answered " + r.status + ": " + r.body);
            }
            List<ShardMap.Shard> shards = new ArrayList<>();
            for (Object o : r.body.toJsonObject().getJsonArray("Shards", new JsonArray())) {
                JsonObject s = (JsonObject) o;
                JsonObject seq = s.getJsonObject("SequenceNumberRange", new JsonObject());
                if (seq.getString("EndingSequenceNumber") == null) {
                    JsonObject range = s.getJsonObject("HashKeyRange");
                    shards.add(new ShardMap.Shard(s.getString("ShardId"), new BigInteger(range.getString("StartingHashKey")),
                            new BigInteger(range.getString("EndingHashKey"))));
                }
            }
            return ShardMap.of(shards);
        });
        f.onFailure(e -> LOG.warn("The shard-limit proxy cannot list the shards of {}; its requests pass unlimited: {}",
                stream, e.toString()));
        shardMaps.put(stream, f);
        return f;
    }

    private Buckets buckets(String stream, String shardId) {
        return buckets.computeIfAbsent(stream + "/" + shardId, k -> new Buckets(limits, nanoTime));
    }

    private void countThrottle(String operation, String shardId) {
        throttled.incrementAndGet();
        throttledCounters.computeIfAbsent(operation + "/" + shardId, k -> Counter.builder(ProxyMeters.THROTTLED)
                .tag("operation", operation).tag("shard", shardId)
                .description("Requests or PutRecords entries the shard-limit proxy refused")
                .register(registry)).increment();
    }

    private static String throttleMessage(String stream, String shardId) {
        return "Rate exceeded for shard " + shardId + " in stream " + stream + " under account " + ACCOUNT + ".";
    }

    private static JsonObject throttledEntry(String stream, String shardId) {
        return new JsonObject().put("ErrorCode", THROTTLED).put("ErrorMessage", throttleMessage(stream, shardId));
    }

    private static JsonObject throttledError(String stream, String shardId) {
        return new JsonObject().put("__type", THROTTLED).put("message", throttleMessage(stream, shardId));
    }

    /** An upstream answer, read in full. */
    private record Answer(int status, MultiMap headers, Buffer body) {
    }

    private Future<Answer> forward(HttpServerRequest request, Buffer body) {
        return send(request.method(), request.uri(), request.headers(), body);
    }

    private Future<Answer> send(HttpMethod method, String uri, MultiMap headers, Buffer body) {
        return client.request(method, upstream.getPort(), upstream.getHost(), uri).compose(req -> {
            for (Map.Entry<String, String> h : headers) {
                String name = h.getKey();
                if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH.toString())
                        && !name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING.toString())
                        && !name.equalsIgnoreCase(HttpHeaders.CONNECTION.toString())
                        && !name.equalsIgnoreCase("Expect")) {
                    req.headers().add(name, h.getValue());
                }
            }
            return req.send(body);
        }).compose((HttpClientResponse resp) -> resp.body().map(b -> new Answer(resp.statusCode(), resp.headers(), b)));
    }

    private static void reply(HttpServerRequest request, AsyncResult<Answer> ar) {
        if (ar.failed()) {
            request.response().setStatusCode(502).end(ar.cause().toString());
            return;
        }
        Answer a = ar.result();
        var response = request.response().setStatusCode(a.status);
        for (Map.Entry<String, String> h : a.headers) {
            String name = h.getKey();
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH.toString())
                    && !name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING.toString())
                    && !name.equalsIgnoreCase(HttpHeaders.CONNECTION.toString())) {
                response.headers().add(name, h.getValue());
            }
        }
        response.end(a.body);
    }

    private static void respond(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-amz-json-1.1")
                .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
                .end(body.toBuffer());
    }

    /** One shard's token buckets. */
    private static final class Buckets {
        final TokenBucket writeRecords;
        final TokenBucket writeBytes;
        final TokenBucket readCalls;
        final TokenBucket readBytes;

        Buckets(ShardLimits limits, LongSupplier nanoTime) {
            writeRecords = new TokenBucket(limits.writeRecordsPerSecond(), nanoTime);
            writeBytes = new TokenBucket(limits.writeBytesPerSecond(), nanoTime);
            readCalls = new TokenBucket(limits.readCallsPerSecond(), nanoTime);
            readBytes = new TokenBucket(limits.readBytesPerSecond(), nanoTime);
        }
    }
}
