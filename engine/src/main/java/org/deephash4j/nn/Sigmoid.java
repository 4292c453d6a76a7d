package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.tensor.Tensor;

/** y = 1 / (1 + e^-x) element-wise. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Ops.sigmoid(x);
    }
}
