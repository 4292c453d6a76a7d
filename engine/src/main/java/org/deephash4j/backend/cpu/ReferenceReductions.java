package org.deephash4j.backend.cpu;

/**
 * Reference sum over the middle axis of {@code in[outer, mid, inner]}:
 * {@code out[o, i] = Σ_m in[o, m, i]}, out holds outer·inner elements.
 *
 * <p>Each sum is accumulated in double, in order m = 0..mid-1, and rounded once to float32.
 * A double accumulator makes this the (nearly) exactly rounded sum, so when a fast float32
 * kernel is compared against it, the difference measures the fast kernel's own rounding
 * error (which grows with mid), not a mix of two kernels' errors.
 */
final class ReferenceReductions {
    private ReferenceReductions() {
    }

    static void sum(float[] out, float[] in, int outer, int mid, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sum = 0.0;
                for (int m = 0; m < mid; m++) sum += in[(o * mid + m) * inner + i];
                out[o * inner + i] = (float) sum;
            }
        }
    }
}
