package org.deephash4j.autograd;

import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y = x viewed with other dimensions of the same total size (row-major order unchanged; the
 * output shares x's storage). Backward: dx = dy with x's dimensions (a copy, so the gradient
 * Graph accumulates into never aliases dy).
 */
final class ReshapeOp extends Op {
    private final int[] dims;

    ReshapeOp(int[] dims) {
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].reshape(dims);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor x = inputs()[0];
        Tensor gradInput = Tensors.zeros(backend(), x.shape().dims());
        backend().copy(gradInput.storage(), 0, gradOutput.storage(), 0, x.size());
        return new Tensor[] {gradInput};
    }
}
