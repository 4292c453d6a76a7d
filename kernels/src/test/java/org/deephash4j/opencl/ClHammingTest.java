package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import org.junit.jupiter.api.Test;

/**
 * hamming.cl, exactly: every distance against a brute-force popcount in Java, and every top-k
 * against search.LinearScan (rows and distances in (distance, id) order), for code lengths of
 * 1, 7 (many ties), 64, 65 (a second word with one bit), 128 and 200 bits, databases of 1, 13
 * and 1031 codes, k of 1, 10 and more than n.
 */
class ClHammingTest {

    private static BinaryCodes random(long seed, int n, int bits) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * bits];
        for (int i = 0; i < v.length; i++) v[i] = r.nextBoolean() ? 1f : -1f;
        return BinaryCodes.fromSigns(v, bits);
    }

    @Test
    void distancesAndTopKAreExact() {
        OpenClBackend cl = OpenClTestSupport.backend();
        int[] bitsList = {1, 7, 64, 65, 128, 200};
        int[] sizes = {1, 13, 1031};
        long seed = 1;
        for (int bits : bitsList) {
            for (int n : sizes) {
                BinaryCodes db = random(seed++, n, bits);
                BinaryCodes queries = random(seed++, 5, bits);
                int w = BinaryCodes.wordsFor(bits);
                long[] dw = db.words();
                long[] qw = queries.words();
                try (ClHamming hamming = new ClHamming(cl, db)) {
                    int[] d = hamming.distances(queries);
                    for (int qi = 0; qi < 5; qi++) {
                        for (int i = 0; i < n; i++) {
                            int expected = 0;
                            for (int k = 0; k < w; k++) expected += Long.bitCount(qw[qi * w + k] ^ dw[i * w + k]);
                            if (d[qi * n + i] != expected) {
                                assertEquals(expected, d[qi * n + i],
                                        "hamming.cl bits=" + bits + " n=" + n + " query " + qi + " row " + i);
                            }
                        }
                    }
                    LinearScan scan = new LinearScan(db);
                    for (int k : new int[] {1, 10, n + 5}) {
                        ClHamming.TopK top = hamming.topK(queries, k);
                        int kk = Math.min(k, n);
                        assertEquals(kk, top.k());
                        for (int qi = 0; qi < 5; qi++) {
                            Neighbors expected = scan.knn(queries, qi, k);
                            String what = "hamming.cl top-k bits=" + bits + " n=" + n + " k=" + k + " query " + qi;
                            assertArrayEquals(expected.rows(), Arrays.copyOfRange(top.rows(), qi * kk, (qi + 1) * kk), what);
                            assertArrayEquals(expected.distances(),
                                    Arrays.copyOfRange(top.distances(), qi * kk, (qi + 1) * kk), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsQueriesOfAnotherLength() {
        OpenClBackend cl = OpenClTestSupport.backend();
        try (ClHamming hamming = new ClHamming(cl, random(1, 4, 64))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> hamming.distances(random(2, 1, 48)));
            assertEquals("ClHamming: the database holds 64-bit codes but the queries have 48 bits", e.getMessage());
        }
    }
}
