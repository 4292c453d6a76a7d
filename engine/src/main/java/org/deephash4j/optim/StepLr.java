package org.deephash4j.optim;

/**
 * Step decay of the learning rate: after {@link #step()} has been called k times,
 * lr = baseLr · gamma^⌊k / stepSize⌋, where baseLr is the optimizer's rate when the schedule
 * was made. Call {@link #step()} once per epoch (PyTorch's {@code StepLR} use) or once per
 * training step; stepSize counts whichever you choose.
 */
public final class StepLr {
    private final Optimizer optimizer;
    private final float baseLr;
    private final int stepSize;
    private final float gamma;
    private int count;

    public StepLr(Optimizer optimizer, int stepSize, float gamma) {
        if (stepSize < 1) throw new IllegalArgumentException("stepLr: stepSize " + stepSize + " must be >= 1");
        if (!(gamma > 0f)) throw new IllegalArgumentException("stepLr: gamma " + gamma + " must be > 0");
        this.optimizer = optimizer;
        this.baseLr = optimizer.learningRate();
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    /** Counts one epoch (or step) and sets the optimizer's learning rate for the next one. */
    public void step() {
        count++;
        optimizer.setLearningRate(learningRate());
    }

    /** The rate the schedule gives now: baseLr · gamma^⌊count / stepSize⌋. */
    public float learningRate() {
        return (float) (baseLr * Math.pow(gamma, count / stepSize));
    }

    /** Calls to {@link #step()} so far. */
    public int count() {
        return count;
    }
}
