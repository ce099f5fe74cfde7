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
import io.vertx.core.http.HttpServerOptions;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * An HTTP proxy in front of a Kinesis emulator that enforces the per-shard limits of real Kinesis
 * ({@link ShardLimits}) and answers like AWS when they are exceeded, so that local runs exercise
 * throttling, retries and backpressure, and that injects infrastructure faults ({@link ProxyFaults}:
 * latency, a stall, connection resets, HTTP 500 and 503) into the calls they target. No emulator
 * does either by itself. Each of the two can be off: a proxy without limits passes every call on
 * after its faults, one without faults is the shard-limit proxy alone.
 *
 * <p>Shard limits:
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
 * <p>Faults come before the limits: a call held, delayed, refused or reset by a fault is decided
 * first, and a call reset after forwarding went through the limits (and may have been throttled in
 * part or in full) before its answer was dropped. A reset is abrupt (TCP RST: the proxy listens with
 * {@code SO_LINGER} 0 when resets are asked for), as a failing load balancer's would be. A client
 * that gives up on a held or delayed call (its timeout) does not stop it: the call is forwarded all
 * the same, as one that reached the real service would be processed.
 *
 * <p>Meters: {@code fleetbench_proxy_throttled_total{operation, shard}} (requests or entries
 * refused), bounded by the streams' shard counts, and {@code fleetbench_proxy_faults_total{fault,
 * operation}} (calls each fault hit), bounded by the {@link ProxyFault} kinds and the targets.
 */
