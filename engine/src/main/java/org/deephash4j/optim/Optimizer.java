package org.deephash4j.optim;

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
 */
public abstract class Optimizer implements AutoCloseable {
    private final List<Parameter> parameters;
    private float learningRate;

    protected Optimizer(List<Parameter> parameters, float learningRate) {
        if (parameters.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": no parameters");
        if (!(learningRate > 0f)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate " + learningRate + " must be > 0");
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
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
