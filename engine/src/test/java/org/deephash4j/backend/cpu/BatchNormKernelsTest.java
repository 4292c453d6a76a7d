package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * VectorBatchNorm against ReferenceBatchNorm: training forward (output, batch mean and variance),
 * evaluation forward, and backward with and without batch statistics, on every awkward plane
 * size (1, odd, primes, lanes - 1, lanes, lanes + 1, 509), a batch of one, a single channel, both
 * sides of the plane size where VectorStreamedBatchNorm takes over, large primes, one large
 * ResNet-sized case, and small planes in one block a thread as well as two. Inputs sit away from
 * zero (mean about 3) so a kernel that does not centre fails. Sums are float lanes in the vector kernel and double in the reference, so
 * the tolerance of a per-channel sum grows with its length M = batch · spatial.
 */
class BatchNormKernelsTest {
    private static final float EPS = 1e-5f;
    private final CpuKernels reference = new ReferenceKernels();
    private final CpuKernels vector = new VectorKernels();

    /** {batch, channels, spatial}. */
    static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int s : KernelParity.awkwardSizes()) shapes.add(new int[] {3, 2, s});
        shapes.add(new int[] {1, 5, 2});              // batch of one, two positions: M = 2
        shapes.add(new int[] {7, 1, 1});              // spatial 1 (a BatchNorm over [N, C])
        shapes.add(new int[] {2, 3, 13 * 11});        // odd image
        // ResNet's small planes in several groups of images (the lane sums' flush interval), the last
        // group short: 14 x 14 takes 5 images a group at 16 lanes (2 at 8, 1 at 4), 7 x 7 21 at 16 lanes
        shapes.add(new int[] {23, 5, 14 * 14});
        shapes.add(new int[] {40, 3, 7 * 7});
        int streamed = VectorBatchNorm.STREAMED_MIN_SPATIAL;
        shapes.add(new int[] {3, 2, streamed - 1});   // the last plane size the channel blocks take
        shapes.add(new int[] {3, 2, streamed});       // the first VectorStreamedBatchNorm takes
        shapes.add(new int[] {5, 3, 521});            // streamed, prime
        shapes.add(new int[] {2, 3, 2053});           // streamed, prime, lane sums flushed inside a plane
        shapes.add(new int[] {8, 16, 56 * 56});       // ResNet layer1 at 224 x 224, 8 images
        shapes.add(ONE_BLOCK_A_THREAD);
        return shapes;
    }

    /** Small planes whose blocks would not fit L2 at any thread count up to 5: one block a thread. */
    static final int[] ONE_BLOCK_A_THREAD = {300, 10, 21 * 21};

    @Test
    void theShapesTakeOneBlockAThreadAndTwo() {
        // The parity suites above must reach both block layouts of VectorBatchNorm, whatever the thread count.
        int[] s = ONE_BLOCK_A_THREAD;
        for (int threads = 1; threads <= 5; threads++) {
            assertEquals(1, VectorBatchNorm.blocksPerThread(s[0], s[1], s[2], threads),
                    "blocks a thread for " + java.util.Arrays.toString(s) + " at " + threads + " threads");
            assertEquals(2, VectorBatchNorm.blocksPerThread(23, 5, 14 * 14, threads),
                    "blocks a thread for [23, 5, 196] at " + threads + " threads");
        }
    }

    private static String describe(String kernel, int[] s) {
        return "VectorBatchNorm " + kernel + " batch=" + s[0] + " channels=" + s[1] + " spatial=" + s[2];
    }

    private static double sumAtol(int[] s) {
        return 1e-6 + 1e-8 * s[0] * s[2];
    }

    @Test
    void trainingForwardAgrees() {
        Random random = new Random(71L);
        for (int[] s : shapes()) {
            int n = s[0] * s[1] * s[2];
            float[] x = KernelParity.uniform(random, n, 2f, 4f);
            float[] w = KernelParity.uniform(random, s[1], 0.5f, 1.5f);
            float[] b = KernelParity.uniform(random, s[1], -1f, 1f);
            float[] expected = new float[n], expectedMean = new float[s[1]], expectedVar = new float[s[1]];
            float[] actual = KernelParity.uniform(random, n, -9, 9);
            float[] actualMean = KernelParity.uniform(random, s[1], -9, 9);
            float[] actualVar = KernelParity.uniform(random, s[1], -9, 9);
            reference.batchNormTrainingForward(expected, expectedMean, expectedVar, x, w, b, EPS, s[0], s[1], s[2]);
            vector.batchNormTrainingForward(actual, actualMean, actualVar, x, w, b, EPS, s[0], s[1], s[2]);
            KernelParity.assertClose(describe("training mean", s), expectedMean, actualMean, 1e-6, 1e-6);
            KernelParity.assertClose(describe("training variance", s), expectedVar, actualVar, 1e-7, 1e-5);
            KernelParity.assertClose(describe("training forward", s), expected, actual, 1e-5, 1e-5);
        }
    }

    @Test
    void varianceHoldsFarFromZero() {
        // Mean about 1000, deviation about 1: a variance formed as E[x²] - E[x]² in float loses every
        // digit, and one moved from per-plane centres by float plane sums loses the fifth; the kernel
        // must keep the reference's relative 1e-5. Each image's planes sit one unit above the last's.
        Random random = new Random(74L);
        for (int[] s : List.of(new int[] {4, 3, 56 * 56}, new int[] {9, 2, 7 * 7}, new int[] {5, 2, 1})) {
            int n = s[0] * s[1] * s[2];
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                int image = i / (s[1] * s[2]);
                x[i] = 1000f + image + 2f * random.nextFloat() - 1f;
            }
            float[] w = KernelParity.uniform(random, s[1], 0.5f, 1.5f);
            float[] b = KernelParity.uniform(random, s[1], -1f, 1f);
            float[] expected = new float[n], expectedMean = new float[s[1]], expectedVar = new float[s[1]];
            float[] actual = new float[n], actualMean = new float[s[1]], actualVar = new float[s[1]];
            reference.batchNormTrainingForward(expected, expectedMean, expectedVar, x, w, b, EPS, s[0], s[1], s[2]);
            vector.batchNormTrainingForward(actual, actualMean, actualVar, x, w, b, EPS, s[0], s[1], s[2]);
            KernelParity.assertClose(describe("mean far from zero", s), expectedMean, actualMean, 0, 1e-6);
            KernelParity.assertClose(describe("variance far from zero", s), expectedVar, actualVar, 0, 1e-5);
            KernelParity.assertClose(describe("output far from zero", s), expected, actual, 1e-4, 1e-4);
        }
    }

    @Test
    void evaluationForwardAgrees() {
        Random random = new Random(72L);
        for (int[] s : shapes()) {
            int n = s[0] * s[1] * s[2];
            float[] x = KernelParity.uniform(random, n, -2f, 2f);
            float[] mean = KernelParity.uniform(random, s[1], -0.5f, 0.5f);
            float[] var = KernelParity.uniform(random, s[1], 0.5f, 2f);
            float[] w = KernelParity.uniform(random, s[1], 0.5f, 1.5f);
            float[] b = KernelParity.uniform(random, s[1], -1f, 1f);
            float[] expected = new float[n];
            float[] actual = KernelParity.uniform(random, n, -9, 9);
            reference.batchNormForward(expected, x, mean, var, w, b, EPS, s[0], s[1], s[2]);
            vector.batchNormForward(actual, x, mean, var, w, b, EPS, s[0], s[1], s[2]);
            KernelParity.assertClose(describe("evaluation forward", s), expected, actual, 1e-6, 1e-6);
        }
    }

    @Test
    void backwardAgreesWithAndWithoutBatchStatistics() {
        Random random = new Random(73L);
        for (boolean batchStatistics : new boolean[] {true, false}) {
            for (int[] s : shapes()) {
                int n = s[0] * s[1] * s[2];
                float[] x = KernelParity.uniform(random, n, 2f, 4f);
                float[] w = KernelParity.uniform(random, s[1], 0.5f, 1.5f);
                float[] b = KernelParity.uniform(random, s[1], -1f, 1f);
                float[] mean = new float[s[1]], var = new float[s[1]];
                reference.batchNormTrainingForward(new float[n], mean, var, x, w, b, EPS, s[0], s[1], s[2]);
                float[] dy = KernelParity.uniform(random, n, -1f, 1f);
                float[] expected = new float[n], expectedW = new float[s[1]], expectedB = new float[s[1]];
                float[] actual = KernelParity.uniform(random, n, -9, 9);
                float[] actualW = KernelParity.uniform(random, s[1], -9, 9);
                float[] actualB = KernelParity.uniform(random, s[1], -9, 9);
                reference.batchNormBackward(expected, expectedW, expectedB, dy, x, mean, var, w, EPS, batchStatistics,
                        s[0], s[1], s[2]);
                vector.batchNormBackward(actual, actualW, actualB, dy, x, mean, var, w, EPS, batchStatistics,
                        s[0], s[1], s[2]);
                String mode = batchStatistics ? " (batch statistics)" : " (fixed statistics)";
                KernelParity.assertClose(describe("backward gradBias" + mode, s), expectedB, actualB, sumAtol(s), 1e-5);
                KernelParity.assertClose(describe("backward gradWeight" + mode, s), expectedW, actualW, sumAtol(s), 1e-5);
                KernelParity.assertClose(describe("backward gradInput" + mode, s), expected, actual, 2e-6, 1e-5);
            }
        }
    }

    @Test
    void theSameInputGivesTheSameBits() {
        int[] s = {8, 16, 56 * 56};
        int n = s[0] * s[1] * s[2];
        Random random = new Random(74L);
        float[] x = KernelParity.uniform(random, n, -1f, 3f);
        float[] w = KernelParity.uniform(random, s[1], 0.5f, 1.5f);
        float[] b = KernelParity.uniform(random, s[1], -1f, 1f);
        float[] dy = KernelParity.uniform(random, n, -1f, 1f);
        float[][] first = runVector(x, w, b, dy, s);
        float[][] second = runVector(x, w, b, dy, s);
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], second[i], "VectorBatchNorm output " + i + " differs between two runs");
        }
    }

    private float[][] runVector(float[] x, float[] w, float[] b, float[] dy, int[] s) {
        int n = x.length;
        float[] y = new float[n], mean = new float[s[1]], var = new float[s[1]];
        float[] dx = new float[n], dw = new float[s[1]], db = new float[s[1]];
        vector.batchNormTrainingForward(y, mean, var, x, w, b, EPS, s[0], s[1], s[2]);
        vector.batchNormBackward(dx, dw, db, dy, x, mean, var, w, EPS, true, s[0], s[1], s[2]);
        return new float[][] {y, mean, var, dx, dw, db};
    }

    @Test
    void plantedBugFailsTheCheck() {
        // A kernel that skips the scalar tail of each plane leaves its last element unwritten.
        int[] s = {3, 2, KernelParity.LANES + 1};
        int n = s[0] * s[1] * s[2];
        Random random = new Random(75L);
        float[] x = KernelParity.uniform(random, n, 2f, 4f);
        float[] w = KernelParity.uniform(random, s[1], 0.5f, 1.5f);
        float[] b = KernelParity.uniform(random, s[1], -1f, 1f);
        float[] expected = new float[n];
        float[] broken = new float[n];
        reference.batchNormTrainingForward(expected, new float[s[1]], new float[s[1]], x, w, b, EPS, s[0], s[1], s[2]);
        vector.batchNormTrainingForward(broken, new float[s[1]], new float[s[1]], x, w, b, EPS, s[0], s[1], s[2]);
        for (int plane = 0; plane < s[0] * s[1]; plane++) broken[plane * s[2] + s[2] - 1] = 0f;
        assertThrows(AssertionError.class, () -> KernelParity.assertClose("planted", expected, broken, 1e-5, 1e-5));
    }
}
