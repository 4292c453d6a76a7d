package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.deephash4j.backend.Conv2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * VectorConv2d (indirect products, with VectorIm2colConv2d where they do not apply) against the
 * reference conv2d, forward and both backwards.
 */
class ConvKernelsTest {
    private final CpuKernels reference = new ReferenceKernels();
    private final CpuKernels vector = new VectorKernels();

    private static final int L = KernelParity.LANES;

    private static final List<Conv2dGeometry> GEOMETRIES = List.of(
            new Conv2dGeometry(3, 1, 28, 28, 32, 5, 5, 1, 2),     // LeNet conv1, small batch
            new Conv2dGeometry(2, 32, 14, 14, 64, 5, 5, 1, 2),    // LeNet conv2
            new Conv2dGeometry(1, 1, 1, 1, 1, 1, 1, 1, 0),        // everything 1
            new Conv2dGeometry(2, 3, 7, 5, 13, 3, 2, 2, 1),       // odd sizes, non-square kernel, stride 2, padding
            new Conv2dGeometry(3, 7, 13, 11, 5, 1, 1, 1, 0),      // pointwise: no im2col
            new Conv2dGeometry(1, 2, 31, 17, 3, 4, 3, 3, 0),      // stride 3, no padding
            new Conv2dGeometry(2, 2, 5, 5, KernelParity.LANES + 1, 5, 5, 1, 0),  // kernel = image: one position
            new Conv2dGeometry(5, 2, 9, 9, 3, 3, 3, 1, 1),        // batch not a multiple of the thread count
            // Indirect path: channel counts around the lanes and the column blocks (4L wide on 512 bits, then 2L)
            new Conv2dGeometry(3, L + 1, 9, 7, 4 * L + 3, 3, 3, 1, 1),
            new Conv2dGeometry(2, 2 * L - 1, 8, 9, L, 3, 5, 1, 2),       // non-square kernel, pad 2
            new Conv2dGeometry(2, L, 10, 10, 2 * L + 1, 3, 3, 2, 1),     // stride 2: backward-data by im2col
            new Conv2dGeometry(1, L + 2, 7, 7, L - 1 + L, 7, 7, 1, 3),   // kernel as large as the image
            new Conv2dGeometry(2, 230, 5, 5, 4 * L + 1, 3, 3, 1, 1),     // K = 2070: several slabs of taps
            new Conv2dGeometry(1, 8, 36, 33, 4 * L, 3, 3, 1, 1),         // 1188 positions: several slabs of positions
            new Conv2dGeometry(37, 3, 6, 5, L + 3, 3, 3, 1, 1),          // batch 37: uneven filter chunks
            new Conv2dGeometry(1, 3, 4, 4, 509, 3, 3, 1, 1),             // 509 output channels (prime)
            new Conv2dGeometry(1, L, 1, 509, L, 1, 3, 1, 1),             // 3 × 509 positions
            new Conv2dGeometry(1, 3 * L, 1, 509, L, 1, 3, 1, 1),         // the same with more taps (indirect on 16 lanes)
            // Row path (stride 1, few taps): rows of 2L ± a few, channels not a multiple of the blocks
            new Conv2dGeometry(2, 1, 20, 19, 13, 5, 5, 1, 2),
            new Conv2dGeometry(1, 2, 36, 33, 4 * L, 3, 3, 1, 1),         // rows of 33: a last chunk of one column
            new Conv2dGeometry(19, 1, 9, 17, 5, 3, 3, 1, 1),             // batch 19: uneven filter chunks
            // ResNet and AlexNet shapes
            new Conv2dGeometry(2, 8, 7, 6, 5, 1, 1, 2, 0),        // ResNet's 1x1 stride-2 shortcut (no bias), odd input
            new Conv2dGeometry(2, 4, 8, 8, 6, 3, 3, 2, 1),        // ResNet's 3x3 stride-2 convolution
            new Conv2dGeometry(2, 3, 17, 15, 4, 7, 7, 2, 3),      // ResNet's 7x7 stride-2 stem
            new Conv2dGeometry(1, 3, 31, 29, 5, 11, 11, 4, 2),    // AlexNet's 11x11 stride-4 stem
            // Backward-data by phases (stride above 1, input channels >= L): odd sizes, every kernel shape
            new Conv2dGeometry(2, L + 1, 7, 6, 2 * L + 3, 1, 1, 2, 0),   // 1x1 stride-2 shortcut (im2col, not phases)
            new Conv2dGeometry(3, L, 9, 8, L + 5, 3, 3, 2, 1),           // 3x3 stride 2: 1x1, 1x2, 2x1, 2x2 phases
            new Conv2dGeometry(1, L + 3, 13, 11, 7, 4, 3, 3, 1),         // stride 3, non-square kernel
            new Conv2dGeometry(2, L, 17, 15, 5, 7, 7, 2, 3),             // 7x7 stride 2, padding 3
            new Conv2dGeometry(1, 2 * L, 5, 5, 3, 2, 2, 3, 0),           // stride above the kernel: empty phases
            new Conv2dGeometry(1, L, 6, 6, 3, 2, 2, 2, 1),               // a phase would start above row 0: im2col
            new Conv2dGeometry(2, 3 * L, 4, 4, 4 * L + 1, 3, 3, 2, 1),   // ResNet's last stage: 2 x 2 output
            // 3x3, padding 1, 64 channels or more: Winograd from 4 x 4 maps up, the direct kernels below
            new Conv2dGeometry(2, 64, 2, 2, 67, 3, 3, 1, 1),    // ResNet's last stage at 64 x 64 input: direct
            new Conv2dGeometry(3, 65, 1, 1, 64, 3, 3, 1, 1),    // 1 x 1 maps: only the centre tap sees the image
            new Conv2dGeometry(2, 64, 3, 5, 64, 3, 3, 1, 1),    // three rows: below Winograd's smallest map
            new Conv2dGeometry(2, 64, 4, 4, 66, 3, 3, 1, 1));   // 4 x 4: Winograd's smallest map

