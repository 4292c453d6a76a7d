package org.deephash4j.tensor;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;

/**
 * An n-dimensional float32 array on one device: a {@link Shape}, a {@link Storage} owned by a
 * {@link Backend}, and, for autograd, an optional gradient and the {@link GradFn} (the op) that made it.
 *
 * <p>Contiguous and row-major. {@link #reshape} returns a view that shares the storage (closing
 * a view does nothing; closing the tensor that owns the storage releases it for all views).
 * A transpose is a copy or a GEMM flag, never a view. Create tensors with {@link Tensors}.
 *
 * <p>Not thread-safe: a tensor belongs to the thread that computes with it.
 */
public final class Tensor implements AutoCloseable {
    private final Shape shape;
    private final Storage storage;
    private final boolean ownsStorage;
    private TensorScope scope;

    // autograd state; see org.deephash4j.autograd.Graph
    private boolean requiresGrad;
    private Tensor grad;
    private GradFn gradFn;

    /** Wraps a storage (which must hold at least shape.size() floats); the tensor owns it. */
    public Tensor(Storage storage, Shape shape) {
        this(storage, shape, true);
    }

    private Tensor(Storage storage, Shape shape, boolean ownsStorage) {
        if (storage.size() < shape.size()) {
            throw new IllegalArgumentException("tensor " + shape + " needs " + shape.size()
                    + " floats but its storage holds " + storage.size());
        }
        this.storage = storage;
        this.shape = shape;
        this.ownsStorage = ownsStorage;
        TensorScope current = TensorScope.current();
        if (current != null && ownsStorage) {
            current.register(this);
            this.scope = current;
        }
    }

    public Shape shape() {
        return shape;
    }

    /** Dimension {@code axis} of the shape (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public long size() {
        return shape.size();
    }

    public Storage storage() {
        if (storage.isClosed()) throw new IllegalStateException("tensor " + shape + " has been closed");
        return storage;
    }

    public Backend backend() {
        return storage.backend();
    }

    /**
     * A view of the same storage with another shape of the same size; one dimension may be
     * -1 (inferred). The view carries no autograd history: use {@code Ops.reshape} inside a graph.
     */
    public Tensor reshape(int... dims) {
        return new Tensor(storage, Shapes.resolve(shape, dims), false);
    }

    /** A copy of the elements on the host, row-major. */
    public float[] toArray() {
        if (shape.size() > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor " + shape + " is too large for one Java array");
        }
        float[] out = new float[(int) shape.size()];
        backend().copyOut(out, 0, storage(), 0, out.length);
        return out;
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (shape.size() != 1) {
            throw new IllegalStateException("item() needs a tensor of one element, got " + shape);
        }
        float[] out = new float[1];
        backend().copyOut(out, 0, storage(), 0, 1);
        return out[0];
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf (a parameter or an input) whose gradient {@code Graph.backward} should keep. */
    public Tensor setRequiresGrad(boolean requiresGrad) {
        this.requiresGrad = requiresGrad;
        return this;
    }

    /** The accumulated gradient, or null before the first backward. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (autograd and optimizers use this). */
    public void setGrad(Tensor grad) {
        this.grad = grad;
    }

    /** The op that computed this tensor in a graph, or null for a leaf. */
    public GradFn gradFn() {
        return gradFn;
    }

    /** Set by {@code Op.apply} when a graph is being recorded. */
    public void setGradFn(GradFn op) {
        this.gradFn = op;
    }

    // ---------------------------------------------------------------- lifetime

    /** Keeps this tensor when the scope it was made in closes (it moves to the enclosing scope, or none). */
    public Tensor keep() {
        if (scope != null) {
            // The enclosing scope now owns this tensor, so a keep() there moves it out again.
            scope = scope.release(this);
        }
        return this;
    }

    void closeFromScope() {
        scope = null;
        close();
    }

    /** Releases the storage if this tensor owns it (views do not). Closing twice is harmless. */
    @Override
    public void close() {
        if (ownsStorage) storage.close();
        if (grad != null && grad != this) {
            grad.close();
            grad = null;
        }
        gradFn = null;
    }

    public boolean isClosed() {
        return storage.isClosed();
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " on " + backend().name() + (requiresGrad ? " (requires grad)" : "");
    }
}
