package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Multi-index hashing against brute force at every radius 0..bits and every substring count m (all m from
 * ceil(bits / 32) to bits for short codes), on random and clustered codes, through the probing path alone and
 * through the cost-based path on databases large enough that it probes (issue 21: radii near the code length,
 * where a code's substrings may all differ from the query's in every bit, were never tested).
 */
class MultiIndexHashingRadiiTest {
    /** Brute force once per query: every row in (distance, id) order; radius r is the prefix with d <= r. */
    private static Neighbors[] rankings(BinaryCodes db, BinaryCodes queries) {
        Neighbors[] all = new Neighbors[queries.size()];
        for (int q = 0; q < queries.size(); q++) all[q] = RandomCodes.bruteKnn(db, queries, q, db.size());
        return all;
    }

    private static Neighbors prefixWithin(Neighbors ranking, int r) {
        int c = 0;
        while (c < ranking.size() && ranking.distance(c) <= r) c++;
        return prefix(ranking, c);
    }

    private static Neighbors prefix(Neighbors ranking, int c) {
        int[] rows = new int[c];
        long[] ids = new long[c];
        int[] d = new int[c];
        for (int i = 0; i < c; i++) {
            rows[i] = ranking.row(i);
            ids[i] = ranking.id(i);
            d[i] = ranking.distance(i);
        }
        return new Neighbors(rows, ids, d);
    }

    /** Queries: random codes, two database rows and the bitwise complement of row 0 (every substring differs). */
    private static BinaryCodes queries(BinaryCodes db, Random rnd) {
        long[] complement = new long[db.wordsPerCode()];
        for (int w = 0; w < complement.length; w++) complement[w] = ~db.word(0, w);
        complement[complement.length - 1] &= ~BinaryCodes.padMask(db.bits());
        return RandomCodes.uniform(2, db.bits(), rnd).concat(db.select(new int[] {0, db.size() - 1}))
                .concat(BinaryCodes.fromWords(db.bits(), complement));
    }

    private static void checkAllRadii(MultiIndexHashing mih, BinaryCodes db, BinaryCodes queries, Neighbors[] rankings,
                                      String what) {
        int bits = db.bits();
        for (int q = 0; q < queries.size(); q++) {
            for (int r = 0; r <= bits + 1; r++) {
                assertEquals(prefixWithin(rankings[q], r), mih.radius(queries, q, r),
                        what + " m=" + mih.substrings() + " radius=" + r + " query " + q);
            }
            for (int k : new int[] {1, 2, db.size() / 2 + 1, db.size()}) {
                assertEquals(prefix(rankings[q], Math.min(k, db.size())), mih.knn(queries, q, k),
                        what + " m=" + mih.substrings() + " k=" + k + " query " + q);
            }
        }
    }

    @Test
    void everyRadiusAndEverySubstringCountOnShortCodes() {
        Random rnd = new Random(2101);
        for (int bits = 1; bits <= 12; bits++) {
            for (boolean clustered : new boolean[] {false, true}) {
                BinaryCodes db = clustered ? RandomCodes.clustered(600, bits, 3, 0.1, rnd)
                        : RandomCodes.uniform(600, bits, rnd);
                BinaryCodes queries = queries(db, rnd);
                Neighbors[] rankings = rankings(db, queries);
                String what = (clustered ? "clustered" : "uniform") + " bits=" + bits + " n=600";
                for (int m = 1; m <= bits; m++) {
                    checkAllRadii(new MultiIndexHashing(db, m, false), db, queries, rankings, what + " probing");
                    checkAllRadii(new MultiIndexHashing(db, m, true), db, queries, rankings, what);
                }
            }
        }
    }

    @Test
    void everyRadiusOnLongerCodesWithOneBitAndWideSubstrings() {
        Random rnd = new Random(2102);
        for (int bits : new int[] {16, 31, 32, 33, 64, 65}) {
            BinaryCodes db = RandomCodes.clustered(400, bits, 4, 0.2, rnd).concat(RandomCodes.uniform(200, bits, rnd));
            BinaryCodes queries = queries(db, rnd);
            Neighbors[] rankings = rankings(db, queries);
            int min = (bits + 31) / 32;
            for (int m : new int[] {min, min + 1, 3, 5, bits / 8, bits / 2, bits - 1, bits}) {
                if (m < min || m > bits) continue;
                // Probing alone costs sum_a C(len, a) lookups up to the full radius: affordable for len <= 10.
                if ((bits + m - 1) / m <= 10) {
                    checkAllRadii(new MultiIndexHashing(db, m, false), db, queries, rankings, "bits=" + bits
                            + " probing");
                }
                checkAllRadii(new MultiIndexHashing(db, m, true), db, queries, rankings, "bits=" + bits);
            }
        }
    }

    /**
     * The case: 40,000 random 8-bit codes, 8 one-bit substrings, radius 8 must return all 40,000. At this
     * n the cost model probes (9 probes of 16 units each against a budget of n / 128), so it is the probing path.
     */
    @Test
    void fortyThousandEightBitCodesAtEveryRadius() {
        Random rnd = new Random(2103);
        BinaryCodes db = RandomCodes.uniform(40_000, 8, rnd);
        BinaryCodes queries = queries(db, rnd);
        Neighbors[] rankings = rankings(db, queries);
        for (int m = 1; m <= 8; m++) {
            MultiIndexHashing mih = new MultiIndexHashing(db, m);
            for (int q = 0; q < queries.size(); q++) {
                assertEquals(40_000, mih.radius(queries, q, 8).size(), "m=" + m + " query " + q + " radius 8");
                for (int r = 0; r <= 8; r++) {
                    assertEquals(prefixWithin(rankings[q], r), mih.radius(queries, q, r),
                            "n=40000 bits=8 m=" + m + " radius=" + r + " query " + q);
                }
            }
        }
    }

    /** Large n with the cost model on: radii where it probes and radii where it falls back, both exact. */
    @Test
    void largeDatabaseThroughTheCostModel() {
        Random rnd = new Random(2104);
        int n = 150_000;
        BinaryCodes db = RandomCodes.clustered(n, 32, 40, 0.04, rnd);
        BinaryCodes queries = queries(db, rnd);
        Neighbors[] rankings = rankings(db, queries);
        for (int m : new int[] {2, 4, 8, 32}) {
            MultiIndexHashing mih = new MultiIndexHashing(db, m);
            for (int q = 0; q < queries.size(); q++) {
                for (int r : new int[] {0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 31, 32}) {
                    assertEquals(prefixWithin(rankings[q], r), mih.radius(queries, q, r),
                            "clustered n=" + n + " bits=32 m=" + m + " radius=" + r + " query " + q);
                }
                for (int k : new int[] {1, 100, 5000}) {
                    assertEquals(prefix(rankings[q], k), mih.knn(queries, q, k),
                            "clustered n=" + n + " m=" + m + " k=" + k + " query " + q);
                }
            }
        }
    }
}
