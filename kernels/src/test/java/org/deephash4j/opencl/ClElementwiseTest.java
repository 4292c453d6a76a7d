package org.deephash4j.opencl;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * elementwise.cl against the CPU reference kernels: every unary function and its derivative,
 * every binary op, broadcast over rows / NCHW channels, affine, axpy, fill, on sizes 1, 7, 61
 * (not a multiple of the work-group size 64), 65 and 1031. Tolerance atol 1e-6, rtol 2e-6
 * (exp, log, tanh within a few ulps of Java's StrictMath-grade results).
 */
class ClElementwiseTest {
    private static final int[] SIZES = {1, 7, 61, ClElementwise.LOCAL + 1, 1031};

    @Test
    void unaryAndItsBackwardAgreeWithReference() {
        long seed = 1;
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : SIZES) {
                // LOG needs x > 0; the others see both signs and values large enough to matter
                float[] x = op == UnaryOp.LOG ? Parity.random(seed, n, 0.05f, 20f) : Parity.random(seed, n, -12f, 12f);
                float[] g = Parity.random(seed + 1, n);
                String what = "elementwise.cl unary " + op + " n=" + n + " seed=" + seed;
                float[] y = Parity.check(what, new float[][] {x, new float[n]},
                        (b, s) -> b.unary(op, s[1], s[0], n), 1e-6, 2e-6)[1];
                Parity.check(what + " backward", new float[][] {new float[n], g, x, y},
                        (b, s) -> b.unaryBackward(op, s[0], s[1], s[2], s[3], n), 1e-6, 2e-6);
                seed += 2;
            }
        }
    }

    @Test
    void unaryInPlace() {
        int n = 61;
        Parity.check("elementwise.cl unary TANH in place", new float[][] {Parity.random(5, n, -3f, 3f)},
                (b, s) -> b.unary(UnaryOp.TANH, s[0], s[0], n), 1e-6, 2e-6);
    }

    @Test
    void binaryAndBroadcastAgreeWithReference() {
        long seed = 100;
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : SIZES) {
                float[] a = Parity.random(seed, n);
                float[] bv = Parity.random(seed + 1, n, 0.5f, 2f);   // away from 0 for DIV
                Parity.check("elementwise.cl binary " + op + " n=" + n, new float[][] {new float[n], a, bv},
                        (b, s) -> b.binary(op, s[0], s[1], s[2], n), 0, 1e-6);
                seed += 2;
            }
            int[][] shapes = {{1, 1, 1}, {7, 13, 1}, {3, 5, 61}, {2, 1, 7}, {1, 509, 3}};
            for (int[] sh : shapes) {
                int outer = sh[0], mid = sh[1], inner = sh[2];
                int n = outer * mid * inner;
                Parity.check("elementwise.cl broadcast " + op + " (" + outer + ", " + mid + ", " + inner + ")",
                        new float[][] {new float[n], Parity.random(seed, n), Parity.random(seed + 1, mid, 0.5f, 2f)},
                        (b, s) -> b.broadcast(op, s[0], s[1], s[2], outer, mid, inner), 0, 1e-6);
                seed += 2;
            }
        }
        int n = 61;
        Parity.check("elementwise.cl binary MUL in place", new float[][] {Parity.random(7, n), Parity.random(8, n)},
                (b, s) -> b.binary(BinaryOp.MUL, s[0], s[0], s[1], n), 0, 1e-6);
    }

    @Test
    void affineAxpyFillAgreeWithReference() {
        long seed = 300;
        for (int n : SIZES) {
            Parity.check("elementwise.cl affine n=" + n, new float[][] {new float[n], Parity.random(seed, n)},
                    (b, s) -> b.affine(s[0], s[1], -1.75f, 0.25f, n), 1e-7, 1e-6);
            Parity.check("elementwise.cl axpy n=" + n, new float[][] {Parity.random(seed + 1, n), Parity.random(seed + 2, n)},
                    (b, s) -> b.axpy(s[0], 0.3f, s[1], n), 1e-7, 1e-6);
            Parity.check("elementwise.cl fill n=" + n, new float[][] {Parity.random(seed + 3, n + 2)},
                    (b, s) -> b.fill(s[0], 3.5f, n), 0, 0);
            seed += 4;
        }
    }
}
