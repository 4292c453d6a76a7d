package org.deephash4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Split;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed exact search against the single-machine {@link LinearScan}, answer for answer (ids, distances and
 * their order, so ties by id): on the embedded subset's codes, on a million random codes (20 bits, so every
 * answer ends in a tie), and with a task that fails once.
 */
class SparkSearchTest {
    private static SparkSession spark;
    private static BinaryCodes database;     // embedded subset: database images, ids = image index
    private static BinaryCodes queries;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws IOException {
        spark = SparkTestSession.spark();
        Split split = SparkTestSession.data().split();
        try (HashingModel model = HashingModel.load(SparkTestSession.checkpoint(), Backends.cpu(), null)) {
            database = model.encode(SparkTestSession.data().data(), split.database()).withIds(toLong(split.database()));
            queries = model.encode(SparkTestSession.data().data(), split.query()).withIds(toLong(split.query()));
        }
    }

    static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }

    /** Each query's answer from a result table: (id, distance) pairs in rank order; ranks must be 1, 2, ... */
    static Map<Long, List<String>> answers(Dataset<Row> result) {
        Map<Long, List<Row>> rows = new HashMap<>();
        for (Row r : result.collectAsList()) rows.computeIfAbsent(r.getLong(0), q -> new ArrayList<>()).add(r);
        Map<Long, List<String>> out = new HashMap<>();
        rows.forEach((q, list) -> {
            list.sort((a, b) -> Integer.compare(a.getInt(1), b.getInt(1)));
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                assertEquals(i + 1, list.get(i).getInt(1), "query " + q + ": ranks must run 1, 2, ... without gaps or repeats");
                pairs.add(list.get(i).getLong(2) + "@" + list.get(i).getInt(3));
            }
            out.put(q, pairs);
        });
        return out;
    }

    static List<String> pairs(Neighbors n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) out.add(n.id(i) + "@" + n.distance(i));
        return out;
    }

    /** Asserts the result table answers every query exactly as {@code expected} (queries with no neighbour have no row). */
    static void assertSameAnswers(BinaryCodes queries, Neighbors[] expected, Dataset<Row> result, String what) {
        Map<Long, List<String>> got = answers(result);
        int nonEmpty = 0;
        for (int q = 0; q < expected.length; q++) {
            List<String> want = pairs(expected[q]);
            if (!want.isEmpty()) nonEmpty++;
            List<String> have = got.getOrDefault(queries.id(q), List.of());
            if (!want.equals(have)) {
                throw new AssertionError(what + ": query " + q + " (id " + queries.id(q) + "): Spark " + have
                        + " vs LinearScan " + want);
            }
        }
        assertEquals(nonEmpty, got.size(), what + ": queries answered");
    }

    @Test
    void knnAndRadiusOnTheEmbeddedSubsetEqualLinearScan() {
        Dataset<Row> db = CodeTable.of(spark, database, 5);
        Dataset<Row> q = CodeTable.of(spark, queries, 2);
        LinearScan scan = new LinearScan(database);
        SparkSearch search = new SparkSearch(spark);
        for (int k : new int[] {1, 10, 100}) {
            assertSameAnswers(queries, scan.knnBatch(queries, k), search.knn(q, db, k), "embedded knn k=" + k);
        }
        for (int r : new int[] {0, 2}) {
            assertSameAnswers(queries, scan.radiusBatch(queries, r), search.radius(q, db, r), "embedded radius r=" + r);
        }
        assertSameAnswers(queries, scan.knnBatch(queries, 5000), search.knn(q, db, 5000), "k above the database size");
    }

    /** A million codes of 20 bits, made by the executors from the row number, with ids that are not in row order. */
    static final class RandomCodes implements MapPartitionsFunction<Long, Row> {
        static final int BITS = 20;
        static final long ID_STEP = 0x9E3779B97F4A7C15L;   // odd, so i -> i * ID_STEP is a bijection (ids are any longs)

        static long id(long i) {
            return i * ID_STEP;
        }

        static byte[] code(long i) {
            long v = new SplittableRandom(i).nextLong() & ((1L << BITS) - 1);   // 20 bits, packbits layout: 3 bytes
            return new byte[] {(byte) (v >>> 12), (byte) (v >>> 4), (byte) ((v & 0xF) << 4)};
        }

        @Override
        public Iterator<Row> call(Iterator<Long> rows) {
            List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                long i = rows.next();
                out.add(RowFactory.create(id(i), code(i)));
            }
            return out.iterator();
        }
    }

    @Test
    void aMillionRandomCodesThroughParquetEqualLinearScan() {
        int n = 1_000_000;
        String path = tmp.resolve("million.parquet").toString();
        spark.range(0, n, 1, 8).as(Encoders.LONG())
                .mapPartitions(new RandomCodes(), Encoders.row(CodeTable.schema(RandomCodes.BITS)))
                .withMetadata(CodeTable.CODE, CodeTable.codeField(RandomCodes.BITS).metadata())
                .write().parquet(path);
        Dataset<Row> db = spark.read().parquet(path);

        byte[] bytes = new byte[n * 3];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(RandomCodes.code(i), 0, bytes, 3 * i, 3);
            ids[i] = RandomCodes.id(i);
        }
        BinaryCodes all = BinaryCodes.fromBytes(bytes, RandomCodes.BITS, ids);
        SplittableRandom random = new SplittableRandom(19);
        int[] rows = new int[64];
        for (int i = 0; i < rows.length; i++) rows[i] = random.nextInt(n);
        BinaryCodes q = all.select(rows).withIds(toLong(rows));
        Dataset<Row> qTable = CodeTable.of(spark, q, 2);

        LinearScan scan = new LinearScan(all);
        SparkSearch search = new SparkSearch(spark);
        assertSameAnswers(q, scan.knnBatch(q, 10), search.knn(qTable, db, 10), "1M codes, knn k=10");
        assertSameAnswers(q, scan.radiusBatch(q, 1), search.radius(qTable, db, 1), "1M codes, radius 1");

        FailOnce.reset();
        Dataset<Row> failing = CodeTable.withBits(db.mapPartitions(new FailOnce(1, 20_000), Encoders.row(db.schema())),
                RandomCodes.BITS);
        assertSameAnswers(q, scan.knnBatch(q, 10), search.knn(qTable, failing, 10), "1M codes, a scan task failed once");
        assertEquals(1, FailOnce.failures(), "the injected failure must have happened once");
    }

    @Test
    void mergingPartsInAnyOrderGivesTheBestOfTheUnion() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(60);
            int limit = 1 + random.nextInt(15);
            int parts = 1 + random.nextInt(5);
            List<List<long[]>> byPart = new ArrayList<>();
            for (int p = 0; p < parts; p++) byPart.add(new ArrayList<>());
            List<long[]> everything = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long[] e = {random.nextInt(4), random.nextLong(-20, 20) * 1000 + i};   // few distances: many ties
                everything.add(e);
                byPart.get(random.nextInt(parts)).add(e);
            }
            java.util.Comparator<long[]> order = (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]);
            everything.sort(order);
            TopK merged = null;
            for (List<long[]> part : byPart) {
                part.sort(order);
                int m = Math.min(limit, part.size());
                int[] d = new int[m];
                long[] id = new long[m];
                for (int i = 0; i < m; i++) {
                    d[i] = (int) part.get(i)[0];
                    id[i] = part.get(i)[1];
                }
                TopK t = new TopK(d, id, limit);
                merged = merged == null ? t : (random.nextBoolean() ? merged.merge(t) : t.merge(merged));
            }
            int m = Math.min(limit, n);
            assertEquals(m, merged.size(), "trial " + trial + ": size");
            for (int i = 0; i < m; i++) {
                assertEquals(everything.get(i)[0], merged.distances()[i], "trial " + trial + ": distance " + i);
                assertEquals(everything.get(i)[1], merged.ids()[i], "trial " + trial + ": id " + i);
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        Dataset<Row> db = CodeTable.of(spark, database, 1);
        Dataset<Row> q = CodeTable.of(spark, BinaryCodes.fromWords(31, new long[] {0L}), 1);
        IllegalArgumentException bits = assertThrows(IllegalArgumentException.class, () -> new SparkSearch(spark).knn(q, db, 3));
        assertTrue(bits.getMessage().contains("32-bit codes but the queries have 31 bits"), bits.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new SparkSearch(spark).knn(db, db, 0));
        assertTrue(k.getMessage().contains("k = 0"), k.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> new SparkSearch(spark).radius(db, db, -1));
        assertTrue(r.getMessage().contains("radius = -1"), r.getMessage());
    }
}
