package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.Storage;
import org.deephash4j.opencl.OpenClBackend;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * OpenCL GEMM (gemm.cl, tiled through local memory) on square n × n × n float32 matrices, plain
 * and with both transposes, on {@code opencl:0}; each call waits for the device (clFinish), so
 * the score is whole products per second: GFLOP/s = 2·n³ · ops/s / 1e9. The result is checked
 * once against the CPU backend before timing. Run just this class:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ClGemmBenchmark}
 * (set {@code DEEPHASH_BACKEND}-style device choice with {@code -p device=opencl:1}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xms4g", "-Xmx4g"})
public class ClGemmBenchmark {
    @Param({"128", "512", "1024"})
    int n;

    @Param({"opencl:0"})
    String device;

    private OpenClBackend cl;
    private Storage a;
    private Storage b;
    private Storage c;

    @Setup(Level.Trial)
    public void setUp() {
        cl = (OpenClBackend) Backends.get(device);
        float[] x = BenchData.uniform(1, n * n);
        float[] y = BenchData.uniform(2, n * n);
        a = BenchData.upload(cl, x);
        b = BenchData.upload(cl, y);
        c = cl.allocate((long) n * n);
        Backend cpu = Backends.cpu();
        for (boolean trans : new boolean[] {false, true}) {
            float[] expected = new float[n * n];
            float[] actual = new float[n * n];
            try (Storage ca = BenchData.upload(cpu, x); Storage cb = BenchData.upload(cpu, y);
                 Storage cc = cpu.allocate((long) n * n)) {
                cpu.gemm(trans, trans, n, n, n, 1f, ca, 0, cb, 0, 0f, cc, 0);
                cpu.copyOut(expected, 0, cc, 0, n * n);
            }
            cl.gemm(trans, trans, n, n, n, 1f, a, 0, b, 0, 0f, c, 0);
            cl.copyOut(actual, 0, c, 0, n * n);
            BenchData.check("ClGemm n=" + n + " trans=" + trans, expected, actual, 1e-5 * n, 1e-4);
        }
    }

    @Benchmark
    public Storage gemm() {
        cl.gemm(false, false, n, n, n, 1f, a, 0, b, 0, 0f, c, 0);
        cl.finish();
        return c;
    }

    @Benchmark
    public Storage gemmTransposed() {
        cl.gemm(true, true, n, n, n, 1f, a, 0, b, 0, 0f, c, 0);
        cl.finish();
        return c;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
