package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.tensor.Tensor;

/** y = max(x, 0) element-wise. */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Ops.relu(x);
    }
}