    /** Inputs in [-1, 1); tolerance grows with the reduction length. */
    private static double atol(long terms) {
        return 2e-6 * Math.max(1, terms);
    }

    @Test
    void forwardAgrees() {
        assertForwardAgrees("VectorConv2d", GEOMETRIES, 41L, vector::conv2dForward);
    }

    @Test
    void backwardDataAgrees() {
        assertBackwardDataAgrees("VectorConv2d", GEOMETRIES, 42L, vector::conv2dBackwardData);
    }

    /** A forward convolution: output from input, weight and bias (or null). */
    interface ForwardKernel {
        void run(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g);
    }

    /** A backward-data convolution: the input's gradient from the output's and the weight. */
    interface BackwardDataKernel {
        void run(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g);
    }

    /**
     * kernel against the reference on every geometry, with and without bias, inputs in [-1, 1);
     * the output starts as noise, so every element must be written.
     */
    static void assertForwardAgrees(String what, List<Conv2dGeometry> geometries, long seed, ForwardKernel kernel) {
        CpuKernels reference = new ReferenceKernels();
        Random random = new Random(seed);
        for (Conv2dGeometry g : geometries) {
            float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
            float[] weight = KernelParity.uniform(random, (int) g.weightSize(), -1, 1);
            float[] bias = KernelParity.uniform(random, g.outChannels(), -1, 1);
            for (float[] b : new float[][] {bias, null}) {
                float[] expected = new float[(int) g.outputSize()];
                float[] actual = KernelParity.uniform(random, (int) g.outputSize(), -9, 9);   // must be overwritten
                reference.conv2dForward(expected, input, weight, b, g);
                kernel.run(actual, input, weight, b, g);
                KernelParity.assertClose(what + " forward " + g + (b == null ? " no bias" : ""), expected,
                        actual, atol(g.weightSize() / g.outChannels()), 1e-5);
            }
        }
    }

    /** kernel against the reference on every geometry; the gradient starts as noise. */
    static void assertBackwardDataAgrees(String what, List<Conv2dGeometry> geometries, long seed,
                                         BackwardDataKernel kernel) {
        CpuKernels reference = new ReferenceKernels();
        Random random = new Random(seed);
        for (Conv2dGeometry g : geometries) {
            float[] gradOutput = KernelParity.uniform(random, (int) g.outputSize(), -1, 1);
            float[] weight = KernelParity.uniform(random, (int) g.weightSize(), -1, 1);
            float[] expected = new float[(int) g.inputSize()];
            float[] actual = KernelParity.uniform(random, (int) g.inputSize(), -9, 9);
            reference.conv2dBackwardData(expected, gradOutput, weight, g);
            kernel.run(actual, gradOutput, weight, g);
            KernelParity.assertClose(what + " backwardData " + g, expected, actual,
                    atol(g.weightSize() / g.inChannels()), 1e-5);
        }
    }

