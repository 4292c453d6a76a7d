package org.deephash4j.hashing;

import static org.deephash4j.hashing.TestSupport.*;
import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

class DhnTest {

    /** METHODS.md 2.3 with Q as a mean, literally: u = tanh(z), C = (1/n²) Σ_ij ℓ(α u_iᵀu_j, s_ij) + (λ/(nK)) Σ_ik log cosh(|u_ik| − 1). */
    static double oracle(double[] z, Labels y, int n, int k, double lambda, double alpha) {
        double[] u = new double[z.length];
        for (int i = 0; i < z.length; i++) u[i] = Math.tanh(z[i]);
        double pair = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double theta = alpha * dot(u, i, u, j, k);
                double s = y.similar(i, j) ? 1 : 0;
                pair += softplus(theta) - s * theta;
            }
        }
        double q = 0;
        for (double v : u) q += logCosh(Math.abs(v) - 1);
        return pair / ((double) n * n) + lambda / ((double) n * k) * q;   // L + λQ, Q a mean over n×K
    }

    @Test
    void valueAndGradientMatchTheFormula() {
        int[][] shapes = {{2, 8}, {7, 12}, {13, 48}};
        for (int[] shape : shapes) {
            for (boolean multi : new boolean[] {false, true}) {
                int n = shape[0];
                int k = shape[1];
                long seed = 100 + n * 7L + k;
                Labels y = multi ? randomMultiHot(seed, n, 5) : randomLabels(seed, n, 3);
                double[] z = randn(seed, n * k, 0.8);
                double lambda = 0.3;
                double alpha = 10.0 / k;
                Dhn dhn = new Dhn(k, lambda, alpha);
                Tensor zt = leaf(z, n, k);
                Tensor loss = dhn.lossOnOutputs(zt, y, null);
                String what = "DHN n=" + n + " K=" + k + (multi ? " multi-hot" : "");
                double expected = oracle(z, y, n, k, lambda, alpha);
                assertClose(what + " value", expected, loss.item(), 1e-5, 1e-5);
                float[] grad = gradientOf(loss, zt);
                double[] numeric = FiniteDifferences.gradient(x -> oracle(x, y, n, k, lambda, alpha), z.clone());
                assertClose(what + " gradient", numeric, grad, 1e-6, 1e-3);
            }
        }
    }

    @Test
    void paperDefaults() {
        Dhn dhn = new Dhn(48);
        assertTrue(dhn.lambda() == 0.3f && dhn.innerProductScale() == 1f);
    }

    @Test
    void badConfigurationFailsClearly() {
        assertThrows(IllegalArgumentException.class, () -> new Dhn(0));
        assertThrows(IllegalArgumentException.class, () -> new Dhn(12, -0.1, 1));
        Dhn dhn = new Dhn(8);
        Tensor one = Tensors.zeros(backend(), 1, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dhn.lossOnOutputs(one, Labels.single(new int[] {0}, 2), null));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        Tensor two = Tensors.zeros(backend(), 2, 8);
        e = assertThrows(IllegalArgumentException.class, () -> dhn.lossOnOutputs(two, null, null));
        assertTrue(e.getMessage().contains("labels are missing"), e.getMessage());
    }
}
