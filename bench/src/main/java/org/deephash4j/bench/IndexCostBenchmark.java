package org.deephash4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deephash4j.index.CodeBatch;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.Hits;
import org.deephash4j.index.IndexSnapshot;
import org.deephash4j.index.SearchMethod;
import org.deephash4j.index.SearchOptions;
import org.deephash4j.search.BinaryCodes;
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
 * The measurements behind the index's cost model ({@code index.CostModel}), one thread, one query per op, on an
 * index of 1,000,000 64-bit codes (one segment, default tables: 3 substrings of 22, 21 and 21 bits):
 * <ul>
 *   <li>{@code scan}: a radius-0 scan of random codes (nothing found): nanoseconds per code = time / 10^6;</li>
 *   <li>{@code probe}: multi-index radius r of random codes, r = 0, 3, 4: steps 0..2 probe one key per table
 *       (3 probes), step 3 the 22 keys at distance 1 in table 0, step 4 the 21 in table 1, so r = 0, 3, 4 cost 1,
 *       25 and 46 probes (r = 0: step 0 only). Buckets hold about 0.5 random codes, so nanoseconds per probe =
 *       (time(r = 4) - time(r = 3)) / 21, the per-query overhead cancelling;</li>
 *   <li>{@code entries}: multi-index radius 0 of clustered codes ({@link BenchCodes}): step 0 reads the query's
 *       bucket in table 0, about 1,000 x 0.95^22 = 324 entries of its cluster; nanoseconds per entry =
 *       (time - time of {@code probe} at r = 0) / 324.</li>
 * </ul>
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar IndexCostBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class IndexCostBenchmark {
    static final int N = 1_000_000;

    @Param({"0", "3", "4"})
    int radius;

    private Path dir;
    private CodeIndex random;
    private CodeIndex clustered;
    private IndexSnapshot randomSnapshot;
    private IndexSnapshot clusteredSnapshot;
    private BinaryCodes randomQueries;
    private BinaryCodes clusteredQueries;
    private SearchOptions scan;
    private SearchOptions mih;
    private int next;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("deephash-cost-bench-");
        SplittableRandom rnd = new SplittableRandom(7);
        random = CodeIndex.create(dir.resolve("random"), 64);
        random.append(CodeBatch.of(BenchCodes.random(N, 64, rnd)));
        long[] centres = BenchCodes.centres(64, rnd);
        clustered = CodeIndex.create(dir.resolve("clustered"), 64);
        clustered.append(CodeBatch.of(BenchCodes.clustered(N, 64, centres, rnd)));
        randomSnapshot = random.snapshot();
        clusteredSnapshot = clustered.snapshot();
        randomQueries = BenchCodes.random(1000, 64, rnd);
        clusteredQueries = BenchCodes.clustered(1000, 64, centres, rnd);
        scan = SearchOptions.defaults().withMethod(SearchMethod.SCAN).withThreads(1);
        mih = SearchOptions.defaults().withMethod(SearchMethod.MIH).withThreads(1);
        for (int q = 0; q < 4; q++) {
            if (!randomSnapshot.radius(randomQueries, q, radius, mih).equals(randomSnapshot.radius(randomQueries, q,
                    radius, scan))) {
                throw new IllegalStateException("IndexCostBenchmark: multi-index and scan disagree");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        randomSnapshot.close();
        clusteredSnapshot.close();
        random.close();
        clustered.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private int nextQuery() {
        next = (next + 1) % 1000;
        return next;
    }

    @Benchmark
    public Hits scan() {
        return randomSnapshot.radius(randomQueries, nextQuery(), 0, scan);
    }

    @Benchmark
    public Hits probe() {
        return randomSnapshot.radius(randomQueries, nextQuery(), radius, mih);
    }

    @Benchmark
    public Hits entries() {
        return clusteredSnapshot.radius(clusteredQueries, nextQuery(), 0, mih);
    }
}
