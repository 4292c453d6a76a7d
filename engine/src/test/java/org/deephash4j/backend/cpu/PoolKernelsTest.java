package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.deephash4j.backend.Pool2dGeometry;
import org.junit.jupiter.api.Test;

/** VectorPool2d against the reference pooling, max and average, forward and backward. */
class PoolKernelsTest {
    private final CpuKernels reference = new ReferenceKernels();
    private final CpuKernels vector = new VectorKernels();

    private static final List<Pool2dGeometry> GEOMETRIES = List.of(
            new Pool2dGeometry(3, 32, 28, 28, 2, 2, 2, 0),    // LeNet pool1, small batch
            new Pool2dGeometry(2, 5, 7, 7, 2, 2, 2, 0),       // odd input: the last row and column are dropped
            new Pool2dGeometry(1, 1, 1, 1, 1, 1, 1, 0),       // everything 1
            new Pool2dGeometry(2, 3, 13, 11, 3, 3, 2, 1),     // padding
            new Pool2dGeometry(2, 3, 20, 22, 3, 3, 2, 1),     // ResNet's stem pool on an even plane
            new Pool2dGeometry(1, 3, 5, 2 * KernelParity.LANES + 3, 3, 3, 2, 1),   // rows of two vectors and a tail
            new Pool2dGeometry(1, 2, 6, 4 * KernelParity.LANES + 9, 3, 3, 2, 1),   // 2L + 5 windows: a last, overlapping L
            new Pool2dGeometry(1, 17, 9, 31, 3, 2, 1, 0),     // overlapping windows, non-square
            new Pool2dGeometry(1, 2, KernelParity.LANES + 1, 61, 2, 3, 3, 1));

    @Test
    void maxPoolAgrees() {
        Random random = new Random(51L);
        for (Pool2dGeometry g : GEOMETRIES) {
            float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
            float[] expected = new float[(int) g.outputSize()];
            float[] actual = KernelParity.uniform(random, (int) g.outputSize(), -9, 9);
            reference.maxPool2dForward(expected, input, g);
            vector.maxPool2dForward(actual, input, g);
            KernelParity.assertClose("VectorPool2d max forward " + g, expected, actual, 0, 0);

            float[] gradOutput = KernelParity.uniform(random, (int) g.outputSize(), -1, 1);
            float[] expectedGrad = new float[(int) g.inputSize()];
            float[] actualGrad = KernelParity.uniform(random, (int) g.inputSize(), -9, 9);
            reference.maxPool2dBackward(expectedGrad, gradOutput, input, expected, g);
            vector.maxPool2dBackward(actualGrad, gradOutput, input, expected, g);
            KernelParity.assertClose("VectorPool2d max backward " + g, expectedGrad, actualGrad, 1e-6, 1e-6);
        }
    }

    @Test
    void maxPoolTiesAndForeignOutputsRouteAsTheReference() {
        Random random = new Random(54L);
        for (Pool2dGeometry g : GEOMETRIES) {
            // Inputs in {0, 1}: most windows hold ties, which go to the first position.
            float[] input = new float[(int) g.inputSize()];
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextInt(2);
            }
            float[] output = new float[(int) g.outputSize()];
            reference.maxPool2dForward(output, input, g);
            float[] gradOutput = KernelParity.uniform(random, (int) g.outputSize(), -1, 1);
            float[] foreign = output.clone();
            for (int i = 0; i < foreign.length; i += 3) {
                foreign[i] = 0.5f;                     // matches no input: that window's gradient is dropped
            }
            for (float[] out : new float[][] {output, foreign}) {
                float[] expectedGrad = new float[(int) g.inputSize()];
                float[] actualGrad = KernelParity.uniform(random, (int) g.inputSize(), -9, 9);
                reference.maxPool2dBackward(expectedGrad, gradOutput, input, out, g);
                vector.maxPool2dBackward(actualGrad, gradOutput, input, out, g);
                KernelParity.assertClose("VectorPool2d max backward (ties" + (out == foreign ? ", foreign output" : "")
                        + ") " + g, expectedGrad, actualGrad, 1e-6, 1e-6);
            }
        }
    }

    @Test
    void maxPoolWithNanInfinityAndSignedZerosRoutesAsTheReference() {
        Random random = new Random(57L);
        for (Pool2dGeometry g : GEOMETRIES) {
            // Inputs in {-0, +0, 1, -∞, NaN}: NaN wins a window and its gradient goes to the first
            // NaN; some windows hold only -∞ (which is also what pads them in the vector kernel).
            float[] values = {-0f, 0f, 1f, Float.NEGATIVE_INFINITY, Float.NaN};
            float[] input = new float[(int) g.inputSize()];
            for (int i = 0; i < input.length; i++) {
                input[i] = values[random.nextInt(random.nextInt(8) == 0 ? 5 : 4)];
            }
            float[] expected = new float[(int) g.outputSize()];
            float[] actual = new float[(int) g.outputSize()];
            reference.maxPool2dForward(expected, input, g);
            vector.maxPool2dForward(actual, input, g);
            KernelParity.assertClose("VectorPool2d max forward (NaN, signed zeros) " + g, expected, actual, 0, 0);
            float[] gradOutput = KernelParity.uniform(random, (int) g.outputSize(), -1, 1);
            float[] expectedGrad = new float[(int) g.inputSize()];
            float[] actualGrad = KernelParity.uniform(random, (int) g.inputSize(), -9, 9);
            reference.maxPool2dBackward(expectedGrad, gradOutput, input, expected, g);
            vector.maxPool2dBackward(actualGrad, gradOutput, input, expected, g);
            KernelParity.assertClose("VectorPool2d max backward (NaN, signed zeros) " + g, expectedGrad, actualGrad,
                    1e-6, 1e-6);
        }
    }

    @Test
    void avgPoolAgrees() {
        Random random = new Random(52L);
        for (Pool2dGeometry g : GEOMETRIES) {
            float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
            float[] expected = new float[(int) g.outputSize()];
            float[] actual = KernelParity.uniform(random, (int) g.outputSize(), -9, 9);
            reference.avgPool2dForward(expected, input, g);
            vector.avgPool2dForward(actual, input, g);
            KernelParity.assertClose("VectorPool2d avg forward " + g, expected, actual, 1e-6, 1e-5);

            float[] gradOutput = KernelParity.uniform(random, (int) g.outputSize(), -1, 1);
            float[] expectedGrad = new float[(int) g.inputSize()];
            float[] actualGrad = KernelParity.uniform(random, (int) g.inputSize(), -9, 9);
            reference.avgPool2dBackward(expectedGrad, gradOutput, g);
            vector.avgPool2dBackward(actualGrad, gradOutput, g);
            KernelParity.assertClose("VectorPool2d avg backward " + g, expectedGrad, actualGrad, 1e-6, 1e-5);
        }
    }

    @Test
    void plantedBugFailsTheCheck() {
        // A max pool that forgets the last plane (a chunk tail) must fail the check.
        Pool2dGeometry g = new Pool2dGeometry(1, 17, 9, 31, 3, 2, 1, 0);
        Random random = new Random(53L);
        float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
        float[] expected = new float[(int) g.outputSize()];
        float[] broken = new float[(int) g.outputSize()];
        reference.maxPool2dForward(expected, input, g);
        vector.maxPool2dForward(broken, input, new Pool2dGeometry(1, 16, 9, 31, 3, 2, 1, 0));
        assertThrows(AssertionError.class, () -> KernelParity.assertClose("planted", expected, broken, 1e-6, 1e-5));
    }
}
