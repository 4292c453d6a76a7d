package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.backend.Backend;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * A fully connected layer y = x · Wᵀ + b: input [N, in], weight W [out, in], bias b [out]
 * (optional), output [N, out]. Initialised as PyTorch's {@code nn.Linear}: W and b uniform on
 * ±1/√in, from the seed.
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    /** With a bias. */
    public Linear(Backend backend, int inFeatures, int outFeatures, long seed) {
        this(backend, inFeatures, outFeatures, true, seed);
    }

    public Linear(Backend backend, int inFeatures, int outFeatures, boolean withBias, long seed) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("linear: in = " + inFeatures + " and out = " + outFeatures + " must be >= 1");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        float bound = (float) (1.0 / Math.sqrt(inFeatures));
        weight = registerParameter(new Parameter("weight",
                Init.uniform(Tensors.zeros(backend, outFeatures, inFeatures), -bound, bound, seed)));
        bias = withBias ? registerParameter(new Parameter("bias",
                Init.uniform(Tensors.zeros(backend, outFeatures), -bound, bound, CounterRandom.bits(seed, 1)))) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != inFeatures) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " must be [N, " + inFeatures
                    + "] for weight " + weight.tensor().shape() + " (weight is [out, in])");
        }
        return Ops.linear(x, weight.tensor(), bias == null ? null : bias.tensor());
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "Linear(" + inFeatures + " -> " + outFeatures + (bias == null ? ", no bias" : "") + ")";
    }
}