public final class ShardLimitProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardLimitProxy.class);
    private static final String TARGET_PREFIX = "Kinesis_20131202.";
    private static final String THROTTLED = "ProvisionedThroughputExceededException";
    private static final String ACCOUNT = "000000000000";
    private static final int MAX_ITERATORS = 100_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final URI upstream;
    private final String host;
    private final ShardLimits limits;
    private final ProxyFaults faults;
    private final FaultPlan plan;
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
    private final Map<String, Counter> faultCounters = new HashMap<>();
    private final AtomicLongArray faultCounts = new AtomicLongArray(ProxyFault.values().length);
    private HttpServer server;
    /** The context the server runs on, and with it every field below: they need no locks. */
    private Context context;
    /** Whether calls are held on their way to the emulator ({@link #hold}). */
    private boolean holding;
    /** Calls to the emulator waiting for {@link #release}. */
    private final List<Promise<Void>> heldCalls = new ArrayList<>();
    /** Calls forwarded to the emulator whose answer has not come yet. */
    private int forwarding;
    /** Completed once nothing forwarded before a hold waits for the emulator's answer any more. */
    private Promise<Void> drained;

    private ShardLimitProxy(Vertx vertx, URI upstream, String host, ShardLimits limits, ProxyFaults faults,
                            LongSupplier nanoTime, MeterRegistry registry) {
        this.vertx = vertx;
        this.upstream = upstream;
        this.host = host;
        this.limits = limits;
        this.faults = faults;
        this.plan = faults.any() ? new FaultPlan(faults, nanoTime) : null;
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
     * Starts a proxy that enforces shard limits and injects no faults, and waits until it listens.
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
        return start(vertx, upstream, host, port, Optional.of(limits), ProxyFaults.none(), registry);
    }

    /**
     * Starts a proxy and waits until it listens.
     *
     * @param upstream the emulator, plain HTTP
     * @param host     the address to listen on
     * @param port     the port to listen on; 0 for any free port
     * @param limits   the per-shard limits; empty to pass every call on unlimited
     * @param faults   the infrastructure faults to inject; {@link ProxyFaults#none()} for none
     * @param registry where the throttle and fault counters go
     * @throws StackException if it cannot listen
     */
    public static ShardLimitProxy start(Vertx vertx, URI upstream, String host, int port, Optional<ShardLimits> limits,
                                        ProxyFaults faults, MeterRegistry registry) {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(faults, "faults");
        if (!"http".equals(upstream.getScheme()) || upstream.getPort() < 1) {
            throw new IllegalArgumentException("upstream must be http://host:port, found " + upstream);
        }
        ShardLimitProxy proxy = new ShardLimitProxy(vertx, upstream, host, limits.orElse(null), faults, System::nanoTime,
                registry);
        HttpServerOptions options = new HttpServerOptions();
        if (faults.resetBeforeShare() > 0 || faults.resetAfterShare() > 0) {
            // A connection closed with SO_LINGER 0 ends with a TCP RST, not a FIN: a reset, not an orderly close.
            options.setSoLinger(0);
        }
        Context context = vertx.getOrCreateContext();
        proxy.context = context;
        Promise<HttpServer> listening = Promise.promise();
        context.runOnContext(v -> vertx.createHttpServer(options).requestHandler(proxy::handle).listen(port, host)
                .onComplete(listening));
        try {
            proxy.server = listening.future().toCompletionStage().toCompletableFuture()
                    .get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            proxy.client.close();
            throw new StackException("the shard-limit proxy cannot listen on " + host + ":" + port + ": " + e, e);
        }
        LOG.info("Shard-limit proxy on {}:{} in front of {}: {}; {}", host, proxy.port(), upstream,
                limits.map(Object::toString).orElse("no shard limits"), faults.describe());
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

    /** The faults it injects. */
    public ProxyFaults faults() {
        return faults;
    }

    /** Calls each fault hit so far, every kind listed (0 if none). */
    public Map<ProxyFault, Long> faultCounts() {
        Map<ProxyFault, Long> counts = new EnumMap<>(ProxyFault.class);
        for (ProxyFault f : ProxyFault.values()) {
            counts.put(f, faultCounts.get(f.ordinal()));
        }
        return counts;
    }

    /**
     * Holds every call on its way to the emulator from now on, the producer's and the consumer's alike, whatever the
     * faults and their targets, until {@link #release()}; returns once no call forwarded before is still waiting for
     * the emulator's answer, so that the emulator's contents stand still. A client that gives up on a held call (its
     * timeout) does not stop it: it is forwarded after the release all the same.
     *
     * @throws StackException if calls forwarded before are still unanswered after {@code timeout}, or it is held already
     */
    public void hold(Duration timeout) {
        Promise<Void> quiet = Promise.promise();
        context.runOnContext(v -> {
            if (holding) {
                quiet.fail(new IllegalStateException("the proxy holds its calls already"));
                return;
            }
            holding = true;
            drained = quiet;
            if (forwarding == 0) {
                quiet.tryComplete();
            }
        });
        try {
            quiet.future().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StackException("the proxy holds its calls, but " + forwardingNow() + " forwarded before are still"
                    + " unanswered by " + upstream + " after " + timeout, e);
        } catch (Exception e) {
            throw new StackException("cannot hold the calls of the proxy at " + endpoint() + ": " + e, e);
        }
        LOG.info("The proxy at {} holds every call on its way to {}", endpoint(), upstream);
    }

    /**
     * Lets the held calls go on to the emulator, in the order they came, and every call after them; forgets the shard
     * maps it read, since the streams may have been created anew meanwhile.
     *
     * @return how many calls were held
     */
    public int release() {
        Promise<Integer> released = Promise.promise();
        context.runOnContext(v -> {
            holding = false;
            drained = null;
            shardMaps.clear();
            List<Promise<Void>> calls = new ArrayList<>(heldCalls);
            heldCalls.clear();
            calls.forEach(Promise::complete);
            released.complete(calls.size());
        });
        try {
            int n = released.future().toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            LOG.info("The proxy at {} let {} held calls go on to {}", endpoint(), n, upstream);
            return n;
        } catch (Exception e) {
            throw new StackException("cannot release the calls the proxy at " + endpoint() + " holds: " + e, e);
        }
    }

    private int forwardingNow() {
        Promise<Integer> n = Promise.promise();
        context.runOnContext(v -> n.complete(forwarding));
        try {
            return n.future().toCompletionStage().toCompletableFuture().get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
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
            FaultPlan.Decision decision = plan == null ? FaultPlan.Decision.NONE : plan.decide(operation);
            if (decision == FaultPlan.Decision.NONE) {
                process(request, operation, body).onComplete(ar -> reply(request, ar));
                return;
            }
            String label = snakeCase(operation);
            if (decision.holdNanos() > 0) {
                countFault(ProxyFault.STALL, label);
            }
            if (decision.delayNanos() > 0) {
                countFault(ProxyFault.LATENCY, label);
            }
            after(decision.holdNanos() + decision.delayNanos(), () -> {
                FaultPlan.Outcome outcome = decision.outcome();
                switch (outcome) {
                    case FORWARD -> process(request, operation, body).onComplete(ar -> reply(request, ar));
                    case RESET_BEFORE -> {
                        countFault(ProxyFault.RESET_BEFORE, label);
                        reset(request);
                    }
                    case RESET_AFTER -> process(request, operation, body).onComplete(ar -> {
                        countFault(ProxyFault.RESET_AFTER, label);
                        reset(request);
                    });
                    case INTERNAL_FAILURE -> {
                        countFault(ProxyFault.INTERNAL_FAILURE, label);
                        reply(request, Future.succeededFuture(error(500, "InternalFailure", operation)));
                    }
                    case SERVICE_UNAVAILABLE -> {
                        countFault(ProxyFault.SERVICE_UNAVAILABLE, label);
                        reply(request, Future.succeededFuture(error(503, "ServiceUnavailable", operation)));
                    }
                }
            });
        }).onFailure(e -> request.response().setStatusCode(500).end());
    }

    /** Runs {@code action} on this context after {@code nanos}, at once if 0. */
    private void after(long nanos, Runnable action) {
        if (nanos <= 0) {
            action.run();
            return;
        }
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)), id -> action.run());
    }

    /** The answer to a call: through the shard limits if there are any, else the emulator's. */
    private Future<Answer> process(HttpServerRequest request, String operation, Buffer body) {
        if (limits == null) {
            return forward(request, body);
        }
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
            return forward(request, body);
        }
        return switch (operation) {
            case "PutRecords" -> putRecords(request, json);
            case "PutRecord" -> putRecord(request, body, json);
            case "GetRecords" -> getRecords(request, body, json);
            default -> getShardIterator(request, body, json);
        };
    }

    private Future<Answer> putRecords(HttpServerRequest request, JsonObject json) {
        String stream = json.getString("StreamName");
        JsonArray records = json.getJsonArray("Records");
        if (stream == null || records == null) {
            return forward(request, json.toBuffer());
        }
        return shardMap(request, stream).transform(maps -> {
            if (maps.failed()) {
                return forward(request, json.toBuffer());
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
                return Future.succeededFuture(json(200, new JsonObject().put("FailedRecordCount", rejected)
                        .put("Records", results)));
            }
            JsonObject subset = json.copy().put("Records", forwarded);
            return forward(request, subset.toBuffer()).map(a -> {
                if (a.status != 200 || rejected == 0) {
                    return a;
                }
                JsonObject answer;
                try {
                    answer = a.body.toJsonObject();
                } catch (DecodeException e) {
                    return a;
                }
                JsonArray upstreamResults = answer.getJsonArray("Records", new JsonArray());
                JsonArray merged = new JsonArray();
                int next = 0;
                for (int i = 0; i < records.size(); i++) {
                    merged.add(accepted[i] ? upstreamResults.getValue(next++) : throttledEntry(stream, shardIds[i]));
                }
                answer.put("Records", merged).put("FailedRecordCount", answer.getInteger("FailedRecordCount", 0) + rejected);
                return json(200, answer);
            });
        });
    }

    private Future<Answer> putRecord(HttpServerRequest request, Buffer body, JsonObject json) {
        String stream = json.getString("StreamName");
        if (stream == null) {
            return forward(request, body);
        }
        return shardMap(request, stream).transform(maps -> {
            if (maps.failed()) {
                return forward(request, body);
            }
            String shardId = maps.result().shardId(shardOf(maps.result(), json));
            Buckets b = buckets(stream, shardId);
            double bytes = entryBytes(json);
            if (b.writeRecords.has(1) && b.writeBytes.has(bytes)) {
                b.writeRecords.take(1);
                b.writeBytes.take(bytes);
                return forward(request, body);
            }
            countThrottle("put_record", shardId);
            return Future.succeededFuture(json(400, throttledError(stream, shardId)));
        });
    }

    private Future<Answer> getShardIterator(HttpServerRequest request, Buffer body, JsonObject json) {
        String stream = json.getString("StreamName");
        String shardId = json.getString("ShardId");
        return forward(request, body).onSuccess(a -> {
            if (a.status == 200 && stream != null && shardId != null) {
                rememberIterator(a.body, "ShardIterator", stream + "/" + shardId);
            }
        });
    }

    private Future<Answer> getRecords(HttpServerRequest request, Buffer body, JsonObject json) {
        String iterator = json.getString("ShardIterator");
        String key = iterator == null ? null : iteratorShards.get(iterator);
        if (key == null) {
            return forward(request, body);
        }
        Buckets b = buckets.get(key);
        String stream = key.substring(0, key.lastIndexOf('/'));
        String shardId = key.substring(key.lastIndexOf('/') + 1);
        if (!b.readBytes.has(0) || !b.readCalls.tryTake(1)) {
            countThrottle("get_records", shardId);
            return Future.succeededFuture(json(400, throttledError(stream, shardId)));
        }
        return forward(request, body).onSuccess(a -> {
            if (a.status == 200) {
                JsonObject answer = rememberIterator(a.body, "NextShardIterator", key);
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

    private void countFault(ProxyFault fault, String operation) {
        faultCounts.incrementAndGet(fault.ordinal());
        faultCounters.computeIfAbsent(fault.label() + "/" + operation, k -> Counter.builder(ProxyMeters.FAULTS)
                .tag("fault", fault.label()).tag("operation", operation)
                .description("Calls an infrastructure fault of the proxy hit")
                .register(registry)).increment();
    }

    /** {@code PutRecords} as the metric label {@code put_records}. */
    static String snakeCase(String operation) {
        return operation.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** An error answer as Kinesis gives it, for a fault: {@code {"__type":"InternalFailure","message":...}}. */
    private static Answer error(int status, String type, String operation) {
        return json(status, new JsonObject().put("__type", type)
                .put("message", "Injected by the fleetbench proxy: " + type + " for " + operation));
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

    /** Sends a call to the emulator, once the proxy no longer {@linkplain #hold holds} its calls. */
    private Future<Answer> send(HttpMethod method, String uri, MultiMap headers, Buffer body) {
        if (holding) {
            Promise<Void> go = Promise.promise();
            heldCalls.add(go);
            return go.future().compose(v -> send(method, uri, headers, body));
        }
        forwarding++;
        return upstream(method, uri, headers, body).andThen(ar -> {
            forwarding--;
            if (forwarding == 0 && drained != null) {
                drained.tryComplete();
            }
        });
    }

    private Future<Answer> upstream(HttpMethod method, String uri, MultiMap headers, Buffer body) {
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

    /** Resets the call's connection instead of answering it. */
    private static void reset(HttpServerRequest request) {
        request.connection().close();
    }

    private static void reply(HttpServerRequest request, AsyncResult<Answer> ar) {
        if (request.response().closed()) {
            // The client gave up (its timeout, while the call was held or delayed): the call went on all the same.
            return;
        }
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

    /** An answer of the proxy's own, in the JSON protocol as the emulator would give it. */
    private static Answer json(int status, JsonObject body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(HttpHeaders.CONTENT_TYPE, "application/x-amz-json-1.1")
                .set("x-amzn-RequestId", UUID.randomUUID().toString());
        return new Answer(status, headers, body.toBuffer());
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
