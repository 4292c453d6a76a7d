package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;
import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceElementwise against double oracles written from the textbook formulas (not the
 * stable forms the kernel uses). Unary forward: atol 1e-6, rtol 1e-6 (one float rounding);
 * unary backward against central finite differences of the double function: atol 1e-4,
 * rtol 1e-3; binary and broadcast exactly (one float32 operation on float inputs rounds the
 * same as the double result); affine and axpy at atol 1e-7, rtol 1e-6.
 */
class ReferenceElementwiseTest {
    /** The textbook definition of each op in double, valid for |x| &lt;= 700 (e^700 is finite). */
    static double oracle(UnaryOp op, double x) {
        return switch (op) {
            case RELU -> x > 0 ? x : 0.0;
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case ABS -> Math.abs(x);
            case SIGN -> x >= 0 ? 1.0 : -1.0;
            case SOFTPLUS -> Math.log(1.0 + Math.exp(x));
            case LOG_COSH -> Math.log(Math.cosh(x));
            case SQUARE -> x * x;
            case NEG -> -x;
        };
    }

    /** Inputs for op: random plus the edge values the op must survive. */
    private static float[] inputs(UnaryOp op, long seed, int n) {
        float[] x = switch (op) {
            case LOG -> TestArrays.uniform(seed, n, 0.01, 10);
            case EXP -> TestArrays.uniform(seed, n, -20, 20);
            default -> TestArrays.uniform(seed, n, -6, 6);
        };
        float[] edges = switch (op) {
            case SIGMOID, SOFTPLUS, LOG_COSH, TANH -> new float[] {0f, -0f, 1e-3f, -1e-3f, 30f, -30f, 100f, -100f, 700f, -700f};
            case LOG -> new float[] {1f, 1e-30f, 3e38f};
            case EXP -> new float[] {0f, -80f, 80f, -100f};
            case RELU, ABS, SIGN, SQUARE, NEG -> new float[] {0f, -0f, 1e-30f, -1e-30f, 3e38f, -3e38f};
        };
        System.arraycopy(edges, 0, x, 0, edges.length);
        return x;
    }

