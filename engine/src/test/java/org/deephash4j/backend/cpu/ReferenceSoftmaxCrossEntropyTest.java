package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.testing.ArrayAsserts;
import org.deephash4j.testing.FiniteDifferences;
import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceSoftmaxCrossEntropy against the literal formula in double,
 * {@code loss = -(1/n) Σ_i log(e^{z[i, y_i]} / Σ_c e^{z[i, c]})}: probs at atol 1e-6, rtol 1e-5,
 * loss at atol 1e-6, rtol 1e-5. Large logits (±1e4, where the literal formula overflows even in
 * double) against the shifted formula, and must stay finite. Backward against central finite
 * differences of the double loss at atol 1e-4, rtol 1e-3.
 */
class ReferenceSoftmaxCrossEntropyTest {
    private static final int[][] SHAPES = {{1, 1}, {1, 2}, {3, 7}, {8, 10}, {5, 31}};  // n, classes

    @Test
    void forwardMatchesTheLiteralFormula() {
        long seed = 1100;
        for (int[] s : SHAPES) {
            int n = s[0], classes = s[1];
            float[] logits = TestArrays.uniform(seed++, n * classes, -5, 5);
            float[] labels = labels(seed++, n, classes);
            float[] loss = new float[1];
            float[] probs = new float[n * classes];
            ReferenceSoftmaxCrossEntropy.forward(loss, probs, logits, labels, n, classes);
            double[] expectedProbs = new double[n * classes];
            double expectedLoss = 0.0;
            for (int i = 0; i < n; i++) {
                double denominator = 0.0;
                for (int c = 0; c < classes; c++) denominator += Math.exp(logits[i * classes + c]);
                for (int c = 0; c < classes; c++) expectedProbs[i * classes + c] = Math.exp(logits[i * classes + c]) / denominator;
                expectedLoss -= Math.log(expectedProbs[i * classes + (int) labels[i]]) / n;
            }
            String what = "ReferenceSoftmaxCrossEntropy n=" + n + " classes=" + classes;
            assertClose(what + " probs", expectedProbs, probs, 1e-6, 1e-5, n, classes);
            assertClose(what + " loss", new double[] {expectedLoss}, loss, 1e-6, 1e-5);
        }
    }

    @Test
    void largeLogitsStayFinite() {
        int n = 3, classes = 4;
        float[] logits = {1e4f, -1e4f, 0f, 9990f,
                          -1e4f, -1e4f, -1e4f, -1e4f,
                          1e4f, 1e4f, -1e4f, 5e3f};
        float[] labels = {3, 2, 0};
        float[] loss = new float[1];
        float[] probs = new float[n * classes];
        ReferenceSoftmaxCrossEntropy.forward(loss, probs, logits, labels, n, classes);
        double[] expectedProbs = new double[n * classes];
        double expectedLoss = 0.0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, logits[i * classes + c]);
            double denominator = 0.0;
            for (int c = 0; c < classes; c++) denominator += Math.exp(logits[i * classes + c] - max);
            for (int c = 0; c < classes; c++) expectedProbs[i * classes + c] = Math.exp(logits[i * classes + c] - max) / denominator;
            expectedLoss += (Math.log(denominator) - (logits[i * classes + (int) labels[i]] - max)) / n;
        }
        assertTrue(Float.isFinite(loss[0]), "loss = " + loss[0]);
        assertClose("ReferenceSoftmaxCrossEntropy large logits probs", expectedProbs, probs, 1e-6, 1e-5, n, classes);
        assertClose("ReferenceSoftmaxCrossEntropy large logits loss", new double[] {expectedLoss}, loss, 1e-6, 1e-5);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        long seed = 1200;
        for (int[] s : SHAPES) {
            int n = s[0], classes = s[1];
            float[] logits = TestArrays.uniform(seed++, n * classes, -3, 3);
            float[] labels = labels(seed++, n, classes);
            float[] gradLoss = {0.7f};
            float[] loss = new float[1];
            float[] probs = new float[n * classes];
            ReferenceSoftmaxCrossEntropy.forward(loss, probs, logits, labels, n, classes);
            float[] gradLogits = TestArrays.uniform(seed, n * classes, 5, 6);
            ReferenceSoftmaxCrossEntropy.backward(gradLogits, probs, labels, gradLoss, n, classes);
            double[] expected = FiniteDifferences.gradient(z -> gradLoss[0] * loss(z, labels, n, classes),
                    ArrayAsserts.toDouble(logits));
            assertClose("ReferenceSoftmaxCrossEntropy.backward n=" + n + " classes=" + classes, expected, gradLogits,
                    1e-4, 1e-3, n, classes);
        }
    }

    @Test
    void badLabelsNameTheRowAndTheValue() {
        float[] logits = new float[6];
        for (float bad : new float[] {-1f, 3f, 1.5f, Float.NaN}) {
            float[] labels = {0f, bad};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReferenceSoftmaxCrossEntropy.forward(new float[1], new float[6], logits, labels, 2, 3));
            assertTrue(e.getMessage().contains("labels[1] = " + bad) && e.getMessage().contains("[0, 3)"), e.getMessage());
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> ReferenceSoftmaxCrossEntropy.backward(new float[6], new float[6], labels, new float[] {1}, 2, 3));
            assertTrue(b.getMessage().contains("softmaxCrossEntropyBackward: labels[1] = " + bad), b.getMessage());
        }
    }

    /** The literal mean cross-entropy in double. */
    private static double loss(double[] z, float[] labels, int n, int classes) {
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            double denominator = 0.0;
            for (int c = 0; c < classes; c++) denominator += Math.exp(z[i * classes + c]);
            total -= Math.log(Math.exp(z[i * classes + (int) labels[i]]) / denominator);
        }
        return total / n;
    }

    private static float[] labels(long seed, int n, int classes) {
        float[] u = TestArrays.uniform(seed, n, 0, classes);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) labels[i] = (float) Math.floor(u[i]);
        return labels;
    }
}
