package io.fleetbench.benchmarks;

import io.fleetbench.telemetry.BikeMetrics;
import io.fleetbench.telemetry.CarTelemetry;
import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.JsonCodec;
import io.fleetbench.telemetry.TelemetryEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Encoding and decoding (with validation) of one event by the wire codec, in operations per second. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(1)
public class JsonCodecBenchmark {
    private final JsonCodec codec = new JsonCodec();
    private TelemetryEvent car;
    private TelemetryEvent bike;
    private byte[] carJson;
    private byte[] bikeJson;

    @Setup
    public void setUp() {
        car = new CarTelemetry("0f8fad5b-d9cb-469f-a165-70867728950e", "car-000123", 4711, 1_700_000_000_000L,
                1_700_000_000_040L, 1, 87.5, 48.137154, 11.576124, 2450, 4, 12_345.6, 63.2, 88.0, 14.1, 236.5, 237.0, 231.2,
                230.8, CarTelemetry.COMBUSTION);
        bike = new BikeMetrics("7c9e6679-7425-40de-944b-e07fc1f90ae7", "bike-000045", 812, 1_700_000_000_000L,
                1_700_000_000_020L, 1, 92, 35, 210, 141, 31.2, 5_400.0, 180.5);
        carJson = codec.encode(car);
        bikeJson = codec.encode(bike);
    }

    @Benchmark
    public byte[] encodeCar() {
        return codec.encode(car);
    }

    @Benchmark
    public byte[] encodeBike() {
        return codec.encode(bike);
    }

    @Benchmark
    public TelemetryEvent decodeCar() throws InvalidEventException {
        return codec.decode(carJson);
    }

    @Benchmark
    public TelemetryEvent decodeBike() throws InvalidEventException {
        return codec.decode(bikeJson);
    }
}
