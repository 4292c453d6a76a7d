package org.deephash4j.autograd;

import org.deephash4j.tensor.Shape;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Sum of all elements (a scalar, shape []) or along one axis (that axis removed):
 * y[b, a] = Σ_m x[b, m, a] with x viewed as [before, axis, after].
 *
 * <p>Backward: dx[b, m, a] = dy[b, a], every summed element receives the gradient of its sum.
 */
final class SumOp extends Op {
    private final int axis;          // -1: all elements
    private int before;
    private int length;
    private int after;

    /** axis -1 sums everything; otherwise a non-negative axis of the input. */
    SumOp(int axis) {
        this.axis = axis;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Shape s = in[0].shape();
        Tensor y;
        if (axis < 0) {
            before = 1;
            length = (int) s.size();
            after = 1;
            y = Tensors.zeros(backend());
        } else {
            before = s.sizeBefore(axis);
            length = s.dim(axis);
            after = s.sizeAfter(axis);
            int[] dims = s.dims();
            int[] outDims = new int[dims.length - 1];
            for (int i = 0, j = 0; i < dims.length; i++) {
                if (i != axis) outDims[j++] = dims[i];
            }
            y = Tensors.zeros(backend(), outDims);
        }
        backend().sum(y.storage(), in[0].storage(), before, length, after);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradInput = Tensors.zeros(backend(), inputs()[0].shape().dims());
        Reductions.expand(backend(), gradInput, gradOutput, before, length, after);
        return new Tensor[] {gradInput};
    }
}
