package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.tensor.Tensor;

/** y = tanh x element-wise. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Ops.tanh(x);
    }
}
