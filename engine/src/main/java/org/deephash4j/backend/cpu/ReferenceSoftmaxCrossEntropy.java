package org.deephash4j.backend.cpu;

/**
 * Reference fused softmax + cross-entropy, mean over the batch.
 *
 * <p>logits z {@code [n, classes]}, labels {@code [n]} (class indices stored as floats):
 * <pre>
 *   probs[i, c] = e^(z[i, c] - max_c z[i]) / Σ_c' e^(z[i, c'] - max_c z[i])
 *   loss       = -(1/n) Σ_i log probs[i, labels[i]]
 *              = (1/n) Σ_i (log Σ_c' e^(z[i, c'] - max) - (z[i, labels[i]] - max))
 * </pre>
 * Subtracting the row max keeps every exponent &lt;= 0 (no overflow for logits like 1e4), and
 * the log-probability is taken from the shifted logits, never as log(probs) (no log 0).
 * Row sums and the batch loss accumulate in double. Backward:
 * {@code gradLogits[i, c] = gradLoss · (probs[i, c] - [c == labels[i]]) / n}.
 *
 * <p>A label that is not an integer in [0, classes) is an {@link IllegalArgumentException}
 * naming the row and the value.
 */
final class ReferenceSoftmaxCrossEntropy {
    private ReferenceSoftmaxCrossEntropy() {
    }

    static void forward(float[] loss, float[] probs, float[] logits, float[] labels, int n, int classes) {
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            int label = label("softmaxCrossEntropy", labels, i, classes);
            int row = i * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, logits[row + c]);
            double sumExp = 0.0;
            for (int c = 0; c < classes; c++) sumExp += Math.exp((double) logits[row + c] - max);
            for (int c = 0; c < classes; c++) probs[row + c] = (float) (Math.exp((double) logits[row + c] - max) / sumExp);
            total += Math.log(sumExp) - ((double) logits[row + label] - max);
        }
        loss[0] = (float) (total / n);
    }

    static void backward(float[] gradLogits, float[] probs, float[] labels, float[] gradLoss, int n, int classes) {
        float scale = gradLoss[0] / n;
        for (int i = 0; i < n; i++) {
            int label = label("softmaxCrossEntropyBackward", labels, i, classes);
            int row = i * classes;
            for (int c = 0; c < classes; c++) {
                float target = c == label ? 1f : 0f;
                gradLogits[row + c] = scale * (probs[row + c] - target);
            }
        }
    }

    /** labels[i] as a class index, or an IllegalArgumentException naming the op, the row and the value. */
    static int label(String op, float[] labels, int i, int classes) {
        float value = labels[i];
        int label = (int) value;
        if (label != value || label < 0 || label >= classes) {
            throw new IllegalArgumentException(op + ": labels[" + i + "] = " + value
                    + " is not a class index in [0, " + classes + ")");
        }
        return label;
    }
}
