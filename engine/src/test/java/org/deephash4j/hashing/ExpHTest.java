package org.deephash4j.hashing;

import static org.deephash4j.hashing.TestSupport.*;
import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

class ExpHTest {

    /** METHODS.md 5.2 (b), literally: Σ_{i≠j} w_ij exp(−γ s̃_ij tanh(z_i)ᵀtanh(z_j) / K), balanced weights 1/|P₁|, 1/|P₀|. */
    static double oracle(double[] z, Labels y, int n, int k, double gamma, boolean balanced) {
        double[] h = new double[z.length];
        for (int i = 0; i < z.length; i++) h[i] = Math.tanh(z[i]);
        long similar = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j && y.similar(i, j)) similar++;
        long pairs = (long) n * (n - 1);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                boolean sim = y.similar(i, j);
                double w = !balanced ? 1.0 / pairs : sim ? 1.0 / similar : 1.0 / (pairs - similar);
                loss += w * Math.exp(-gamma * (sim ? 1 : -1) * dot(h, i, h, j, k) / k);
            }
        }
        return loss;
    }

    @Test
    void valueAndGradientMatchTheFormula() {
        int[][] shapes = {{2, 8}, {9, 24}, {16, 64}};
        for (int[] shape : shapes) {
            for (boolean balanced : new boolean[] {true, false}) {
                int n = shape[0];
                int k = shape[1];
                long seed = 77 + n + k;
                // n = 2 with two classes guarantees a dissimilar pair for the balanced weights
                Labels y = n == 2 ? Labels.single(new int[] {0, 1}, 2) : randomLabels(seed, n, 3);
                double[] z = randn(seed, n * k, 1);
                ExpH exph = ExpH.builder(k, 3).balanced(balanced).build();
                exph.setStage(ExpH.Stage.FINE_TUNE);
                Tensor zt = leaf(z, n, k);
                Tensor loss = exph.lossOnOutputs(zt, y, null);
                String what = "ExpH n=" + n + " K=" + k + (balanced ? " balanced" : "");
                double gamma = ExpH.DEFAULT_GAMMA;
                assertClose(what + " value", oracle(z, y, n, k, gamma, balanced), loss.item(), 1e-6, 1e-5);
                float[] grad = gradientOf(loss, zt);
                double[] numeric = FiniteDifferences.gradient(x -> oracle(x, y, n, k, gamma, balanced), z.clone());
                assertClose(what + " gradient", numeric, grad, 1e-6, 1e-3);
            }
        }
    }

    @Test
    void stagesFollowTheEpochs() {
        ExpH exph = ExpH.builder(12, 10).stage1Epochs(2).stage2Epochs(1).build();
        assertEquals(ExpH.Stage.PRETRAIN_FEATURES, exph.stage());
        exph.beforeEpoch(1);
        assertEquals(ExpH.Stage.PRETRAIN_FEATURES, exph.stage());
        assertEquals(1f, exph.learningRateScale());
        exph.beforeEpoch(2);
        assertEquals(ExpH.Stage.PRETRAIN_CODES, exph.stage());
        exph.beforeEpoch(3);
        assertEquals(ExpH.Stage.FINE_TUNE, exph.stage());
        assertEquals(ExpH.DEFAULT_FINE_TUNE_LR_SCALE, exph.learningRateScale());
        ExpH slow = ExpH.builder(12, 10).stage1Epochs(0).stage2Epochs(0).fineTuneLearningRateScale(0.25).build();
        assertEquals(ExpH.Stage.FINE_TUNE, slow.stage());
        assertEquals(0.25f, slow.learningRateScale());
    }

    @Test
    void badConfigurationFailsClearly() {
        assertThrows(IllegalArgumentException.class, () -> ExpH.create(0, 10));
        assertThrows(IllegalArgumentException.class, () -> ExpH.builder(12, 10).gamma(-2).build());
        assertThrows(IllegalArgumentException.class, () -> ExpH.builder(12, 1).build());
        assertThrows(IllegalArgumentException.class, () -> ExpH.builder(12, 10).stage1Epochs(-1).build());
    }
}
