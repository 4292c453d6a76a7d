package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;
import org.deephash4j.backend.cpu.VectorPeak;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The float32 multiply-add peak this JVM reaches: 12 independent chains of FMAs per thread on
 * every core, no memory traffic ({@link VectorPeak}). One op is one float multiply-add (2 FLOP):
 * GFLOP/s = 2 · ops/s / 1e9. {@code kernels=reference} runs the same chains on scalar floats.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar PeakBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class PeakBenchmark {
    /** Multiply-adds per invocation: 12 chains · 2^22, a multiple of 12 · lanes for any power-of-two lane count. */
    static final long MULTIPLY_ADDS = 12L << 22;

    @Param({"vector", "reference"})
    String kernels;

    @Benchmark
    @OperationsPerInvocation(12 << 22)
    public float multiplyAdds() {
        return kernels.equals("vector")
                ? VectorPeak.vectorMultiplyAdds(MULTIPLY_ADDS)
                : VectorPeak.scalarMultiplyAdds(MULTIPLY_ADDS);
    }
}
