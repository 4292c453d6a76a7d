package org.deephash4j.hashing;

import static org.deephash4j.hashing.TestSupport.*;
import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.deephash4j.testing.ArrayAsserts.toDouble;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

class DlbhcTest {

    /** METHODS.md 1.2, literally: L = −(1/n) Σ_i log softmax(W_8 σ(a_i) + b_8)[y_i]; w8 is [C, K] (Linear's [out, in]). */
    static double oracle(double[] a, Labels y, double[] w8, double[] b8, int n, int k, int c) {
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] o = new double[c];
            double max = Double.NEGATIVE_INFINITY;
            for (int q = 0; q < c; q++) {
                double s = b8[q];
                for (int p = 0; p < k; p++) s += w8[q * k + p] / (1 + Math.exp(-a[i * k + p]));
                o[q] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (double v : o) sum += Math.exp(v - max);
            loss -= o[y.classOf(i)] - max - Math.log(sum);
        }
        return loss / n;
    }

    @Test
    void lossIsSoftmaxCrossEntropyThroughTheSigmoidLatentLayer() {
        int n = 9;
        int k = 12;
        int c = 4;
        Dlbhc dlbhc = new Dlbhc(k, c);
        HashHead head = dlbhc.head(backend(), 20, 5);
        double[] w8 = toDouble(head.classifier().weight().tensor().toArray());
        double[] b8 = toDouble(head.classifier().bias().tensor().toArray());
        Labels y = randomLabels(3, n, c);
        double[] a = randn(4, n * k, 1.5);
        Tensor at = leaf(a, n, k);
        Tensor loss = dlbhc.lossOnOutputs(at, y, null);
        assertClose("DLBHC value", oracle(a, y, w8, b8, n, k, c), loss.item(), 1e-5, 1e-5);
        float[] grad = gradientOf(loss, at);
        assertClose("DLBHC gradient", FiniteDifferences.gradient(x -> oracle(x, y, w8, b8, n, k, c), a.clone()), grad, 1e-6, 1e-3);
    }

    @Test
    void bitsAreTheHalfThresholdOfTheSigmoidAndF7IsExposed() {
        Dlbhc dlbhc = new Dlbhc(8, 3);
        float[] a = {-2f, -0.001f, 0f, 0.001f, 3f, -7f, 0.5f, -0.5f};
        BinaryCodes codes = HashHeadMethod.codesOf(Tensors.fromArray(backend(), a, 1, 8));
        for (int i = 0; i < 8; i++) {
            assertEquals(1 / (1 + Math.exp(-a[i])) >= 0.5, codes.bit(0, i), "bit " + i + " of a = " + a[i]);
        }
        Tensor f7 = Tensors.zeros(backend(), 2, 5);
        assertSame(f7, dlbhc.rerankFeatures(f7));
        assertTrue(new Dhn(8).rerankFeatures(f7) == null);
    }

    @Test
    void paperBiasInitIsAvailable() {
        Dlbhc paper = new Dlbhc(8, 3, 1.0);
        HashHead head = paper.head(backend(), 4, 1);
        for (float b : head.hashLayer().bias().tensor().toArray()) assertTrue(b == 1f);
        assertThrows(IllegalStateException.class, () -> paper.head(backend(), 4, 1));
    }

    @Test
    void badConfigurationFailsClearly() {
        assertThrows(IllegalArgumentException.class, () -> new Dlbhc(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new Dlbhc(12, 1));
        Dlbhc dlbhc = new Dlbhc(8, 3);
        dlbhc.head(backend(), 4, 1);
        Tensor a = Tensors.zeros(backend(), 2, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dlbhc.lossOnOutputs(a, randomMultiHot(1, 2, 3), null));
        assertTrue(e.getMessage().contains("multi-hot"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> dlbhc.lossOnOutputs(a, null, null));
        assertTrue(e.getMessage().contains("labels are missing"), e.getMessage());
    }
}
