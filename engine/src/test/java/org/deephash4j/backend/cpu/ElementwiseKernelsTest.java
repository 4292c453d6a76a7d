package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * VectorKernels' element-wise ops, reductions, optimizer steps and losses against the reference,
 * on every awkward size and one size large enough to be split over threads.
 */
class ElementwiseKernelsTest {
    private final CpuKernels reference = new ReferenceKernels();
    private final CpuKernels vector = new VectorKernels();

    /** Awkward sizes plus one that VectorElementwise cuts into several chunks. */
    private static int[] sizes() {
        int[] awkward = KernelParity.awkwardSizes();
        int[] all = java.util.Arrays.copyOf(awkward, awkward.length + 1);
        all[awkward.length] = 3 * VectorElementwise.CHUNK + 5;
        return all;
    }

    /** A domain per function: LOG needs x &gt; 0; the rest see both signs and saturation. */
    private static float[] inputFor(UnaryOp op, Random random, int n) {
        return op == UnaryOp.LOG ? KernelParity.uniform(random, n, 0.01f, 10f) : KernelParity.uniform(random, n, -6f, 6f);
    }

    @Test
    void unaryAndBackwardAgree() {
        Random random = new Random(61L);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : sizes()) {
                float[] x = inputFor(op, random, n);
                float[] expected = new float[n];
                float[] actual = KernelParity.uniform(random, n, -9, 9);
                reference.unary(op, expected, x, n);
                vector.unary(op, actual, x, n);
                // Vector EXP/TANH are within a few ulps of Math's; 1e-6 relative covers them.
                KernelParity.assertClose("VectorElementwise " + op + " n=" + n, expected, actual, 1e-6, 4e-6);

                float[] g = KernelParity.uniform(random, n, -1, 1);
                float[] expectedGrad = new float[n];
                float[] actualGrad = KernelParity.uniform(random, n, -9, 9);
                reference.unaryBackward(op, expectedGrad, g, x, expected, n);
                vector.unaryBackward(op, actualGrad, g, x, expected, n);
                KernelParity.assertClose("VectorElementwise " + op + " backward n=" + n, expectedGrad, actualGrad,
                        1e-6, 4e-6);
            }
        }
    }

    @Test
    void binaryAffineAxpyAgree() {
        Random random = new Random(62L);
        for (int n : sizes()) {
            float[] a = KernelParity.uniform(random, n, -2, 2);
            float[] b = KernelParity.uniform(random, n, 0.5f, 2);
            for (BinaryOp op : BinaryOp.values()) {
                float[] expected = new float[n];
                float[] actual = new float[n];
                reference.binary(op, expected, a, b, n);
                vector.binary(op, actual, a, b, n);
                KernelParity.assertClose("VectorElementwise " + op + " n=" + n, expected, actual, 1e-7, 1e-6);
            }
            float[] expected = new float[n];
            float[] actual = new float[n];
            reference.affine(expected, a, 1.7f, -0.3f, n);
            vector.affine(actual, a, 1.7f, -0.3f, n);
            KernelParity.assertClose("VectorElementwise affine n=" + n, expected, actual, 1e-6, 1e-6);

            float[] yExpected = b.clone();
            float[] yActual = b.clone();
            reference.axpy(yExpected, -0.75f, a, n);
            vector.axpy(yActual, -0.75f, a, n);
            KernelParity.assertClose("VectorElementwise axpy n=" + n, yExpected, yActual, 1e-6, 1e-6);
        }
    }

    @Test
    void broadcastAndSumAgree() {
        Random random = new Random(63L);
        int[][] shapes = {{1, 1, 1}, {128, 500, 1}, {3, 32, 784}, {7, KernelParity.LANES + 1, 13},
                {2, 509, 1}, {61, 3, KernelParity.LANES - 1 > 0 ? KernelParity.LANES - 1 : 1}, {1, 100000, 1}};
        for (int[] s : shapes) {
            int outer = s[0], mid = s[1], inner = s[2];
            int n = outer * mid * inner;
            float[] a = KernelParity.uniform(random, n, -1, 1);
            float[] b = KernelParity.uniform(random, mid, 0.5f, 2);
            for (BinaryOp op : BinaryOp.values()) {
                float[] expected = new float[n];
                float[] actual = new float[n];
                reference.broadcast(op, expected, a, b, outer, mid, inner);
                vector.broadcast(op, actual, a, b, outer, mid, inner);
                KernelParity.assertClose("VectorElementwise broadcast " + op + " " + outer + "x" + mid + "x" + inner,
                        expected, actual, 1e-7, 1e-6);
            }
            float[] expected = new float[outer * inner];
            float[] actual = new float[outer * inner];
            reference.sum(expected, a, outer, mid, inner);
            vector.sum(actual, a, outer, mid, inner);
            // Summation order differs: tolerance grows with the reduction length.
            KernelParity.assertClose("VectorElementwise sum " + outer + "x" + mid + "x" + inner, expected, actual,
                    2e-7 * mid, 1e-5);
        }
    }

    @Test
    void optimizerStepsAndLossAgree() {
        Random random = new Random(64L);
        for (int n : sizes()) {
            float[] param = KernelParity.uniform(random, n, -1, 1);
            float[] grad = KernelParity.uniform(random, n, -1, 1);
            float[] velocity = KernelParity.uniform(random, n, -1, 1);
            for (float momentum : new float[] {0f, 0.9f}) {
                float[] pe = param.clone(), pa = param.clone(), ve = velocity.clone(), va = velocity.clone();
                reference.sgdStep(pe, grad, momentum > 0 ? ve : null, 0.01f, momentum, 5e-4f, n);
                vector.sgdStep(pa, grad, momentum > 0 ? va : null, 0.01f, momentum, 5e-4f, n);
                KernelParity.assertClose("VectorElementwise sgd momentum=" + momentum + " n=" + n, pe, pa, 1e-7, 1e-6);
                KernelParity.assertClose("VectorElementwise sgd velocity n=" + n, ve, va, 1e-7, 1e-6);
            }
        }
        int batch = 13, classes = 48;
        float[] logits = KernelParity.uniform(random, batch * classes, -5, 5);
        float[] labels = new float[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(classes);
        }
        float[] lossE = new float[1], lossA = new float[1];
        float[] probsE = new float[batch * classes], probsA = new float[batch * classes];
        reference.softmaxCrossEntropy(lossE, probsE, logits, labels, batch, classes);
        vector.softmaxCrossEntropy(lossA, probsA, logits, labels, batch, classes);
        KernelParity.assertClose("softmaxCrossEntropy loss", lossE, lossA, 1e-6, 1e-5);
        KernelParity.assertClose("softmaxCrossEntropy probs", probsE, probsA, 1e-7, 1e-5);
    }

    @Test
    void plantedTailBugFailsTheCheck() {
        // A ReLU that leaves its scalar tail unwritten must fail the check.
        int n = KernelParity.LANES + 1;
        float[] x = KernelParity.uniform(new Random(65L), n, 0.5f, 1);
        float[] expected = new float[n];
        float[] broken = new float[n];
        reference.unary(UnaryOp.RELU, expected, x, n);
        vector.unary(UnaryOp.RELU, broken, x, n - 1);
        assertThrows(AssertionError.class, () -> KernelParity.assertClose("planted", expected, broken, 1e-6, 1e-5));
    }
}
