package org.deephash4j.hashing;

import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;

/** Argument checks shared by the methods; each message names the method, what it got and what it expected. */
final class Checks {
    private Checks() {
    }

    static int bits(String method, int bits) {
        if (bits < 1) throw new IllegalArgumentException(method + ": bits (K) = " + bits + ", expected K >= 1");
        return bits;
    }

    static float nonNegative(String method, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(method + ": " + name + " = " + value + ", expected a finite value >= 0");
        }
        return (float) value;
    }

    static float positive(String method, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(method + ": " + name + " = " + value + ", expected a finite value > 0");
        }
        return (float) value;
    }

    /** outputs [n, bits] with labels of n examples; pairwise losses need n >= 2. */
    static int batch(String method, Tensor outputs, int bits, Labels labels, boolean pairwise) {
        if (outputs.rank() != 2 || outputs.dim(1) != bits) {
            throw new IllegalArgumentException(method + ": outputs " + outputs.shape() + ", expected [n, " + bits + "]");
        }
        int n = outputs.dim(0);
        if (labels == null) {
            throw new IllegalArgumentException(method + ": labels are missing; " + method + " is supervised and needs the batch's labels");
        }
        if (labels.size() != n) {
            throw new IllegalArgumentException(method + ": " + labels.size() + " labels for a batch of " + n + " outputs");
        }
        if (pairwise && n < 2) {
            throw new IllegalArgumentException(method + ": a batch of " + n + " example(s); the pairwise loss needs at least 2");
        }
        return n;
    }

    static void indices(String method, int[] indices, int n, int trainingSize) {
        if (indices == null) {
            throw new IllegalArgumentException(method + ": indices into the training set are missing; this method keeps per-example state");
        }
        if (indices.length != n) {
            throw new IllegalArgumentException(method + ": " + indices.length + " indices for a batch of " + n);
        }
        for (int idx : indices) {
            if (idx < 0 || idx >= trainingSize) {
                throw new IllegalArgumentException(method + ": training index " + idx + " is outside [0, " + trainingSize + ")");
            }
        }
    }

    /** The [n, k] array {@code name} of a restored training state, or null when it is absent and not required. */
    static float[] stateArray(String method, java.util.Map<String, float[]> state, String name, int n, int k, boolean required) {
        float[] a = state.get(name);
        if (a == null) {
            if (required) throw new IllegalArgumentException(method + ": the training state has no '" + name + "' (has " + state.keySet() + ")");
            return null;
        }
        if (a.length != (long) n * k) {
            throw new IllegalArgumentException(method + ": training state '" + name + "' holds " + a.length + " values, expected ["
                    + n + ", " + k + "] = " + (long) n * k + " (another training set or bit length?)");
        }
        return a;
    }
}
