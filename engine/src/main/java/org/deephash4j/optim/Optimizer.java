package org.deephash4j.optim;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.deephash4j.nn.Parameter;

/**
 * Updates a fixed list of parameters from their accumulated gradients.
 * A training step: {@code optimizer.zeroGrad(); Graph.backward(loss); optimizer.step();}.
 *
 * <p>State tensors (momentum, Adam's moments) are allocated in the constructor and kept, so
 * build an optimizer outside any {@code TensorScope} (kept tensors created inside a nested scope
 * move to the enclosing one, which would release them). Parameters without a gradient (not
 * reached by the last backward) are skipped by {@link #step()}.
 *
 * <p>Parameter groups, as PyTorch's {@code param_groups}: {@link #setRateScale} gives a set of
 * parameters its own multiplier of the learning rate (a backbone fine-tuned at 0.1 x the rate of a
 * new head: DHN, HashNet), and {@link #setFrozen} leaves a set out of {@link #step()} altogether
 * (no update, no change of the optimiser's state for it), as {@code requires_grad = False} does.
 */
public abstract class Optimizer implements AutoCloseable {
    private final List<Parameter> parameters;
    private final float[] rateScale;
    private final boolean[] frozen;
    private float learningRate;

    protected Optimizer(List<Parameter> parameters, float learningRate) {
        if (parameters.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters");
        if (!(learningRate > 0f)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + learningRate + " must be > 0");
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
        this.rateScale = new float[parameters.size()];
        Arrays.fill(rateScale, 1f);
        this.frozen = new boolean[parameters.size()];
    }

    /** Parameters {@code group} learn at {@code scale} x the learning rate from now on (1 for all at first). */
    public void setRateScale(Collection<Parameter> group, float scale) {
        if (!(scale >= 0f) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning-rate scale " + scale + " must be >= 0 and finite");
        }
        for (Parameter p : group) rateScale[indexOf(p)] = scale;
    }

    /** Leaves parameters {@code group} out of {@link #step()} (true) or puts them back (false). */
    public void setFrozen(Collection<Parameter> group, boolean on) {
        for (Parameter p : group) frozen[indexOf(p)] = on;
    }

    /** The learning rate parameter i (in {@link #parameters()} order) steps with: the rate times its group's scale. */
    protected final float learningRate(int i) {
        return learningRate * rateScale[i];
    }

    /** True when parameter i is frozen ({@link #setFrozen}). */
    protected final boolean isFrozen(int i) {
        return frozen[i];
    }

    /** The position of {@code parameter} in {@link #parameters()}; IllegalArgumentException when it is not there. */
    protected final int indexOf(Parameter parameter) {
        for (int i = 0; i < parameters.size(); i++) if (parameters.get(i) == parameter) return i;
        throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter " + parameter.name()
                + " is not one this optimizer updates");
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : parameters) p.zeroGrad();
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public float learningRate() {
        return learningRate;
    }

    /** Changes the learning rate for the following steps (used by {@link StepLr}). */
    public void setLearningRate(float learningRate) {
        if (!(learningRate >= 0f)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + learningRate + " must be >= 0");
        }
        this.learningRate = learningRate;
    }

    /** Releases the optimizer's state tensors (not the parameters). */
    @Override
    public void close() {
    }
}
