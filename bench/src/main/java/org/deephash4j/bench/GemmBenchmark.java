package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.backend.cpu.CpuKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square GEMM C = A·B, M = N = K = {@code size}, float32, on the reference and vector kernels.
 * One op is one GEMM: GFLOP/s = 2 · size³ · ops/s / 1e9.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBenchmark -p kernels=vector}
 * (the scalar reference takes tens of seconds per 2048³ product; run it with {@code -p size=512}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class GemmBenchmark {
    @Param({"512", "1024", "2048"})
    int size;

    @Param({"vector", "reference"})
    String kernels;

    private CpuKernels cpu;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        cpu = Kernels.named(kernels);
        Random random = new Random(2026L);
        a = Kernels.uniform(random, size * size);
        b = Kernels.uniform(random, size * size);
        c = new float[size * size];
        Kernels.checkGemmRows(cpu, size, size, size, a, b);
    }

    @Benchmark
    public float[] gemm() {
        cpu.gemm(false, false, size, size, size, 1f, a, 0, b, 0, 0f, c, 0);
        return c;
    }
}
