package org.deephash4j.autograd;

import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * C[M×N] = alpha · op(A) · op(B), where op(A) is A [M, K] or, with {@code transA}, the transpose of
 * A stored as [K, M]; likewise op(B) is B [K, N] or B stored as [N, K] with {@code transB}.
 * The scale rides in the GEMM, so alpha · (A B) costs nothing extra and rounds once.
 *
 * <p>Backward (dC = gradOutput): d op(A) = alpha · dC · op(B)ᵀ and d op(B) = alpha · op(A)ᵀ · dC;
 * a transposed input receives the transpose, which is one more GEMM flag, never a copy.
 */
final class MatMulOp extends Op {
    private final boolean transA;
    private final boolean transB;
    private final float alpha;
    private int m;
    private int n;
    private int k;

    MatMulOp(boolean transA, boolean transB, float alpha) {
        this.transA = transA;
        this.transB = transB;
        this.alpha = alpha;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor a = in[0];
        Tensor b = in[1];
        m = transA ? a.dim(1) : a.dim(0);
        k = transA ? a.dim(0) : a.dim(1);
        n = transB ? b.dim(0) : b.dim(1);
        Tensor c = Tensors.zeros(backend(), m, n);
        backend().gemm(transA, transB, m, n, k, alpha, a.storage(), 0, b.storage(), 0, 0f, c.storage(), 0);
        return c;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor a = inputs()[0];
        Tensor b = inputs()[1];
        Tensor gradA = null;
        Tensor gradB = null;
        if (needsGrad(0)) {
            gradA = Tensors.zeros(backend(), a.shape().dims());
            if (!transA) {      // dA [M, K] = dC [M, N] · op(B)ᵀ
                backend().gemm(false, !transB, m, k, n, alpha, gradOutput.storage(), 0, b.storage(), 0,
                        0f, gradA.storage(), 0);
            } else {            // dA [K, M] = op(B) [K, N] · dCᵀ
                backend().gemm(transB, true, k, m, n, alpha, b.storage(), 0, gradOutput.storage(), 0,
                        0f, gradA.storage(), 0);
            }
        }
        if (needsGrad(1)) {
            gradB = Tensors.zeros(backend(), b.shape().dims());
            if (!transB) {      // dB [K, N] = op(A)ᵀ · dC
                backend().gemm(!transA, false, k, n, m, alpha, a.storage(), 0, gradOutput.storage(), 0,
                        0f, gradB.storage(), 0);
            } else {            // dB [N, K] = dCᵀ · op(A)
                backend().gemm(true, transA, n, k, m, alpha, gradOutput.storage(), 0, a.storage(), 0,
                        0f, gradB.storage(), 0);
            }
        }
        return new Tensor[] {gradA, gradB};
    }
}
