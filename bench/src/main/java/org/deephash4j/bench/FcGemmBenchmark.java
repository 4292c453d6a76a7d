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
 * The GEMM of a fully connected layer at batch 128: M = 128, N = 800, K = 500 (issue 9's
 * 128×800×500 case). One op is one GEMM: GFLOP/s = 2·128·800·500 · ops/s / 1e9 = 0.1024 · ops/s.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar FcGemmBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class FcGemmBenchmark {
    private static final int M = 128;
    private static final int N = 800;
    private static final int K = 500;

    @Param({"vector", "reference"})
    String kernels;

    private CpuKernels cpu;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        cpu = Kernels.named(kernels);
        Random random = new Random(2027L);
        a = Kernels.uniform(random, M * K);
        b = Kernels.uniform(random, K * N);
        c = new float[M * N];
        Kernels.checkGemmRows(cpu, M, N, K, a, b);
    }

    @Benchmark
    public float[] gemm() {
        cpu.gemm(false, false, M, N, K, 1f, a, 0, b, 0, 0f, c, 0);
        return c;
    }
}
