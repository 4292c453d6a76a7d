package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * batch_norm.cl against the CPU reference batch normalisation: training forward (output, batch
 * mean and variance), evaluation forward, backward with and without batch statistics, on planes
 * of size 1, odd, prime and larger than a work-group, a batch of one, a single channel and one
 * ResNet-sized case; inputs centred away from zero (mean about 3). The reference sums in double,
 * the kernel in float over a fixed tree, so sums get atol 1e-8 · M. The same call twice gives
 * the same bits, and a kernel that drops the last position of each plane fails the comparison.
 */
class ClBatchNormTest {
    private static final float EPS = 1e-5f;
    /** {batch, channels, spatial}. */
    private static final int[][] SHAPES = {
        {3, 2, 1}, {3, 2, 2}, {3, 2, 7}, {2, 3, 13}, {3, 2, 61}, {1, 5, 2}, {7, 1, 1}, {2, 3, 143}, {2, 2, 509},
        {4, 16, 28 * 28},
    };

    private static String describe(String kernel, int[] s) {
        return "batch_norm.cl " + kernel + " batch=" + s[0] + " channels=" + s[1] + " spatial=" + s[2];
    }

    @Test
    void trainingForwardAgreesWithReference() {
        long seed = 1;
        for (int[] s : SHAPES) {
            int n = s[0] * s[1] * s[2];
            float[][] buffers = {new float[n], new float[s[1]], new float[s[1]], Parity.random(seed, n, 2f, 4f),
                Parity.random(seed + 1, s[1], 0.5f, 1.5f), Parity.random(seed + 2, s[1])};
            float[][] expected = Parity.run(Parity.cpu(), buffers, (b, st) -> b.batchNormTrainingForward(st[0], st[1], st[2],
                    st[3], st[4], st[5], EPS, s[0], s[1], s[2]));
            float[][] actual = Parity.run(OpenClTestSupport.backend(), buffers, (b, st) -> b.batchNormTrainingForward(st[0],
                    st[1], st[2], st[3], st[4], st[5], EPS, s[0], s[1], s[2]));
            Parity.assertClose(describe("training mean", s), expected[1], actual[1], 1e-6, 1e-6);
            Parity.assertClose(describe("training variance", s), expected[2], actual[2], 1e-7, 1e-5);
            Parity.assertClose(describe("training output", s), expected[0], actual[0], 1e-5, 1e-5);
            seed += 3;
        }
    }

    @Test
    void evaluationForwardAgreesWithReference() {
        long seed = 100;
        for (int[] s : SHAPES) {
            int n = s[0] * s[1] * s[2];
            Parity.check(describe("evaluation forward", s), new float[][] {new float[n], Parity.random(seed, n, -2f, 2f),
                Parity.random(seed + 1, s[1], -0.5f, 0.5f), Parity.random(seed + 2, s[1], 0.5f, 2f),
                Parity.random(seed + 3, s[1], 0.5f, 1.5f), Parity.random(seed + 4, s[1])},
                    (b, st) -> b.batchNormForward(st[0], st[1], st[2], st[3], st[4], st[5], EPS, s[0], s[1], s[2]),
                    1e-6, 1e-5);
            seed += 5;
        }
    }

    @Test
    void backwardAgreesWithReference() {
        long seed = 200;
        for (boolean batchStatistics : new boolean[] {true, false}) {
            for (int[] s : SHAPES) {
                int n = s[0] * s[1] * s[2];
                float[] x = Parity.random(seed, n, 2f, 4f);
                float[] w = Parity.random(seed + 1, s[1], 0.5f, 1.5f);
                float[][] stats = Parity.run(Parity.cpu(), new float[][] {new float[n], new float[s[1]], new float[s[1]], x, w,
                    new float[s[1]]}, (b, st) -> b.batchNormTrainingForward(st[0], st[1], st[2], st[3], st[4], st[5], EPS,
                        s[0], s[1], s[2]));
                float[][] buffers = {Parity.random(seed + 2, n), Parity.random(seed + 3, s[1]), Parity.random(seed + 4, s[1]),
                    Parity.random(seed + 5, n), x, stats[1], stats[2], w};
                float[][] expected = Parity.run(Parity.cpu(), buffers, (b, st) -> b.batchNormBackward(st[0], st[1], st[2],
                        st[3], st[4], st[5], st[6], st[7], EPS, batchStatistics, s[0], s[1], s[2]));
                float[][] actual = Parity.run(OpenClTestSupport.backend(), buffers, (b, st) -> b.batchNormBackward(st[0],
                        st[1], st[2], st[3], st[4], st[5], st[6], st[7], EPS, batchStatistics, s[0], s[1], s[2]));
                String mode = batchStatistics ? " (batch statistics)" : " (fixed statistics)";
                double sumAtol = 1e-6 + 1e-8 * s[0] * s[2];
                Parity.assertClose(describe("backward gradWeight" + mode, s), expected[1], actual[1], sumAtol, 1e-5);
                Parity.assertClose(describe("backward gradBias" + mode, s), expected[2], actual[2], sumAtol, 1e-5);
                Parity.assertClose(describe("backward gradInput" + mode, s), expected[0], actual[0], 2e-6, 1e-5);
                seed += 6;
            }
        }
    }

    @Test
    void theSameCallGivesTheSameBits() {
        int[] s = {4, 16, 28 * 28};
        int n = s[0] * s[1] * s[2];
        float[][] buffers = {new float[n], new float[s[1]], new float[s[1]], Parity.random(300, n, 2f, 4f),
            Parity.random(301, s[1], 0.5f, 1.5f), Parity.random(302, s[1])};
        Parity.Kernel kernel = (b, st) -> b.batchNormTrainingForward(st[0], st[1], st[2], st[3], st[4], st[5], EPS,
                s[0], s[1], s[2]);
        float[][] first = Parity.run(OpenClTestSupport.backend(), buffers, kernel);
        float[][] second = Parity.run(OpenClTestSupport.backend(), buffers, kernel);
        for (int i = 0; i < 3; i++) assertArrayEquals(first[i], second[i], "batch_norm.cl: same input, different bits");
    }

    @Test
    void plantedBugFailsTheCheck() {
        // normalising only the first N - 1 images (a launch that skips its tail) must fail
        int[] s = {3, 2, 61};
        int n = s[0] * s[1] * s[2];
        float[][] buffers = {new float[n], Parity.random(400, n, -2f, 2f), Parity.random(401, s[1], -0.5f, 0.5f),
            Parity.random(402, s[1], 0.5f, 2f), Parity.random(403, s[1], 0.5f, 1.5f), Parity.random(404, s[1])};
        float[] expected = Parity.run(Parity.cpu(), buffers, (b, st) -> b.batchNormForward(st[0], st[1], st[2], st[3],
                st[4], st[5], EPS, s[0], s[1], s[2]))[0];
        float[] planted = Parity.run(OpenClTestSupport.backend(), buffers, (b, st) -> b.batchNormForward(st[0], st[1],
                st[2], st[3], st[4], st[5], EPS, s[0] - 1, s[1], s[2]))[0];
        assertThrows(AssertionFailedError.class, () -> Parity.assertClose("planted batch norm", expected, planted, 1e-6, 1e-5));
    }
}
