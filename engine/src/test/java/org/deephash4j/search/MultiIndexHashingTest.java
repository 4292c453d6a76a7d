package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multi-index hashing must return exactly what brute force (and the linear scan) returns. */
class MultiIndexHashingTest {
    private static void check(BinaryCodes db, BinaryCodes queries, int m, int[] radii, int[] ks, String what) {
        MultiIndexHashing mih = new MultiIndexHashing(db, m);
        for (int r : radii) {
            Neighbors[] batch = mih.radiusBatch(queries, r, 2);
            for (int q = 0; q < queries.size(); q++) {
                Neighbors expected = RandomCodes.bruteRadius(db, queries, q, r);
                assertEquals(expected, batch[q], what + " m=" + m + " radius=" + r + " query " + q);
                assertEquals(expected, mih.radius(queries, q, r), what + " single");
            }
        }
        for (int k : ks) {
            Neighbors[] batch = mih.knnBatch(queries, k, 3);
            for (int q = 0; q < queries.size(); q++) {
                Neighbors expected = RandomCodes.bruteKnn(db, queries, q, k);
                assertEquals(expected, batch[q], what + " m=" + m + " k=" + k + " query " + q);
            }
        }
    }

    @Test
    void equalsBruteForceOnRandomAndClusteredCodes() {
        Random rnd = new Random(77);
        int[] radii = {0, 1, 2, 3, 5, 9};
        for (int bits : new int[] {12, 24, 32, 48, 64, 128}) {
            for (int n : new int[] {1, 7, 300, 8000}) {
                BinaryCodes db = RandomCodes.clustered(n, bits, 20, 0.05, rnd);
                BinaryCodes q = RandomCodes.clustered(4, bits, 1, 0.3, rnd).concat(db.select(new int[] {0}));
                int def = MultiIndexHashing.defaultSubstrings(bits, n);
                for (int m : new int[] {def, Math.min(bits, Math.max((bits + 31) / 32, 4))}) {
                    check(db, q, m, radii, new int[] {1, 10, n, n + 3}, "clustered bits=" + bits + " n=" + n);
                }
                BinaryCodes u = RandomCodes.uniform(n, bits, rnd);
                check(u, RandomCodes.uniform(3, bits, rnd), def, radii, new int[] {1, 25}, "uniform bits=" + bits
                        + " n=" + n);
            }
        }
    }

    @Test
    void duplicatesShuffledIdsAndOddSubstringCounts() {
        Random rnd = new Random(8);
        BinaryCodes dup = RandomCodes.withDuplicates(5000, 64, 30, rnd);
        BinaryCodes queries = dup.select(new int[] {3, 9});
        for (int m : new int[] {2, 3, 5, 7}) check(dup, queries, m, new int[] {0, 2, 4}, new int[] {1, 50, 400}, "dup");
        BinaryCodes shuffled = dup.withIds(RandomCodes.shuffledIds(5000, rnd));
        check(shuffled, queries, 4, new int[] {0, 3}, new int[] {7, 300}, "shuffled ids");
        BinaryCodes odd = RandomCodes.clustered(3000, 100, 10, 0.05, rnd);     // 100 bits: substrings cross words
        check(odd, odd.select(new int[] {1, 2}), 7, new int[] {0, 2, 6}, new int[] {1, 64}, "100 bits");
    }

    @Test
    void probingAloneIsExactWithoutTheScanFallback() {
        Random rnd = new Random(21);
        for (int bits : new int[] {16, 32, 64}) {
            BinaryCodes db = RandomCodes.clustered(3000, bits, 15, 0.08, rnd);
            BinaryCodes q = RandomCodes.clustered(3, bits, 2, 0.2, rnd).concat(db.select(new int[] {5}));
            for (int m : new int[] {bits / 16, bits / 8}) {
                MultiIndexHashing mih = new MultiIndexHashing(db, m, false);
                for (int qi = 0; qi < q.size(); qi++) {
                    for (int r : new int[] {0, 1, 2, 3, 4, 6}) {
                        assertEquals(RandomCodes.bruteRadius(db, q, qi, r), mih.radius(q, qi, r),
                                "no fallback bits=" + bits + " m=" + m + " r=" + r);
                    }
                    for (int k : new int[] {1, 20, 3000}) {
                        assertEquals(RandomCodes.bruteKnn(db, q, qi, k), mih.knn(q, qi, k),
                                "no fallback bits=" + bits + " m=" + m + " k=" + k);
                    }
                }
            }
        }
    }

    @Test
    void extractReadsContiguousBits() {
        BinaryCodes c = RandomCodes.uniform(3, 130, new Random(4));
        for (int lo : new int[] {0, 5, 60, 63, 64, 100}) {
            for (int len : new int[] {1, 7, 16, 30}) {
                if (lo + len > 130) continue;
                long expected = 0;
                for (int j = lo; j < lo + len; j++) expected = expected << 1 | (c.bit(1, j) ? 1 : 0);
                assertEquals(expected, MultiIndexHashing.extract(c.data(), c.wordsPerCode(), lo, len),
                        "lo=" + lo + " len=" + len);
            }
        }
    }

    @Test
    void badInput() {
        BinaryCodes db = RandomCodes.uniform(100, 64, new Random(1));
        assertThrows(IllegalArgumentException.class, () -> new MultiIndexHashing(db, 1));    // 64-bit substring
        assertThrows(IllegalArgumentException.class, () -> new MultiIndexHashing(db, 65));
        MultiIndexHashing mih = new MultiIndexHashing(db);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mih.radius(RandomCodes.uniform(1, 32, new Random(2)), 0, 1));
        assertTrue(e.getMessage().contains("64-bit") && e.getMessage().contains("32 bits"), e.getMessage());
        assertEquals(4, MultiIndexHashing.defaultSubstrings(64, 1_000_000));
        assertEquals(1, MultiIndexHashing.defaultSubstrings(16, 1 << 16));
    }
}
