package org.deephash4j.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DsdhSolversTest {

    private static float[] randomSigns(Random r, int size) {
        float[] b = new float[size];
        for (int i = 0; i < size; i++) b[i] = r.nextBoolean() ? 1f : -1f;
        return b;
    }

    private static float[] oneHot(Random r, int n, int c) {
        float[] y = new float[n * c];
        for (int i = 0; i < n; i++) y[i * c + r.nextInt(c)] = 1f;
        return y;
    }

    @Test
    void wStepSatisfiesTheNormalEquations() {
        int[][] cases = {{1, 8, 2}, {13, 12, 10}, {200, 48, 10}, {61, 64, 5}, {300, 128, 21}};
        for (int[] cs : cases) {
            int n = cs[0], k = cs[1], c = cs[2];
            Random r = new Random(n * 1000L + k);
            float[] b = randomSigns(r, n * k);
            float[] y = oneHot(r, n, c);
            double lambda = 0.1;
            double[] w = DsdhSolvers.solveW(b, y, n, k, c, lambda);
            // (BᵀB + λI) W − BᵀY = 0, checked entry by entry in double
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < c; j++) {
                    double lhs = lambda * w[p * c + j];
                    double rhs = 0;
                    double scale = Math.abs(lambda * w[p * c + j]);
                    for (int i = 0; i < n; i++) {
                        double bTw = 0;
                        for (int q = 0; q < k; q++) bTw += b[i * k + q] * w[q * c + j];
                        lhs += b[i * k + p] * bTw;
                        rhs += b[i * k + p] * y[i * c + j];
                        scale += Math.abs(b[i * k + p] * bTw);
                    }
                    if (Math.abs(lhs - rhs) > 1e-9 * (1 + scale)) {
                        fail("W step n=" + n + " K=" + k + " C=" + c + ": normal equation [" + p + ", " + j + "] "
                                + lhs + " vs " + rhs);
                    }
                }
            }
        }
    }

    @Test
    void bStepNeverIncreasesTheObjectiveAndKeepsBBinary() {
        for (int seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            int n = 1 + r.nextInt(40);
            int k = 1 + r.nextInt(24);
            int c = 1 + r.nextInt(8);
            float[] b = randomSigns(r, n * k);
            float[] u = new float[n * k];
            for (int i = 0; i < u.length; i++) u[i] = (float) (2 * r.nextGaussian());
            float[] y = oneHot(r, n, c);
            double[] w = new double[k * c];
            for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() * (seed % 3 == 0 ? 2 : 0.3);
            double etaOverMu = seed % 4 == 0 ? 0 : r.nextDouble() * 5;
            double before = DsdhSolvers.objective(b, u, y, w, n, k, c, etaOverMu);
            for (int sweep = 0; sweep < 4; sweep++) {
                DsdhSolvers.updateB(b, u, y, w, n, k, c, etaOverMu, 1);
                double after = DsdhSolvers.objective(b, u, y, w, n, k, c, etaOverMu);
                assertTrue(after <= before + 1e-9 * (1 + Math.abs(before)),
                        "seed " + seed + " sweep " + sweep + ": objective rose from " + before + " to " + after);
                before = after;
            }
            for (float v : b) assertTrue(v == 1f || v == -1f, "seed " + seed + ": B holds " + v);
            int sweeps = DsdhSolvers.updateB(b, u, y, w, n, k, c, etaOverMu, 50);
            assertTrue(sweeps < 50, "seed " + seed + ": DCC did not settle");
            // settled: no single bit flip lowers the objective (each column update is exact, rows separate)
            double settled = DsdhSolvers.objective(b, u, y, w, n, k, c, etaOverMu);
            for (int i = 0; i < b.length; i++) {
                b[i] = -b[i];
                double flipped = DsdhSolvers.objective(b, u, y, w, n, k, c, etaOverMu);
                b[i] = -b[i];
                assertTrue(flipped >= settled - 1e-9 * (1 + Math.abs(settled)),
                        "seed " + seed + ": flipping bit " + i + " lowers the objective " + settled + " -> " + flipped);
            }
        }
    }

    @Test
    void badInputFailsClearly() {
        float[] b = {1f, 0f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DsdhSolvers.updateB(b, new float[2], new float[2], new double[2], 1, 2, 1, 1, 1));
        assertTrue(e.getMessage().contains("expected ±1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DsdhSolvers.solveW(new float[] {1f}, new float[] {1f}, 1, 1, 1, 0));
        assertEquals(1, DsdhSolvers.updateB(new float[] {1f}, new float[] {1f}, new float[] {1f}, new double[] {1}, 1, 1, 1, 1, 5));
    }
}
