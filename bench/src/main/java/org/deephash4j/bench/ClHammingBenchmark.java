package org.deephash4j.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.deephash4j.backend.Backends;
import org.deephash4j.opencl.ClHamming;
import org.deephash4j.opencl.OpenClBackend;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OpenCL Hamming scan (hamming.cl): a batch of 64 queries against a database of 100,000
 * codes of 64 or 256 bits on the device, exact top-10 per query by counting sort, results back
 * on the host. Scores are queries per second (codes compared per second = score · 100,000). The
 * answer is checked once against search.LinearScan. Run just this class:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ClHammingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xms4g", "-Xmx4g"})
public class ClHammingBenchmark {
    static final int DATABASE = 100_000;
    static final int QUERIES = 64;
    static final int K = 10;

    @Param({"64", "256"})
    int bits;

    @Param({"opencl:0"})
    String device;

    private ClHamming hamming;
    private BinaryCodes queries;

    static BinaryCodes random(long seed, int n, int bits) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * bits];
        for (int i = 0; i < v.length; i++) v[i] = r.nextBoolean() ? 1f : -1f;
        return BinaryCodes.fromSigns(v, bits);
    }

    @Setup(Level.Trial)
    public void setUp() {
        OpenClBackend cl = (OpenClBackend) Backends.get(device);
        BinaryCodes db = random(1, DATABASE, bits);
        queries = random(2, QUERIES, bits);
        hamming = new ClHamming(cl, db);
        ClHamming.TopK top = hamming.topK(queries, K);
        LinearScan scan = new LinearScan(db);
        for (int q = 0; q < QUERIES; q++) {
            int[] rows = Arrays.copyOfRange(top.rows(), q * K, (q + 1) * K);
            if (!Arrays.equals(rows, scan.knn(queries, q, K).rows())) {
                throw new IllegalStateException("ClHamming top-" + K + " differs from LinearScan for query " + q);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public ClHamming.TopK topK() {
        return hamming.topK(queries, K);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hamming.close();
    }
}
