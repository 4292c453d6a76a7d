package org.deephash4j.autograd;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y = x · s for a one-element tensor s: every element scaled by the same value held on the device
 * (the upstream gradient of a scalar loss, say), without reading it back to the host.
 *
 * <p>Backward (dy = gradOutput): dx = dy · s, ds = Σ_i dy_i · x_i.
 */
final class MulScalarOp extends Op {

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Tensor y = Tensors.zeros(backend(), x.shape().dims());
        // The per-channel broadcast with one channel of all x.size() elements.
        backend().broadcast(BinaryOp.MUL, y.storage(), x.storage(), in[1].storage(), 1, 1, (int) x.size());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor x = inputs()[0];
        Tensor s = inputs()[1];
        Tensor gradX = null;
        Tensor gradS = null;
        if (needsGrad(0)) {
            gradX = Tensors.zeros(backend(), x.shape().dims());
            backend().broadcast(BinaryOp.MUL, gradX.storage(), gradOutput.storage(), s.storage(), 1, 1, (int) x.size());
        }
        if (needsGrad(1)) {
            Tensor product = Tensors.zeros(backend(), x.shape().dims());
            backend().binary(BinaryOp.MUL, product.storage(), gradOutput.storage(), x.storage(), x.size());
            gradS = Tensors.zeros(backend(), s.shape().dims());
            backend().sum(gradS.storage(), product.storage(), 1, (int) x.size(), 1);
            product.close();
        }
        return new Tensor[] {gradX, gradS};
    }
}
