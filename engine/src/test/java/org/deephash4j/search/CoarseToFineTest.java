package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Coarse-to-fine against a brute-force reading of its definition, by scan and by multi-index. */
class CoarseToFineTest {
    @Test
    void equalsBruteForce() {
        Random rnd = new Random(5);
        for (int bits : new int[] {12, 48, 64}) {
            for (int n : new int[] {1, 50, 4000}) {
                int dim = 7;
                BinaryCodes db = RandomCodes.clustered(n, bits, 8, 0.1, rnd);
                if (n > 1) db = db.withIds(RandomCodes.shuffledIds(n, rnd));
                float[] f = new float[n * dim];
                for (int i = 0; i < f.length; i++) f[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < dim && n > 3; i++) f[3 * dim + i] = f[2 * dim + i];   // an exact tie
                BinaryCodes q = RandomCodes.clustered(3, bits, 2, 0.1, rnd);
                float[] qf = new float[3 * dim];
                for (int i = 0; i < qf.length; i++) qf[i] = (float) rnd.nextGaussian();
                CoarseToFine byScan = new CoarseToFine(db, f, dim);
                CoarseToFine byIndex = new CoarseToFine(db, f, dim, new MultiIndexHashing(db));
                CoarseToFine.Result[] batch = byIndex.searchBatch(q, qf, 2, 30, 10, 2);
                for (int qi = 0; qi < 3; qi++) {
                    assertArrayEquals(brute(db, f, dim, q, qi, qf, 2, 30, 10).ids(), batch[qi].ids(), "batch");
                    for (int[] p : new int[][] {{0, 1, 5}, {2, 30, 10}, {1, 10000, 3}, {bits, 0, 100}}) {
                        CoarseToFine.Result expected = brute(db, f, dim, q, qi, qf, p[0], p[1], p[2]);
                        for (CoarseToFine c2f : new CoarseToFine[] {byScan, byIndex}) {
                            CoarseToFine.Result got = c2f.search(q, qi, qf, p[0], p[1], p[2]);
                            String where = "bits=" + bits + " n=" + n + " q=" + qi + " r0=" + p[0] + " m=" + p[1]
                                    + " k=" + p[2];
                            assertEquals(expected.radius(), got.radius(), where);
                            assertEquals(expected.candidates(), got.candidates(), where);
                            assertArrayEquals(expected.rows(), got.rows(), where);
                            assertArrayEquals(expected.ids(), got.ids(), where);
                            assertArrayEquals(expected.hamming(), got.hamming(), where);
                            assertArrayEquals(expected.euclidean(), got.euclidean(), 0.0, where);
                        }
                    }
                }
            }
        }
    }

    private static CoarseToFine.Result brute(BinaryCodes db, float[] f, int dim, BinaryCodes q, int qi, float[] qf,
                                             int r0, int m, int k) {
        int r = Math.min(r0, db.bits());
        while (true) {
            int count = 0;
            for (int i = 0; i < db.size(); i++) if (RandomCodes.slowDistance(q, qi, db, i) <= r) count++;
            if (count >= Math.min(m, db.size()) || r == db.bits()) break;
            r++;
        }
        List<double[]> cand = new ArrayList<>();    // row, hamming, euclid
        for (int i = 0; i < db.size(); i++) {
            int d = RandomCodes.slowDistance(q, qi, db, i);
            if (d > r) continue;
            double s = 0;
            for (int j = 0; j < dim; j++) s += Math.pow((double) f[i * dim + j] - qf[qi * dim + j], 2);
            cand.add(new double[] {i, d, Math.sqrt(s)});
        }
        cand.sort(Comparator.<double[]>comparingDouble(c -> c[2]).thenComparingLong(c -> db.id((int) c[0]))
                .thenComparingDouble(c -> c[0]));
        int top = Math.min(k, cand.size());
        int[] rows = new int[top];
        long[] ids = new long[top];
        int[] ham = new int[top];
        double[] eu = new double[top];
        for (int i = 0; i < top; i++) {
            rows[i] = (int) cand.get(i)[0];
            ids[i] = db.id(rows[i]);
            ham[i] = (int) cand.get(i)[1];
            eu[i] = cand.get(i)[2];
        }
        return new CoarseToFine.Result(rows, ids, ham, eu, r, cand.size());
    }

    @Test
    void badInput() {
        BinaryCodes db = RandomCodes.uniform(10, 32, new Random(1));
        assertThrows(IllegalArgumentException.class, () -> new CoarseToFine(db, new float[29], 3));
        CoarseToFine c2f = new CoarseToFine(db, new float[30], 3);
        assertThrows(IllegalArgumentException.class,
                () -> c2f.search(RandomCodes.uniform(1, 48, new Random(1)), 0, new float[3], 2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> c2f.search(db, 0, new float[4], 2, 1, 1));
    }
}
