package org.deephash4j.autograd;

import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y[n, c, i, j] = the mean of x[n, c, r, s] over the window r in [floor(i·H/oH), ceil((i+1)·H/oH)),
 * s in [floor(j·W/oW), ceil((j+1)·W/oW)) (PyTorch's {@code AdaptiveAvgPool2d}; sizes in
 * {@link AdaptivePool2dGeometry}). Global average pooling is oH = oW = 1.
 *
 * <p>Backward: dx receives dy / (window area) at every position of each window; overlapping windows add.
 */
final class AdaptiveAvgPool2dOp extends Op {
    private final AdaptivePool2dGeometry g;

    AdaptiveAvgPool2dOp(AdaptivePool2dGeometry g) {
        this.g = g;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = Tensors.zeros(backend(), g.batch(), g.channels(), g.outHeight(), g.outWidth());
        backend().adaptiveAvgPool2dForward(y.storage(), in[0].storage(), g);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradInput = Tensors.zeros(backend(), inputs()[0].shape().dims());
        backend().adaptiveAvgPool2dBackward(gradInput.storage(), gradOutput.storage(), g);
        return new Tensor[] {gradInput};
    }
}
