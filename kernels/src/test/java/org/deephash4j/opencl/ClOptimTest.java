package org.deephash4j.opencl;

import org.junit.jupiter.api.Test;

/**
 * optim.cl against the CPU reference updates: SGD with and without momentum and weight decay,
 * Adam at steps 1 and 10 (bias corrections differ), three steps in a row so the state buffers
 * (velocity, m, v) are checked too. Tolerance atol 1e-6, rtol 1e-5.
 */
class ClOptimTest {
    private static final int[] SIZES = {1, 61, 1031};

    @Test
    void sgdAgreesWithReference() {
        long seed = 1;
        for (int n : SIZES) {
            float[][] buffers = {Parity.random(seed, n), Parity.random(seed + 1, n), Parity.random(seed + 2, n)};
            Parity.check("optim.cl sgd momentum n=" + n, buffers, (b, s) -> {
                for (int step = 0; step < 3; step++) b.sgdStep(s[0], s[1], s[2], 0.1f, 0.9f, 5e-4f, n);
            }, 1e-6, 1e-5);
            Parity.check("optim.cl sgd plain n=" + n, new float[][] {buffers[0], buffers[1]}, (b, s) -> {
                for (int step = 0; step < 3; step++) b.sgdStep(s[0], s[1], null, 0.1f, 0f, 0f, n);
            }, 1e-6, 1e-5);
            seed += 3;
        }
    }

    @Test
    void adamAgreesWithReference() {
        long seed = 100;
        for (int n : SIZES) {
            for (int first : new int[] {1, 10}) {
                float[] v = Parity.random(seed + 3, n, 0f, 0.01f);
                float[][] buffers = {Parity.random(seed, n), Parity.random(seed + 1, n), Parity.random(seed + 2, n, -0.1f, 0.1f), v};
                Parity.check("optim.cl adam n=" + n + " from step " + first, buffers, (b, s) -> {
                    for (int step = first; step < first + 3; step++) {
                        b.adamStep(s[0], s[1], s[2], s[3], 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, step, n);
                    }
                }, 1e-6, 1e-5);
                seed += 4;
            }
        }
    }
}
