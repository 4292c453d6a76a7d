package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.tensor.Tensor;

/** [N, d1, d2, ...] to [N, d1 · d2 · ...] (a view; keeps dim 0). */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Ops.flatten(x);
    }
}
