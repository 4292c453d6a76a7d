package org.deephash4j.autograd;

import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y[n, c, i, j] = (1 / (kH · kW)) Σ over the window of x[n, c, i·s + u - p, j·s + v - p], padding
 * counted as zeros (PyTorch's {@code count_include_pad=True}); sizes in {@link Pool2dGeometry}.
 *
 * <p>Backward: dx receives dy / (kH · kW) at every position of each window; overlapping windows add.
 */
final class AvgPool2dOp extends Op {
    private final Pool2dGeometry g;

    AvgPool2dOp(Pool2dGeometry g) {
        this.g = g;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = Tensors.zeros(backend(), g.batch(), g.channels(), g.outHeight(), g.outWidth());
        backend().avgPool2dForward(y.storage(), in[0].storage(), g);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradInput = Tensors.zeros(backend(), inputs()[0].shape().dims());
        backend().avgPool2dBackward(gradInput.storage(), gradOutput.storage(), g);
        return new Tensor[] {gradInput};
    }
}