    @Test
    void backwardFilterAgreesAndIsReproducible() {
        assertBackwardFilterAgrees("VectorConv2d", GEOMETRIES, 43L, vector::conv2dBackwardFilter);
    }

    /** A backward-filter convolution: the weight's and the bias's gradients (bias may be null). */
    interface BackwardFilterKernel {
        void run(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input, Conv2dGeometry g);
    }

    /**
     * kernel against the reference on every geometry (both gradients start as noise), then again
     * without the bias: the same bits.
     */
    static void assertBackwardFilterAgrees(String what, List<Conv2dGeometry> geometries, long seed,
                                           BackwardFilterKernel kernel) {
        CpuKernels reference = new ReferenceKernels();
        Random random = new Random(seed);
        for (Conv2dGeometry g : geometries) {
            float[] gradOutput = KernelParity.uniform(random, (int) g.outputSize(), -1, 1);
            float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
            float[] expectedW = new float[(int) g.weightSize()];
            float[] expectedB = new float[g.outChannels()];
            float[] actualW = KernelParity.uniform(random, (int) g.weightSize(), -9, 9);
            float[] actualB = KernelParity.uniform(random, g.outChannels(), -9, 9);
            reference.conv2dBackwardFilter(expectedW, expectedB, gradOutput, input, g);
            kernel.run(actualW, actualB, gradOutput, input, g);
            long terms = (long) g.batch() * g.outHeight() * g.outWidth();
            KernelParity.assertClose(what + " backwardFilter weight " + g, expectedW, actualW, atol(terms), 1e-5);
            KernelParity.assertClose(what + " backwardFilter bias " + g, expectedB, actualB, atol(terms), 1e-5);

            float[] againW = new float[(int) g.weightSize()];
            kernel.run(againW, null, gradOutput, input, g);
            assertArrayEquals(actualW, againW, what + " backwardFilter not reproducible (null bias) " + g);
        }
    }

    @Test
    void phasesOfAStrideTwoKernelTakeEveryOtherTap() {
        // 3x3, stride 2, padding 1: even input rows take kernel row 1 (from output row m), odd ones
        // rows 2 and 0 (from output rows m and m + 1), so the correlations need no zero row on top.
        assertArrayEquals(new int[] {1}, VectorConv2d.phaseTaps(0, 1, 2, 3));
        assertArrayEquals(new int[] {2, 0}, VectorConv2d.phaseTaps(1, 1, 2, 3));
        assertEquals(0, VectorConv2d.phasePad(0, 1, 2, 1));
        assertEquals(0, VectorConv2d.phasePad(1, 1, 2, 2));
        // 7x7, stride 2, padding 3 (the stem): rows 5, 3, 1 and 6, 4, 2, 0, one zero row above each.
        assertArrayEquals(new int[] {5, 3, 1}, VectorConv2d.phaseTaps(0, 3, 2, 7));
        assertArrayEquals(new int[] {6, 4, 2, 0}, VectorConv2d.phaseTaps(1, 3, 2, 7));
        assertEquals(1, VectorConv2d.phasePad(0, 3, 2, 3));
        assertEquals(1, VectorConv2d.phasePad(1, 3, 2, 4));
        // 1x1, stride 2: odd rows get no gradient.
        assertArrayEquals(new int[] {0}, VectorConv2d.phaseTaps(0, 0, 2, 1));
        assertArrayEquals(new int[] {}, VectorConv2d.phaseTaps(1, 0, 2, 1));
    }

    @Test
    void plantedBugFailsTheCheck() {
        // Dropping the last input row (an im2col that forgets its tail) must fail the check.
        Conv2dGeometry g = new Conv2dGeometry(2, 3, 7, 5, 13, 3, 2, 2, 1);
        Random random = new Random(44L);
        float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
        float[] weight = KernelParity.uniform(random, (int) g.weightSize(), -1, 1);
        float[] truncated = input.clone();
        for (int plane = 0; plane < g.batch() * g.inChannels(); plane++) {
            int lastRow = plane * g.inHeight() * g.inWidth() + (g.inHeight() - 1) * g.inWidth();
            java.util.Arrays.fill(truncated, lastRow, lastRow + g.inWidth(), 0f);
        }
        float[] expected = new float[(int) g.outputSize()];
        float[] broken = new float[(int) g.outputSize()];
        reference.conv2dForward(expected, input, weight, null, g);
        vector.conv2dForward(broken, truncated, weight, null, g);
        assertThrows(AssertionError.class,
                () -> KernelParity.assertClose("planted", expected, broken, atol(g.weightSize()), 1e-5));
    }
}
