package io.fleetbench.localstack;

import io.fleetbench.simulator.KinesisClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kinesalite, as the stack starts it ({@code local/kinesalite-listen.js}), outlives a client that aborts a PutRecords
 * request part-way through its body, with a reset or an orderly close: kinesalite's own request handler rethrows the
 * aborted request's error, which would end the process and leave every later call "Connection refused". Afterwards it
 * still answers, and nothing of the aborted requests landed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AbortedRequestIT {

    @Test
    void kinesaliteStillAnswersAfterRequestsAbortedMidBody(@TempDir Path logs) throws Exception {
        StackConfig config = StackConfig.defaults().withPorts(freePort(), freePort());
        try (LocalStack stack = LocalStack.start(config, ProjectHome.locate(), logs,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
             KinesisAsyncClient kinesis = KinesisClients.create(Optional.of(stack.kinesisEndpoint()), 4)) {
            String stream = "aborted-" + System.nanoTime();
            StreamAdmin.createAndAwaitActive(kinesis, stream, 1, Duration.ofSeconds(30));

            abortPutRecordsMidBody(stack, stream, true);
            abortPutRecordsMidBody(stack, stream, false);

            // Whole calls on new connections, each a round trip after the aborts: refused if kinesalite had died.
            List<PutRecordsRequestEntry> entries = List.of(
                    PutRecordsRequestEntry.builder().partitionKey("car-1").data(SdkBytes.fromUtf8String("{\"n\":1}")).build(),
                    PutRecordsRequestEntry.builder().partitionKey("car-2").data(SdkBytes.fromUtf8String("{\"n\":2}")).build());
            assertEquals(0, kinesis.putRecords(b -> b.streamName(stream).records(entries)).join().failedRecordCount());
            assertEquals(2, records(kinesis, stream), "the two records put afterwards, and nothing of the aborted calls");
            assertEquals(List.of(stream), kinesis.listStreams().join().streamNames());
        }
    }

    /**
     * Sends a PutRecords request whose Content-Length promises more than is sent, then ends the connection: with a TCP
     * reset ({@code SO_LINGER} 0) or an orderly close.
     */
    private static void abortPutRecordsMidBody(LocalStack stack, String stream, boolean reset) throws IOException {
        String body = "{\"StreamName\":\"" + stream + "\",\"Records\":[{\"PartitionKey\":\"car-0\",\"Data\":\"eyJuIjowfQ==\"}]}";
        String half = body.substring(0, body.length() / 2);
        try (Socket socket = new Socket(stack.kinesisEndpoint().getHost(), stack.kinesisEndpoint().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST / HTTP/1.1\r\nHost: " + stack.kinesisEndpoint().getAuthority() + "\r\n"
                    + "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.PutRecords\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + half).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (reset) {
                socket.setSoLinger(true, 0);
            }
        }
    }

    /** The records in the stream's only shard. */
    private static long records(KinesisAsyncClient kinesis, String stream) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
        long n = 0;
        while (true) {
            String it = iterator;
            GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000)).join();
            if (r.records().isEmpty()) {
                return n;
            }
            n += r.records().size();
            iterator = r.nextShardIterator();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
