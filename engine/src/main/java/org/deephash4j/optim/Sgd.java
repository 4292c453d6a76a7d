package org.deephash4j.optim;

import java.util.ArrayList;
import java.util.List;
import org.deephash4j.nn.Parameter;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Stochastic gradient descent with momentum and L2 weight decay, PyTorch's form
 * ({@code Backend.sgdStep}): g = grad + weightDecay · θ; v = momentum · v + g; θ -= lr · v
 * (θ -= lr · g when momentum = 0, with no velocity kept). v starts at zero, so the first step is θ -= lr · g.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final float weightDecay;
    private final List<Tensor> velocity = new ArrayList<>();   // one per parameter, null without momentum

    /** Plain SGD. */
    public Sgd(List<Parameter> parameters, float learningRate) {
        this(parameters, learningRate, 0f, 0f);
    }

    public Sgd(List<Parameter> parameters, float learningRate, float momentum, float weightDecay) {
        super(parameters, learningRate);
        if (!(momentum >= 0f && momentum < 1f)) throw new IllegalArgumentException("sgd: momentum " + momentum + " must be in [0, 1)");
        if (!(weightDecay >= 0f)) throw new IllegalArgumentException("sgd: weight decay " + weightDecay + " must be >= 0");
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (Parameter p : parameters) {
            Tensor t = p.tensor();
            velocity.add(momentum > 0f ? Tensors.zeros(t.backend(), t.shape().dims()).keep() : null);
        }
    }

    @Override
    public void step() {
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            Tensor param = ps.get(i).tensor();
            Tensor grad = ps.get(i).grad();
            if (grad == null || isFrozen(i)) continue;
            Tensor v = velocity.get(i);
            param.backend().sgdStep(param.storage(), grad.storage(), v == null ? null : v.storage(),
                    learningRate(i), momentum, weightDecay, param.size());
        }
    }

    @Override
    public void close() {
        for (Tensor v : velocity) {
            if (v != null) v.close();
        }
    }
}
