package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.tensor.Tensor;

/**
 * Inverted dropout with drop probability p in training mode, the identity in evaluation mode.
 * Call number k (counting from 0 since construction or {@link #reset()}) uses the mask of
 * seed {@code CounterRandom.bits(seed, k)}: a different mask each call, the same sequence of masks for the same seed.
 */
public final class Dropout extends Module {
    private final float p;
    private final long seed;
    private long calls;

    public Dropout(float p, long seed) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout: p = " + p + " must be in [0, 1)");
        this.p = p;
        this.seed = seed;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) return x;
        return Ops.dropout(x, p, CounterRandom.bits(seed, calls++));
    }

    /** Restarts the sequence of masks. */
    public void reset() {
        calls = 0;
    }

    @Override
    public String toString() {
        return "Dropout(p = " + p + ")";
    }
}
