package org.deephash4j.autograd;

import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y[n, c, i, j] = max over the window (u, v) in [0, kH) × [0, kW) of x[n, c, i·s + u - p, j·s + v - p],
 * padded positions ignored; sizes in {@link Pool2dGeometry}.
 *
 * <p>Backward: each window's dy goes to the first position holding its maximum (row-major in
 * the window); overlapping windows add. The derivative is undefined at ties, which is why the
 * gradient checks keep inputs apart.
 */
final class MaxPool2dOp extends Op {
    private final Pool2dGeometry g;
    private Tensor output;           // the kernel finds the argmax again from input and output

    MaxPool2dOp(Pool2dGeometry g) {
        this.g = g;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        output = Tensors.forOverwrite(backend(), g.batch(), g.channels(), g.outHeight(), g.outWidth());
        backend().maxPool2dForward(output.storage(), in[0].storage(), g);
        return output;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor x = inputs()[0];
        Tensor gradInput = Tensors.forOverwrite(backend(), x.shape().dims());
        backend().maxPool2dBackward(gradInput.storage(), gradOutput.storage(), x.storage(), output.storage(), g);
        return new Tensor[] {gradInput};
    }

    @Override
    protected void releaseSaved() {
        output = null;               // the output belongs to the caller, not to this op
    }
}
