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

    /**
     * The accumulated gradient, or null before the first backward. A gradient that an enclosing
     * {@code TensorScope} has released (see {@link #zeroGrad()}) counts as none: it is dropped.
     */
    public Tensor grad() {
        Tensor g = tensor.grad();
        if (g != null && g.isClosed()) {
            tensor.setGrad(null);
            return null;
        }
        return g;
    }

    /**
     * Sets the accumulated gradient to zero, keeping its buffer for the next backward.
     * NOTE: Graph creates a leaf's gradient with keep(), which hands it to the enclosing scope
     * when backward runs inside nested scopes (an epoch scope around step scopes); that scope
     * then releases it, and the next backward makes a new one.
     */
    public void zeroGrad() {
        Tensor g = grad();
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
