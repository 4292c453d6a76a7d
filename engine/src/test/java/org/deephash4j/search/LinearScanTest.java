package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every scan (reference, vector, 1-3 threads) against brute force. */
class LinearScanTest {
    private static final HammingKernels[] KERNELS = {HammingKernels.reference(), HammingKernels.vector()};

    private static void checkAll(BinaryCodes db, BinaryCodes queries, int[] ks, int[] radii, String what) {
        for (HammingKernels kernels : KERNELS) {
            LinearScan scan = new LinearScan(db, kernels);
            for (int k : ks) {
                Neighbors[] one = scan.knnBatch(queries, k, 1);
                Neighbors[] three = scan.knnBatch(queries, k, 3);
                for (int q = 0; q < queries.size(); q++) {
                    Neighbors expected = RandomCodes.bruteKnn(db, queries, q, k);
                    String where = what + " " + kernels.name() + " k=" + k + " query " + q;
                    assertEquals(expected, one[q], where);
                    assertEquals(expected, three[q], where + " (3 threads)");
                    assertEquals(expected, scan.knn(queries, q, k), where + " (single)");
                }
            }
            for (int r : radii) {
                Neighbors[] two = scan.radiusBatch(queries, r, 2);
                for (int q = 0; q < queries.size(); q++) {
                    Neighbors expected = RandomCodes.bruteRadius(db, queries, q, r);
                    assertEquals(expected, two[q], what + " " + kernels.name() + " radius=" + r + " query " + q);
                    assertEquals(expected, scan.radius(queries, q, r));
                }
            }
        }
    }

    @Test
    void knnAndRadiusEqualBruteForceOnManySizes() {
        Random rnd = new Random(20261125);
        int[] bitsList = {1, 12, 24, 32, 48, 64, 65, 128, 256};
        int[] sizes = {1, 2, 3, 7, 13, 61, 509, 5003};
        for (int bits : bitsList) {
            for (int n : sizes) {
                BinaryCodes db = RandomCodes.uniform(n, bits, rnd);
                BinaryCodes q = RandomCodes.uniform(3, bits, rnd);
                checkAll(db, q, new int[] {1, 10, n, n + 5}, new int[] {0, 2, bits / 2, bits},
                        "uniform bits=" + bits + " n=" + n);
            }
        }
    }

    @Test
    void tiesDuplicatesAndShuffledIds() {
        Random rnd = new Random(7);
        for (int bits : new int[] {12, 64, 128}) {
            BinaryCodes dup = RandomCodes.withDuplicates(9000, bits, 40, rnd);
            BinaryCodes queries = dup.select(new int[] {0, 5, 17});     // queries that are in the database
            checkAll(dup, queries, new int[] {1, 100, 2000}, new int[] {0, 3}, "duplicates bits=" + bits);
            BinaryCodes shuffled = dup.withIds(RandomCodes.shuffledIds(9000, rnd));
            checkAll(shuffled, queries, new int[] {1, 100}, new int[] {2}, "shuffled ids bits=" + bits);
        }
        BinaryCodes clustered = RandomCodes.clustered(20000, 64, 50, 0.05, rnd);
        checkAll(clustered, clustered.select(new int[] {1, 2, 3, 4}), new int[] {1, 100, 1000}, new int[] {0, 2, 5},
                "clustered");
    }

    @Test
    void resultsAreSortedByDistanceThenId() {
        Random rnd = new Random(1);
        BinaryCodes db = RandomCodes.withDuplicates(2000, 32, 10, rnd).withIds(RandomCodes.shuffledIds(2000, rnd));
        Neighbors nb = new LinearScan(db).knn(db, 0, 500);
        for (int i = 1; i < nb.size(); i++) {
            assertTrue(nb.distance(i - 1) < nb.distance(i)
                    || nb.distance(i - 1) == nb.distance(i) && nb.id(i - 1) < nb.id(i), "order at " + i);
        }
    }

    @Test
    void aQueryRowOutOfRangeIsAClearError() {
        Random rnd = new Random(3);
        BinaryCodes db = RandomCodes.uniform(20, 24, rnd);
        BinaryCodes queries = RandomCodes.uniform(3, 24, rnd);
        LinearScan scan = new LinearScan(db);
        for (int row : new int[] {-1, 3, 1000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scan.knn(queries, row, 5));
            assertEquals("LinearScan.knn: query row " + row + " is out of range; the queries hold 3 codes (rows 0..2)", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> scan.radius(queries, row, 2));
            assertThrows(IllegalArgumentException.class, () -> scan.distances(queries, row, new int[20]));
            assertThrows(IllegalArgumentException.class, () -> scan.histogram(queries, row));
        }
        assertEquals(RandomCodes.bruteKnn(db, queries, 2, 5), scan.knn(queries, 2, 5), "the last row is in range");
    }

    @Test
    void distancesAndHistogram() {
        Random rnd = new Random(2);
        BinaryCodes db = RandomCodes.uniform(777, 100, rnd);
        LinearScan scan = new LinearScan(db);
        int[] d = new int[777];
        scan.distances(db, 4, d);
        int[] h = new int[101];
        for (int i = 0; i < 777; i++) {
            assertEquals(RandomCodes.slowDistance(db, 4, db, i), d[i]);
            h[d[i]]++;
        }
        assertArrayEquals(h, scan.histogram(db, 4));
    }

    @Test
    void concurrentReadersGetTheSameAnswers() throws Exception {
        Random rnd = new Random(12);
        BinaryCodes db = RandomCodes.clustered(20000, 64, 30, 0.05, rnd);
        BinaryCodes queries = RandomCodes.clustered(40, 64, 30, 0.05, rnd);
        LinearScan scan = new LinearScan(db);
        MultiIndexHashing mih = new MultiIndexHashing(db);
        Neighbors[] knn = scan.knnBatch(queries, 50, 1);
        Neighbors[] radius = scan.radiusBatch(queries, 3, 1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> java.util.Arrays.equals(knn, scan.knnBatch(queries, 50, 2))
                        && java.util.Arrays.equals(knn, mih.knnBatch(queries, 50, 2))
                        && java.util.Arrays.equals(radius, mih.radiusBatch(queries, 3, 1))
                        && java.util.Arrays.equals(radius, scan.radiusBatch(queries, 3, 2))));
            }
            for (java.util.concurrent.Future<Boolean> f : results) assertTrue(f.get(), "a concurrent reader differed");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void emptyDatabaseGivesEmptyAnswers() {
        BinaryCodes empty = BinaryCodes.fromWords(64, new long[0]);
        BinaryCodes q = RandomCodes.uniform(2, 64, new Random(3));
        assertEquals(0, new LinearScan(empty).knn(q, 0, 5).size());
        assertEquals(0, new LinearScan(empty).radiusBatch(q, 64, 2)[1].size());
        assertEquals(0, new MultiIndexHashing(empty).knn(q, 1, 5).size());
        assertEquals(0, new MultiIndexHashing(empty).radius(q, 0, 3).size());
    }

    @Test
    void wrongBitLengthIsAClearError() {
        LinearScan scan = new LinearScan(RandomCodes.uniform(10, 64, new Random(1)));
        BinaryCodes q = RandomCodes.uniform(1, 48, new Random(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scan.knn(q, 0, 5));
        assertTrue(e.getMessage().contains("64-bit") && e.getMessage().contains("48 bits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> scan.radiusBatch(q, 2, 1));
        BinaryCodes q64 = RandomCodes.uniform(1, 64, new Random(1));
        assertThrows(IllegalArgumentException.class, () -> scan.knn(q64, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> scan.radius(q64, 0, -1));
    }
}
