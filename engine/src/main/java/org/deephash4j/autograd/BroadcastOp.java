package org.deephash4j.autograd;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y[n, c, ...] = x[n, c, ...] op v[c]: a vector v of length C broadcast over dimension 1 of x
 * ([N, C] or [N, C, H, W]); op is ADD (a bias) or MUL (a per-channel scale).
 *
 * <p>Backward (dy = gradOutput): add: dx = dy, dv[c] = Σ_{n, ...} dy[n, c, ...];
 * mul: dx = dy · v (broadcast), dv[c] = Σ_{n, ...} dy[n, c, ...] · x[n, c, ...].
 */
final class BroadcastOp extends Op {
    private final BinaryOp function;
    private int outer;   // N
    private int mid;     // C
    private int inner;   // H·W (1 for a matrix)

    BroadcastOp(BinaryOp function) {
        if (function != BinaryOp.ADD && function != BinaryOp.MUL) {
            throw new IllegalArgumentException("broadcast: only ADD and MUL have a gradient here, got " + function);
        }
        this.function = function;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        outer = x.dim(0);
        mid = x.dim(1);
        inner = x.shape().sizeAfter(1);
        Tensor y = Tensors.zeros(backend(), x.shape().dims());
        backend().broadcast(function, y.storage(), x.storage(), in[1].storage(), outer, mid, inner);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor x = inputs()[0];
        Tensor v = inputs()[1];
        Tensor gradX = null;
        Tensor gradV = null;
        if (needsGrad(0)) {
            gradX = Tensors.zeros(backend(), x.shape().dims());
            if (function == BinaryOp.ADD) {
                backend().copy(gradX.storage(), 0, gradOutput.storage(), 0, x.size());
            } else {
                backend().broadcast(BinaryOp.MUL, gradX.storage(), gradOutput.storage(), v.storage(), outer, mid, inner);
            }
        }
        if (needsGrad(1)) {
            gradV = Tensors.zeros(backend(), v.shape().dims());
            if (function == BinaryOp.ADD) {
                Reductions.sumPerChannel(backend(), gradV, gradOutput, outer, mid, inner);
            } else {
                Tensor product = Tensors.zeros(backend(), x.shape().dims());
                backend().binary(BinaryOp.MUL, product.storage(), gradOutput.storage(), x.storage(), x.size());
                Reductions.sumPerChannel(backend(), gradV, product, outer, mid, inner);
                product.close();
            }
        }
        return new Tensor[] {gradX, gradV};
    }

    @Override
    public String name() {
        return function == BinaryOp.ADD ? "addBias" : "mulBias";
    }
}
