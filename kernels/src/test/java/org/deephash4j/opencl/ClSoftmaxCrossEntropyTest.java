package org.deephash4j.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * softmax_cross_entropy.cl against the CPU reference: probabilities and mean loss, then the
 * backward, for n and classes of 1, 2, 7, 10 (MNIST), 61 and 1000, and logits large enough
 * (±40) that an unstabilised softmax would overflow. Tolerance atol 1e-6, rtol 1e-5.
 */
class ClSoftmaxCrossEntropyTest {

    @Test
    void forwardAndBackwardAgreeWithReference() {
        int[][] sizes = {{1, 1}, {1, 2}, {7, 10}, {61, 7}, {128, 10}, {3, 1000}, {65, 2}};
        long seed = 1;
        for (int[] sz : sizes) {
            int n = sz[0], classes = sz[1];
            float[] logits = Parity.random(seed, n * classes, -40f, 40f);
            float[] labels = new float[n];
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < n; i++) labels[i] = r.nextInt(classes);
            String what = "softmax_cross_entropy.cl n=" + n + " classes=" + classes;
            float[][] fwd = Parity.check(what, new float[][] {new float[1], new float[n * classes], logits, labels},
                    (b, s) -> b.softmaxCrossEntropy(s[0], s[1], s[2], s[3], n, classes), 1e-6, 1e-5);
            Parity.check(what + " backward", new float[][] {new float[n * classes], fwd[1], labels, {0.7f}},
                    (b, s) -> b.softmaxCrossEntropyBackward(s[0], s[1], s[2], s[3], n, classes), 1e-7, 1e-5);
            seed++;
        }
    }
}
