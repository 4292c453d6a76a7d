package org.deephash4j.autograd;

import org.deephash4j.backend.Backend;
import org.deephash4j.tensor.GradFn;
import org.deephash4j.tensor.Tensor;

/**
 * One differentiable op: {@link #forward} computes the output and keeps exactly what
 * {@link #backward} needs; {@link #backward} returns one gradient per input (null where the
 * input needs none). Both are written against {@link Backend} kernels only, so every op
 * runs on every device; shapes are validated before an op runs, by its entry point in {@link Ops}.
 *
 * <p>Use an op through {@link #apply}, which records it in the graph when gradients are
 * enabled and some input requires one. An op object is used once.
 */
public abstract class Op implements GradFn {
    private Tensor[] inputs;
    private boolean[] needsGrad;

    /** Computes the output from the inputs. */
    protected abstract Tensor forward(Tensor... inputs);

    /** d(loss)/d(input i) for each input, from d(loss)/d(output). */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Runs the op and, when a graph is being recorded, links the output to it. */
    public final Tensor apply(Tensor... in) {
        if (inputs != null) throw new IllegalStateException(getClass().getSimpleName() + " was already applied");
        for (Tensor t : in) {
            if (t.backend() != in[0].backend()) {
                throw new IllegalArgumentException(name() + ": inputs live on different backends ("
                        + in[0].backend().name() + " and " + t.backend().name() + ")");
            }
        }
        inputs = in;
        needsGrad = new boolean[in.length];
        boolean record = false;
        if (NoGrad.isGradEnabled()) {
            for (int i = 0; i < in.length; i++) {
                needsGrad[i] = in[i].requiresGrad();
                record |= needsGrad[i];
            }
        }
        Tensor out = forward(in);
        if (record) {
            out.setRequiresGrad(true);
            out.setGradFn(this);
        } else {
            releaseSaved();
        }
        return out;
    }

    /** The inputs this op was applied to. */
    @Override
    public final Tensor[] inputs() {
        return inputs;
    }

    /** True when input i needs a gradient; backward may skip work for the others. */
    protected final boolean needsGrad(int i) {
        return needsGrad[i];
    }

    /** The backend of the inputs. */
    protected final Backend backend() {
        return inputs[0].backend();
    }

    /**
     * Drops what forward kept for backward (called by Graph after backward, and at once when no
     * graph is recorded). Ops that allocate saved tensors of their own close them here.
     */
    protected void releaseSaved() {
    }

    /** The op's name for messages: the class name without "Op". */
    @Override
    public String name() {
        String s = getClass().getSimpleName();
        return s.endsWith("Op") ? s.substring(0, s.length() - 2) : s;
    }

    final void finishBackward() {
        releaseSaved();
        inputs = null;
    }
}
