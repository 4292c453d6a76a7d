package org.deephash4j.autograd;

import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y = xᵀ for a matrix x [R, C], a copy (a transpose is never a view).
 *
 * <p>Backend has no transpose kernel, so this is a GEMM with an identity of side
 * k = min(R, C): y [C × R] = I [C × C] · xᵀ when C ≤ R, else y = xᵀ · I [R × R]. That costs
 * 2·R·C·k flops instead of R·C moves: fine for the small matrices it is used on; inside a
 * product, prefer the transA / transB flags of {@code Ops.matmul}. Backward: dx = dyᵀ, the same way.
 */
final class TransposeOp extends Op {

    @Override
    protected Tensor forward(Tensor... in) {
        return transpose(in[0]);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        return new Tensor[] {transpose(gradOutput)};
    }

    private Tensor transpose(Tensor x) {
        int rows = x.dim(0);
        int cols = x.dim(1);
        Tensor y = Tensors.zeros(backend(), cols, rows);
        int k = Math.min(rows, cols);
        float[] eye = new float[k * k];
        for (int i = 0; i < k; i++) eye[i * k + i] = 1f;
        Tensor identity = Tensors.fromArray(backend(), eye, k, k);
        if (cols <= rows) {   // y [cols × rows] = I [cols × cols] · xᵀ
            backend().gemm(false, true, cols, rows, cols, 1f, identity.storage(), 0, x.storage(), 0, 0f, y.storage(), 0);
        } else {              // y [cols × rows] = xᵀ · I [rows × rows]
            backend().gemm(true, false, cols, rows, rows, 1f, x.storage(), 0, identity.storage(), 0, 0f, y.storage(), 0);
        }
        identity.close();
        return y;
    }
}
