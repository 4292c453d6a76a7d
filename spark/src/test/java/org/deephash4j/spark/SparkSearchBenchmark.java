package org.deephash4j.spark;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
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
 * Exact k-NN throughput, queries/s (one op = one query): 1,000 random queries, k = 10, against 1,000,000 random
 * 64-bit codes, by {@link LinearScan#knnBatch} in this JVM on N threads ({@code jvm[N]}; the scan built in the
 * setup) and by {@link SparkSearch#knn} on an embedded Spark {@code local[N]} (both tables cached, the database
 * in 8 partitions; each call collects and broadcasts the queries, builds a scan per partition, merges, and the
 * result is consumed by Spark's {@code noop} writer). Spark's overhead is the ratio {@code jvm[N] / local[N]}.
 * The setup checks the Spark answers against the single-JVM scan before timing.
 *
 * <p>{@code spark/bench.sh SparkSearchBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(2)
public class SparkSearchBenchmark {
    static final int QUERIES = 1000;
    static final int CODES = 1_000_000;
    static final int K = 10;

    @Param({"jvm[1]", "jvm[2]", "local[1]", "local[2]"})
    String where;

    private BinaryCodes queries;
    private LinearScan scan;
    private SparkSession spark;
    private SparkSearch search;
    private Dataset<Row> queryTable;
    private Dataset<Row> database;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(2026);
        long[] words = new long[CODES];
        for (int i = 0; i < CODES; i++) words[i] = random.nextLong();
        long[] q = new long[QUERIES];
        for (int i = 0; i < QUERIES; i++) q[i] = random.nextLong();
        BinaryCodes codes = BinaryCodes.fromWords(64, words);
        queries = BinaryCodes.fromWords(64, q);
        scan = new LinearScan(codes);
        if (BenchSpark.singleJvm(where)) return;

        spark = BenchSpark.start(where);
        search = new SparkSearch(spark);
        database = CodeTable.of(spark, codes, 8).cache();
        database.count();
        queryTable = CodeTable.of(spark, queries, 1).cache();
        queryTable.count();
        Neighbors[] expected = scan.knnBatch(queries, K);
        java.util.Map<Long, java.util.List<String>> got = SparkSearchTest.answers(search.knn(queryTable, database, K));
        for (int i = 0; i < QUERIES; i++) {
            if (!SparkSearchTest.pairs(expected[i]).equals(got.get(queries.id(i)))) {
                throw new IllegalStateException(where + ": Spark's answer to query " + i + " differs from LinearScan");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (spark != null) spark.stop();
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public Object knn() {
        if (spark == null) return scan.knnBatch(queries, K, BenchSpark.threads(where));
        search.knn(queryTable, database, K).write().format("noop").mode("overwrite").save();
        return search;
    }
}
