package org.deephash4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.RandomCodes;
import org.junit.jupiter.api.Test;

/** Every metric against a slow literal evaluation of its definition (METHODS.md 6.1-6.5) and hand-computed cases. */
class MetricsTest {
    private static final double EPS = 1e-12;

    /** The reference ranking, literally: sort database indices by (distance, index). */
    private static List<Integer> rank(BinaryCodes q, int qi, BinaryCodes db) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < db.size(); i++) idx.add(i);
        idx.sort(Comparator.<Integer>comparingInt(i -> RandomCodes.slowDistance(q, qi, db, i))
                .thenComparingInt(i -> i));
        return idx;
    }

    /** AP@k by the formula; NaN if R_k = 0. */
    private static double slowAp(boolean[] relInRankOrder, int k) {
        double sum = 0;
        int rk = 0;
        for (int r = 1; r <= k; r++) {
            int found = 0;
            for (int s = 1; s <= r; s++) if (relInRankOrder[s - 1]) found++;
            double p = (double) found / r;
            if (relInRankOrder[r - 1]) {
                sum += p;
                rk++;
            }
        }
        return rk == 0 ? Double.NaN : sum / rk;
    }

    private record Case(BinaryCodes q, Labels ql, BinaryCodes db, Labels dbl, boolean[][] rel) {
    }

    private static Case randomCase(Random rnd, int nq, int n, int bits, boolean multi) {
        BinaryCodes q = RandomCodes.uniform(nq, bits, rnd);
        BinaryCodes db = RandomCodes.uniform(n, bits, rnd);
        Labels ql;
        Labels dbl;
        boolean[][] rel = new boolean[nq][n];
        if (multi) {
            int c = 5;
            float[] a = new float[nq * c];
            float[] b = new float[n * c];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextDouble() < 0.25 ? 1 : 0;
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextDouble() < 0.25 ? 1 : 0;
            ql = Labels.multiHot(a, c);
            dbl = Labels.multiHot(b, c);
            for (int i = 0; i < nq; i++) {
                for (int j = 0; j < n; j++) {
                    for (int x = 0; x < c; x++) rel[i][j] |= a[i * c + x] > 0 && b[j * c + x] > 0;
                }
            }
        } else {
            int[] a = new int[nq];
            int[] b = new int[n];
            for (int i = 0; i < nq; i++) a[i] = rnd.nextInt(4);
            for (int i = 0; i < n; i++) b[i] = rnd.nextInt(4);
            ql = Labels.single(a, 4);
            dbl = Labels.single(b, 4);
            for (int i = 0; i < nq; i++) for (int j = 0; j < n; j++) rel[i][j] = a[i] == b[j];
        }
        return new Case(q, ql, db, dbl, rel);
    }

    @Test
    void handComputedAveragePrecision() {
        // Database at distances 0, 1, 2 from the query; relevance + - + gives AP@3 = (1/1 + 2/3) / 2 = 0.8333.
        BinaryCodes q = BinaryCodes.fromSigns(new float[] {1, 1, 1, 1}, 4);
        BinaryCodes db = BinaryCodes.fromSigns(new float[] {1, 1, 1, 1, -1, 1, 1, 1, -1, -1, 1, 1}, 4);
        Labels ql = Labels.single(new int[] {0}, 3);
        Labels dbl = Labels.single(new int[] {0, 1, 0}, 3);
        assertEquals((1.0 + 2.0 / 3) / 2, MeanAveragePrecision.atK(q, ql, db, dbl, 3), EPS);
        assertEquals(0.8333, MeanAveragePrecision.compute(q, ql, db, dbl), 1e-4);
        // [+ - -]: AP@3 = 1 (the R_k normaliser, DeepHash-pytorch issue #33)
        assertEquals(1.0, MeanAveragePrecision.atK(q, ql, db, Labels.single(new int[] {0, 1, 1}, 3), 3), EPS);
        // Ties keep database order: three codes at distance 0, relevance - + + -> AP = (1/2 + 2/3) / 2.
        BinaryCodes same = BinaryCodes.fromSigns(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 4);
        assertEquals((0.5 + 2.0 / 3) / 2, MeanAveragePrecision.compute(q, ql, same, Labels.single(new int[] {1, 0, 0}, 3)), EPS);
        // P@2 of + - + is 0.5; precision within radius 1 = 1/2, recall = 1/2
        assertEquals(0.5, PrecisionAtK.compute(q, ql, db, dbl, 2), EPS);
        PrecisionWithinRadius.Result r1 = PrecisionWithinRadius.compute(q, ql, db, dbl, 1);
        assertEquals(0.5, r1.precision(), EPS);
        assertEquals(0.5, r1.recall(), EPS);
    }

    @Test
    void noRelevantPolicyAndEmptyRadius() {
        BinaryCodes q = BinaryCodes.fromSigns(new float[] {1, 1, 1, 1, -1, -1, -1, -1}, 4);
        BinaryCodes db = BinaryCodes.fromSigns(new float[] {1, 1, 1, 1, 1, 1, 1, -1}, 4);
        Labels ql = Labels.single(new int[] {0, 2}, 3);     // query 1 has no relevant item
        Labels dbl = Labels.single(new int[] {0, 1}, 3);
        assertEquals(0.5, MeanAveragePrecision.compute(q, ql, db, dbl), EPS);
        assertEquals(1.0, MeanAveragePrecision.atK(q, ql, db, dbl, 2, MeanAveragePrecision.NoRelevant.EXCLUDE), EPS);
        // query 0 finds both codes within radius 2, one relevant: precision 1/2, recall 1.
        // query 1 is at distance 4 and 3 from the database: nothing within radius 2 -> precision 0, still counted
        PrecisionWithinRadius.Result r = PrecisionWithinRadius.compute(q, ql, db, dbl);
        assertEquals(0.25, r.precision(), EPS);
        assertEquals(0.5, r.recall(), EPS);
    }

    @Test
    void allMetricsMatchSlowDefinitionsOnRandomCases() {
        Random rnd = new Random(99);
        for (int trial = 0; trial < 6; trial++) {
            int bits = new int[] {4, 8, 12, 16, 24, 64}[trial];
            Case c = randomCase(rnd, 7, 40 + trial * 13, bits, trial % 2 == 1);
            int n = c.db.size();
            int nq = c.q.size();
            for (int k : new int[] {1, 5, n / 2, n}) {
                double zero = 0;
                double excl = 0;
                int counted = 0;
                double patk = 0;
                for (int qi = 0; qi < nq; qi++) {
                    List<Integer> order = rank(c.q, qi, c.db);
                    boolean[] rel = new boolean[n];
                    for (int r = 0; r < n; r++) rel[r] = c.rel[qi][order.get(r)];
                    double ap = slowAp(rel, k);
                    if (!Double.isNaN(ap)) {
                        zero += ap;
                        excl += ap;
                        counted++;
                    }
                    int hits = 0;
                    for (int r = 0; r < k; r++) if (rel[r]) hits++;
                    patk += (double) hits / k;
                }
                String where = "trial " + trial + " bits=" + bits + " k=" + k;
                assertEquals(zero / nq, MeanAveragePrecision.atK(c.q, c.ql, c.db, c.dbl, k), EPS, where);
                assertEquals(counted == 0 ? Double.NaN : excl / counted, MeanAveragePrecision.atK(c.q, c.ql, c.db,
                        c.dbl, k, MeanAveragePrecision.NoRelevant.EXCLUDE), EPS, where);
                assertEquals(patk / nq, PrecisionAtK.compute(c.q, c.ql, c.db, c.dbl, k), EPS, where);
            }
            PrecisionRecallCurve.Curve byRank = PrecisionRecallCurve.byRank(c.q, c.ql, c.db, c.dbl);
            PrecisionRecallCurve.Curve byRadius = PrecisionRecallCurve.byRadius(c.q, c.ql, c.db, c.dbl);
            for (int r = 0; r <= bits; r++) {
                double p = 0;
                double rc = 0;
                for (int qi = 0; qi < nq; qi++) {
                    int within = 0;
                    int relWithin = 0;
                    int relAll = 0;
                    for (int m = 0; m < n; m++) {
                        boolean in = RandomCodes.slowDistance(c.q, qi, c.db, m) <= r;
                        if (c.rel[qi][m]) relAll++;
                        if (in) within++;
                        if (in && c.rel[qi][m]) relWithin++;
                    }
                    p += within == 0 ? 0 : (double) relWithin / within;
                    rc += relAll == 0 ? 0 : (double) relWithin / relAll;
                }
                assertEquals(p / nq, byRadius.precision()[r], EPS, "PR by radius r=" + r);
                assertEquals(rc / nq, byRadius.recall()[r], EPS, "PR by radius recall r=" + r);
                if (r == 2 || r == bits) {
                    PrecisionWithinRadius.Result w = PrecisionWithinRadius.compute(c.q, c.ql, c.db, c.dbl, r);
                    assertEquals(p / nq, w.precision(), EPS);
                    assertEquals(rc / nq, w.recall(), EPS);
                }
            }
            for (int pos = 0; pos < n; pos++) {
                double p = 0;
                double rc = 0;
                for (int qi = 0; qi < nq; qi++) {
                    List<Integer> order = rank(c.q, qi, c.db);
                    int found = 0;
                    int total = 0;
                    for (int m = 0; m < n; m++) if (c.rel[qi][m]) total++;
                    for (int r = 0; r <= pos; r++) if (c.rel[qi][order.get(r)]) found++;
                    p += (double) found / (pos + 1);
                    rc += total == 0 ? 0 : (double) found / total;
                }
                assertEquals(p / nq, byRank.precision()[pos], EPS, "PR by rank pos=" + pos);
                assertEquals(rc / nq, byRank.recall()[pos], EPS, "PR by rank recall pos=" + pos);
            }
            double[] curve = PrecisionAtK.curve(c.q, c.ql, c.db, c.dbl, n);
            for (int k = 1; k <= n; k++) assertEquals(byRank.precision()[k - 1], curve[k - 1], EPS);
        }
    }

    @Test
    void curvesCombineQueryChunksAndRadiusZeroIsExactMatches() {
        // 70 queries: the by-rank curve sums them in chunks of 32 (two full, one partial) in chunk order
        Random rnd = new Random(5);
        Case c = randomCase(rnd, 70, 50, 6, false);
        int n = c.db.size();
        PrecisionRecallCurve.Curve byRank = PrecisionRecallCurve.byRank(c.q, c.ql, c.db, c.dbl);
        double[] p = new double[n];
        double[] rc = new double[n];
        for (int qi = 0; qi < c.q.size(); qi++) {
            List<Integer> order = rank(c.q, qi, c.db);
            int total = 0;
            for (int m = 0; m < n; m++) if (c.rel[qi][m]) total++;
            int hits = 0;
            for (int pos = 0; pos < n; pos++) {
                if (c.rel[qi][order.get(pos)]) hits++;
                p[pos] += (double) hits / (pos + 1) / c.q.size();
                rc[pos] += total == 0 ? 0 : (double) hits / total / c.q.size();
            }
        }
        for (int pos = 0; pos < n; pos++) {
            assertEquals(p[pos], byRank.precision()[pos], EPS, "PR by rank over 70 queries, pos=" + pos);
            assertEquals(rc[pos], byRank.recall()[pos], EPS, "PR by rank recall over 70 queries, pos=" + pos);
        }
        // radius 0 is a valid radius: exact matches only
        double precision = 0;
        for (int qi = 0; qi < c.q.size(); qi++) {
            int within = 0, relevant = 0;
            for (int m = 0; m < n; m++) {
                if (RandomCodes.slowDistance(c.q, qi, c.db, m) == 0) {
                    within++;
                    if (c.rel[qi][m]) relevant++;
                }
            }
            precision += within == 0 ? 0 : (double) relevant / within;
        }
        assertEquals(precision / c.q.size(), PrecisionWithinRadius.compute(c.q, c.ql, c.db, c.dbl, 0).precision(), EPS);
    }

    @Test
    void badInputIsNamed() {
        BinaryCodes q = RandomCodes.uniform(2, 16, new Random(1));
        BinaryCodes db = RandomCodes.uniform(5, 32, new Random(1));
        Labels ql = Labels.single(new int[] {0, 1}, 3);
        Labels dbl = Labels.single(new int[] {0, 1, 0, 1, 0}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeanAveragePrecision.compute(q, ql, db, dbl));
        assertTrue(e.getMessage().contains("32-bit") && e.getMessage().contains("16 bits"), e.getMessage());
        BinaryCodes db16 = RandomCodes.uniform(5, 16, new Random(1));
        assertThrows(IllegalArgumentException.class, () -> MeanAveragePrecision.compute(q, ql, db16,
                Labels.single(new int[] {0}, 3)));
        assertThrows(IllegalArgumentException.class, () -> PrecisionAtK.compute(q, ql, db16, dbl, 6));
        assertThrows(IllegalArgumentException.class, () -> Labels.single(new int[] {-1}, 3));
    }
}
