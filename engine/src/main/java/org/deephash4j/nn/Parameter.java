package org.deephash4j.nn;

import org.deephash4j.tensor.Tensor;

/**
 * A trainable tensor with a name ("weight", "bias"): it requires a gradient, lives outside any
 * {@code TensorScope} (it is kept) and is released only by {@link #close()}. Optimizers update
 * {@link #tensor()} in place from {@link #grad()}.
 */
public final class Parameter implements AutoCloseable {
    private final String name;
    private final Tensor tensor;

    /** Wraps t (kept out of any scope, marked as requiring a gradient). */
    public Parameter(String name, Tensor tensor) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("parameter name '" + name + "' must be non-empty without '.'"
                    + " (dots separate module names in namedParameters)");
        }
        this.name = name;
        this.tensor = tensor.keep().setRequiresGrad(true);
    }

    public String name() {
        return name;
    }

    public Tensor tensor() {
        return tensor;
    }

    /** The accumulated gradient, or null before the first backward (or after {@link #zeroGrad()} dropped it). */
    public Tensor grad() {
        return tensor.grad();
    }

    /** Sets the accumulated gradient to zero (keeps its buffer for the next backward). */
    public void zeroGrad() {
        Tensor g = tensor.grad();
        if (g != null) g.backend().fill(g.storage(), 0f, g.size());
    }

    @Override
    public void close() {
        tensor.close();
    }

    @Override
    public String toString() {
        return name + " " + tensor.shape();
    }
}
