package org.deephash4j.autograd;

import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/** y = scale · x + shift element-wise (constants). Backward: dx = scale · dy. */
final class AffineOp extends Op {
    private final float scale;
    private final float shift;

    AffineOp(float scale, float shift) {
        this.scale = scale;
        this.shift = shift;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = Tensors.zeros(backend(), in[0].shape().dims());
        backend().affine(y.storage(), in[0].storage(), scale, shift, y.size());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradInput = Tensors.zeros(backend(), inputs()[0].shape().dims());
        backend().affine(gradInput.storage(), gradOutput.storage(), scale, 0f, gradInput.size());
        return new Tensor[] {gradInput};
    }
}
