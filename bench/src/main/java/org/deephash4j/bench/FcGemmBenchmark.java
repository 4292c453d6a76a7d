package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.backend.cpu.CpuKernels;
import org.deephash4j.backend.cpu.ReferenceKernels;
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
 * The GEMMs of fully connected layers at batch 128, by {@code shape} = {@code M-N-K-op}, op naming
 * the transposes of A and B ({@code nn}, {@code nt}, {@code tn}): issue 9's 128×800×500, and the
 * three products of LeNet-hash's 3136→500 layer in a training step (forward x·Wᵀ, backward-data
 * dy·W, backward-filter dyᵀ·x). One op is one GEMM: GFLOP/s = 2·M·N·K · ops/s / 1e9.
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
    @Param({"vector", "reference"})
    String kernels;

    @Param({"128-800-500-nn", "128-500-3136-nt", "128-3136-500-nn", "500-3136-128-tn"})
    String shape;

    private int m;
    private int n;
    private int k;
    private boolean transA;
    private boolean transB;

    private CpuKernels cpu;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("-");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        transA = p[3].charAt(0) == 't';
        transB = p[3].charAt(1) == 't';
        cpu = Kernels.named(kernels);
        Random random = new Random(2027L);
        a = Kernels.uniform(random, m * k);
        b = Kernels.uniform(random, k * n);
        c = new float[m * n];
        if (!transA && !transB) {
            Kernels.checkGemmRows(cpu, m, n, k, a, b);
        } else {
            float[] expected = new float[m * n];
            new ReferenceKernels().gemm(transA, transB, m, n, k, 1f, a, 0, b, 0, 0f, expected, 0);
            cpu.gemm(transA, transB, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
            Kernels.checkClose("gemm " + shape, expected, c, 2e-6 * k, 1e-5);
        }
    }

    @Benchmark
    public float[] gemm() {
        cpu.gemm(transA, transB, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
        return c;
    }
}
