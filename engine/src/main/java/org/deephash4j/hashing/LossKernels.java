package org.deephash4j.hashing;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Tensor-level wrappers over {@link Backend} kernels for the fused hashing losses: each call
 * allocates its result on the inputs' device, so the losses never touch host arrays. Callers
 * close the intermediates they no longer need.
 */
final class LossKernels {
    private LossKernels() {
    }

    /** alpha · op(a) · op(b): a is [m, k] (or [k, m] when transA), b is [k, n] (or [n, k] when transB). */
    static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, float alpha) {
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: " + a.shape() + (transA ? "ᵀ" : "") + " times " + b.shape()
                    + (transB ? "ᵀ" : "") + ": inner dimensions " + k + " and " + kb + " differ");
        }
        Tensor c = Tensors.zeros(a.backend(), m, n);
        a.backend().gemm(transA, transB, m, n, k, alpha, a.storage(), 0, b.storage(), 0, 0f, c.storage(), 0);
        return c;
    }

    /** c += alpha · op(a) · op(b) (accumulates into c). */
    static void matmulAdd(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha) {
        int m = c.dim(0);
        int n = c.dim(1);
        int k = transA ? a.dim(0) : a.dim(1);
        a.backend().gemm(transA, transB, m, n, k, alpha, a.storage(), 0, b.storage(), 0, 1f, c.storage(), 0);
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        Tensor y = Tensors.zeros(x.backend(), x.shape().dims());
        x.backend().unary(op, y.storage(), x.storage(), x.size());
        return y;
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + a.shape() + " and " + b.shape() + " differ");
        }
        Tensor y = Tensors.zeros(a.backend(), a.shape().dims());
        a.backend().binary(op, y.storage(), a.storage(), b.storage(), a.size());
        return y;
    }

    /** a = a op b, in place. */
    static void binaryInPlace(BinaryOp op, Tensor a, Tensor b) {
        a.backend().binary(op, a.storage(), a.storage(), b.storage(), a.size());
    }

    /** scale · x + shift. */
    static Tensor affine(Tensor x, float scale, float shift) {
        Tensor y = Tensors.zeros(x.backend(), x.shape().dims());
        x.backend().affine(y.storage(), x.storage(), scale, shift, x.size());
        return y;
    }

    /** The sum of all elements as a scalar tensor (shape []). */
    static Tensor sumAll(Tensor x) {
        Tensor s = Tensors.zeros(x.backend());
        x.backend().sum(s.storage(), x.storage(), 1, (int) x.size(), 1);
        return s;
    }

    /** x · g where g is a one-element tensor (the upstream gradient of a scalar loss), in place. */
    static void scaleByScalarInPlace(Tensor x, Tensor g) {
        x.backend().broadcast(BinaryOp.MUL, x.storage(), x.storage(), g.storage(), 1, 1, (int) x.size());
    }

    /** A host matrix copied to x's device. */
    static Tensor fromHost(Tensor like, float[] values, int... dims) {
        return Tensors.fromArray(like.backend(), values, dims);
    }

    static void closeAll(Tensor... tensors) {
        for (Tensor t : tensors) if (t != null) t.close();
    }
}
