package org.deephash4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deephash4j.nn.Parameter;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Adam (Kingma and Ba 2015, Algorithm 1) with L2 weight decay added to the gradient
 * ({@code Backend.adamStep}): with t the step number from 1,
 * g = grad + weightDecay · θ; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 * θ -= lr · (m / (1 - β1^t)) / (√(v / (1 - β2^t)) + ε). m and v start at zero.
 * lr is the learning rate times the parameter's group scale ({@link Optimizer#setRateScale}).
 * Every call to {@link #step()} advances t, even for a parameter without a gradient (which is
 * skipped), except for a frozen parameter ({@link Optimizer#setFrozen}): each parameter keeps its
 * own t, which counts the steps it was not frozen, so a backbone unfrozen after N epochs starts
 * its bias correction at t = 1 as PyTorch's Adam does for a parameter that had no gradient.
 */
public final class Adam extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private final int[] steps;            // t of each parameter
    private int step;                      // calls of step()

    /** β1 = 0.9, β2 = 0.999, ε = 1e-8, no weight decay (the paper's defaults). */
    public Adam(List<Parameter> parameters, float learningRate) {
        this(parameters, learningRate, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public Adam(List<Parameter> parameters, float learningRate, float beta1, float beta2, float eps, float weightDecay) {
        super(parameters, learningRate);
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("adam: beta1 = " + beta1 + ", beta2 = " + beta2 + " must be in [0, 1)");
        }
        if (!(eps > 0f)) throw new IllegalArgumentException("adam: eps = " + eps + " must be > 0");
        if (!(weightDecay >= 0f)) throw new IllegalArgumentException("adam: weight decay " + weightDecay + " must be >= 0");
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        steps = new int[parameters.size()];
        for (Parameter p : parameters) {
            Tensor t = p.tensor();
            m.add(Tensors.zeros(t.backend(), t.shape().dims()).keep());
            v.add(Tensors.zeros(t.backend(), t.shape().dims()).keep());
        }
    }

    @Override
    public void step() {
        step++;
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            if (isFrozen(i)) continue;
            steps[i]++;
            Tensor param = ps.get(i).tensor();
            Tensor grad = ps.get(i).grad();
            if (grad == null) continue;
            param.backend().adamStep(param.storage(), grad.storage(), m.get(i).storage(), v.get(i).storage(),
                    learningRate(i), beta1, beta2, eps, weightDecay, steps[i], param.size());
        }
    }

    /** Calls of {@link #step()} so far (t of every parameter that was never frozen). */
    public int stepCount() {
        return step;
    }

    /** t of {@code parameter}: the steps taken while it was not frozen. */
    public int stepCount(Parameter parameter) {
        return steps[indexOf(parameter)];
    }

    /** Sets t of {@code parameter} when resuming (after {@link #setStepCount(int)}, which sets every parameter's). */
    public void setStepCount(Parameter parameter, int count) {
        if (count < 0 || count > step) {
            throw new IllegalArgumentException("adam: step count " + count + " of " + parameter.name() + " must be in [0, " + step + "]");
        }
        steps[indexOf(parameter)] = count;
    }

    /** The first moment m of {@code parameter} (the live tensor, its shape): saved and restored for an exact resume. */
    public Tensor firstMoment(Parameter parameter) {
        return m.get(indexOf(parameter));
    }

    /** The second moment v of {@code parameter} (the live tensor, its shape). */
    public Tensor secondMoment(Parameter parameter) {
        return v.get(indexOf(parameter));
    }

    /** Sets t, the steps already taken, of the optimiser and every parameter when resuming: the bias corrections go on from there. */
    public void setStepCount(int count) {
        if (count < 0) throw new IllegalArgumentException("adam: step count " + count + " must be >= 0");
        step = count;
        Arrays.fill(steps, count);
    }

    @Override
    public void close() {
        for (Tensor t : m) t.close();
        for (Tensor t : v) t.close();
    }
}