    @Test
    void unaryMatchesMath() {
        long seed = 400;
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : new int[] {1, 13, 61}) {
                float[] x = inputs(op, seed++, Math.max(n, 12));
                double[] expected = new double[x.length];
                // rounded to float: the true result of SQUARE(3e38) is +Infinity in float32
                for (int i = 0; i < x.length; i++) expected[i] = (float) oracle(op, x[i]);
                float[] out = new float[x.length];
                ReferenceElementwise.unary(op, out, x, x.length);
                assertClose("ReferenceElementwise.unary " + op + " n=" + x.length, expected, out, 1e-6, 1e-6);
                float[] inPlace = x.clone();
                ReferenceElementwise.unary(op, inPlace, inPlace, x.length);
                assertArrayEquals(out, inPlace, "unary " + op + " in place differs");
            }
        }
    }

    @Test
    void unaryConventions() {
        float[] out = new float[4];
        ReferenceElementwise.unary(UnaryOp.SIGN, out, new float[] {0f, -0f, -1e-30f, 2f}, 4);
        assertArrayEquals(new float[] {1, 1, -1, 1}, out, "sign(0) = +1, the hashing convention");
        ReferenceElementwise.unary(UnaryOp.SIGMOID, out, new float[] {-1e4f, 1e4f, Float.NEGATIVE_INFINITY, 0}, 4);
        assertArrayEquals(new float[] {0, 1, 0, 0.5f}, out, "sigmoid saturates without NaN");
        ReferenceElementwise.unary(UnaryOp.SOFTPLUS, out, new float[] {-1e4f, 1e4f, 0, 1e30f}, 4);
        assertArrayEquals(new float[] {0, 1e4f, (float) Math.log(2), 1e30f}, out, "softplus stable at large |x|");
        ReferenceElementwise.unary(UnaryOp.LOG_COSH, out, new float[] {-1e4f, 1e4f, 0, 1e30f}, 4);
        double ln2 = Math.log(2);
        assertArrayEquals(new float[] {(float) (1e4 - ln2), (float) (1e4 - ln2), 0, 1e30f}, out, "log cosh stable at large |x|");
    }

    @Test
    void unaryBackwardMatchesFiniteDifferences() {
        long seed = 500;
        for (UnaryOp op : UnaryOp.values()) {
            int n = 31;
            float[] x = switch (op) {
                case LOG -> TestArrays.uniform(seed++, n, 0.1, 5);
                default -> TestArrays.uniform(seed++, n, -4, 4);
            };
            for (int i = 0; i < n; i++) {
                // keep kinks (relu, abs, sign at 0) out of reach of the finite-difference step
                if (Math.abs(x[i]) < 0.01f) x[i] = 0.5f;
            }
            float[] gradOutput = TestArrays.uniform(seed++, n, -1, 1);
            float[] y = new float[n];
            ReferenceElementwise.unary(op, y, x, n);
            float[] gradInput = new float[n];
            ReferenceElementwise.unaryBackward(op, gradInput, gradOutput, x, y, n);
            double[] expected = new double[n];
            double h = org.deephash4j.testing.FiniteDifferences.H;
            DoubleUnaryOperator f = v -> oracle(op, v);
            for (int i = 0; i < n; i++) {
                expected[i] = gradOutput[i] * (f.applyAsDouble(x[i] + h) - f.applyAsDouble(x[i] - h)) / (2 * h);
            }
            // exp and square grow to e^4 and 16: the relative part of the tolerance covers them
            assertClose("ReferenceElementwise.unaryBackward " + op + " n=" + n, expected, gradInput, 1e-4, 1e-3);
        }
    }

    @Test
    void binaryIsExactAndMayRunInPlace() {
        long seed = 600;
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : new int[] {1, 7, 127}) {
                float[] a = TestArrays.uniform(seed++, n, -3, 3);
                float[] b = TestArrays.uniform(seed++, n, 0.5, 3);       // DIV stays away from 0
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) expected[i] = (float) binaryOracle(op, a[i], b[i]);
                float[] out = new float[n];
                ReferenceElementwise.binary(op, out, a, b, n);
                assertClose("ReferenceElementwise.binary " + op + " n=" + n, expected, out, 0, 0);
                float[] aInPlace = a.clone();
                ReferenceElementwise.binary(op, aInPlace, aInPlace, b, n);
                assertClose("binary " + op + " out = a", expected, aInPlace, 0, 0);
                float[] bInPlace = b.clone();
                ReferenceElementwise.binary(op, bInPlace, a, bInPlace, n);
                assertClose("binary " + op + " out = b", expected, bInPlace, 0, 0);
            }
        }
    }

    @Test
    void broadcastOverTheMiddleAxis() {
        long seed = 700;
        int[][] shapes = {{1, 1, 1}, {3, 5, 1}, {2, 3, 7}, {1, 13, 4}, {4, 1, 9}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] s : shapes) {
                int outer = s[0], mid = s[1], inner = s[2];
                float[] a = TestArrays.uniform(seed++, outer * mid * inner, -3, 3);
                float[] b = TestArrays.uniform(seed++, mid, 0.5, 3);
                double[] expected = new double[a.length];
                for (int o = 0; o < outer; o++) {
                    for (int m = 0; m < mid; m++) {
                        for (int i = 0; i < inner; i++) {
                            int at = (o * mid + m) * inner + i;
                            expected[at] = (float) binaryOracle(op, a[at], b[m]);
                        }
                    }
                }
                float[] out = new float[a.length];
                ReferenceElementwise.broadcast(op, out, a, b, outer, mid, inner);
                assertClose("ReferenceElementwise.broadcast " + op + " [" + outer + ", " + mid + ", " + inner + "]",
                        expected, out, 0, 0, outer, mid, inner);
            }
        }
    }

    @Test
    void affineAndAxpy() {
        for (int n : new int[] {1, 13, 127}) {
            float[] x = TestArrays.uniform(800 + n, n, -2, 2);
            float[] y = TestArrays.uniform(900 + n, n, -2, 2);
            double[] expectedAffine = new double[n];
            double[] expectedAxpy = new double[n];
            for (int i = 0; i < n; i++) {
                expectedAffine[i] = -1.5 * x[i] + 0.25;
                expectedAxpy[i] = y[i] + 0.75 * x[i];
            }
            float[] out = new float[n];
            ReferenceElementwise.affine(out, x, -1.5f, 0.25f, n);
            assertClose("ReferenceElementwise.affine n=" + n, expectedAffine, out, 1e-7, 1e-6);
            ReferenceElementwise.axpy(y, 0.75f, x, n);
            assertClose("ReferenceElementwise.axpy n=" + n, expectedAxpy, y, 1e-7, 1e-6);
        }
        float[] tail = {1, 2, 3};
        ReferenceElementwise.axpy(tail, 1f, new float[] {1, 1, 1}, 2);
        assertEquals(3f, tail[2], "axpy touches only [0, n)");
    }

    private static double binaryOracle(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
