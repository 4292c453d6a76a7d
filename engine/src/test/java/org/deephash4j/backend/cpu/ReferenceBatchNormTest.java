package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;

import org.deephash4j.autograd.Oracles;
import org.deephash4j.testing.ArrayAsserts;
import org.deephash4j.testing.FiniteDifferences;
import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceBatchNorm against the double oracle ({@code Oracles.batchNorm}, written from the
 * formula): training forward (output, batch mean, biased variance) and evaluation forward at
 * atol 1e-6, rtol 1e-5; backward, with and without batch statistics, against central finite
 * differences of L = Σ y · r for x, weight and bias at atol 1e-4, rtol 1e-3. Shapes: one
 * position per channel, a batch of one, odd planes.
 */
class ReferenceBatchNormTest {
    private static final float EPS = 1e-5f;
    /** {batch, channels, spatial}. */
    private static final int[][] SHAPES = {{5, 2, 1}, {1, 3, 7}, {3, 2, 5}, {2, 1, 13}};

    @Test
    void trainingForwardAndBackward() {
        long seed = 500;
        for (int[] s : SHAPES) {
            int n = s[0] * s[1] * s[2];
            String what = "ReferenceBatchNorm batch=" + s[0] + " channels=" + s[1] + " spatial=" + s[2];
            float[] x = TestArrays.uniform(seed++, n, 1, 3);
            float[] w = TestArrays.uniform(seed++, s[1], 0.5, 1.5);
            float[] b = TestArrays.uniform(seed++, s[1], -1, 1);
            float[] r = TestArrays.uniform(seed++, n, -1, 1);
            float[] y = new float[n], mean = new float[s[1]], var = new float[s[1]];
            ReferenceBatchNorm.trainingForward(y, mean, var, x, w, b, EPS, s[0], s[1], s[2]);
            double[] xd = ArrayAsserts.toDouble(x), wd = ArrayAsserts.toDouble(w), bd = ArrayAsserts.toDouble(b);
            assertClose(what + " training forward", Oracles.batchNorm(xd, wd, bd, null, null, EPS, s[0], s[1], s[2]), y,
                    1e-6, 1e-5);
            double[][] stats = statistics(xd, s);
            assertClose(what + " batch mean", stats[0], mean, 1e-6, 1e-6);
            assertClose(what + " batch variance (biased)", stats[1], var, 1e-7, 1e-5);

            float[] dx = TestArrays.uniform(seed, n, 5, 6), dw = new float[s[1]], db = new float[s[1]];
            ReferenceBatchNorm.backward(dx, dw, db, r, x, mean, var, w, EPS, true, s[0], s[1], s[2]);
            assertClose(what + " gradInput", FiniteDifferences.gradient(v -> FiniteDifferences.weightedSum(
                    Oracles.batchNorm(v, wd, bd, null, null, EPS, s[0], s[1], s[2]), r), xd), dx, 1e-4, 1e-3);
            assertClose(what + " gradWeight", FiniteDifferences.gradient(v -> FiniteDifferences.weightedSum(
                    Oracles.batchNorm(xd, v, bd, null, null, EPS, s[0], s[1], s[2]), r), wd), dw, 1e-4, 1e-3);
            assertClose(what + " gradBias", FiniteDifferences.gradient(v -> FiniteDifferences.weightedSum(
                    Oracles.batchNorm(xd, wd, v, null, null, EPS, s[0], s[1], s[2]), r), bd), db, 1e-4, 1e-3);
        }
    }

    @Test
    void evaluationForwardAndBackward() {
        long seed = 600;
        for (int[] s : SHAPES) {
            int n = s[0] * s[1] * s[2];
            String what = "ReferenceBatchNorm (fixed statistics) batch=" + s[0] + " channels=" + s[1] + " spatial=" + s[2];
            float[] x = TestArrays.uniform(seed++, n, -2, 2);
            float[] mean = TestArrays.uniform(seed++, s[1], -0.5, 0.5);
            float[] var = TestArrays.uniform(seed++, s[1], 0.5, 2);
            float[] w = TestArrays.uniform(seed++, s[1], 0.5, 1.5);
            float[] b = TestArrays.uniform(seed++, s[1], -1, 1);
            float[] r = TestArrays.uniform(seed++, n, -1, 1);
            double[] md = ArrayAsserts.toDouble(mean), vd = ArrayAsserts.toDouble(var);
            double[] xd = ArrayAsserts.toDouble(x), wd = ArrayAsserts.toDouble(w), bd = ArrayAsserts.toDouble(b);
            float[] y = new float[n];
            ReferenceBatchNorm.forward(y, x, mean, var, w, b, EPS, s[0], s[1], s[2]);
            assertClose(what + " forward", Oracles.batchNorm(xd, wd, bd, md, vd, EPS, s[0], s[1], s[2]), y, 1e-6, 1e-5);
            float[] dx = new float[n], dw = new float[s[1]], db = new float[s[1]];
            ReferenceBatchNorm.backward(dx, dw, db, r, x, mean, var, w, EPS, false, s[0], s[1], s[2]);
            assertClose(what + " gradInput", FiniteDifferences.gradient(v -> FiniteDifferences.weightedSum(
                    Oracles.batchNorm(v, wd, bd, md, vd, EPS, s[0], s[1], s[2]), r), xd), dx, 1e-4, 1e-3);
            assertClose(what + " gradWeight", FiniteDifferences.gradient(v -> FiniteDifferences.weightedSum(
                    Oracles.batchNorm(xd, v, bd, md, vd, EPS, s[0], s[1], s[2]), r), wd), dw, 1e-4, 1e-3);
            assertClose(what + " gradBias", FiniteDifferences.gradient(v -> FiniteDifferences.weightedSum(
                    Oracles.batchNorm(xd, wd, v, md, vd, EPS, s[0], s[1], s[2]), r), bd), db, 1e-4, 1e-3);
        }
    }

    /** Per-channel mean and biased variance in double. */
    private static double[][] statistics(double[] x, int[] s) {
        double[] mean = new double[s[1]], var = new double[s[1]];
        int m = s[0] * s[2];
        for (int c = 0; c < s[1]; c++) {
            for (int i = 0; i < s[0]; i++) for (int p = 0; p < s[2]; p++) mean[c] += x[(i * s[1] + c) * s[2] + p];
            mean[c] /= m;
            for (int i = 0; i < s[0]; i++) {
                for (int p = 0; p < s[2]; p++) var[c] += Math.pow(x[(i * s[1] + c) * s[2] + p] - mean[c], 2);
            }
            var[c] /= m;
        }
        return new double[][] {mean, var};
    }
}
