package org.deephash4j.nn;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Batch normalisation over the channels of [N, C, H, W], as PyTorch's {@code nn.BatchNorm2d(C)}
 * with its defaults (eps 1e-5, momentum 0.1, affine, tracking running statistics):
 * y = (x - mean[c]) / sqrt(var[c] + eps) · weight[c] + bias[c].
 *
 * <ul>
 *   <li>Training mode: mean and var are the batch's (biased variance over the N·H·W values of a
 *       channel); {@code running_mean} and {@code running_var} move towards the batch's mean and
 *       unbiased variance by momentum 0.1, and {@code num_batches_tracked} counts the batches.</li>
 *   <li>Evaluation mode: mean and var are {@code running_mean} and {@code running_var}.</li>
 * </ul>
 * Parameters {@code weight} (γ, starts at 1) and {@code bias} (β, starts at 0); buffers
 * {@code running_mean} (starts at 0), {@code running_var} (starts at 1) and
 * {@code num_batches_tracked} (a one-element tensor; PyTorch stores it as int64, here it is a
 * float, exact up to 2^24 batches), named as in torchvision's {@code state_dict}.
 */
public final class BatchNorm2d extends Module {
    /** PyTorch's default eps. */
    public static final float EPS = 1e-5f;
    /** PyTorch's default momentum. */
    public static final float MOMENTUM = 0.1f;

    private final int channels;
    private final float eps;
    private final float momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /** PyTorch's defaults: eps 1e-5, momentum 0.1. */
    public BatchNorm2d(Backend backend, int channels) {
        this(backend, channels, EPS, MOMENTUM);
    }

    public BatchNorm2d(Backend backend, int channels, float eps, float momentum) {
        if (channels < 1) throw new IllegalArgumentException("batchNorm2d: channels = " + channels + ", expected >= 1");
        if (!(eps > 0f)) throw new IllegalArgumentException("batchNorm2d: eps = " + eps + ", expected > 0");
        if (!(momentum >= 0f && momentum <= 1f)) {
            throw new IllegalArgumentException("batchNorm2d: momentum = " + momentum + ", expected 0 to 1");
        }
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        weight = registerParameter(new Parameter("weight", Tensors.ones(backend, channels)));
        bias = registerParameter(new Parameter("bias", Tensors.zeros(backend, channels)));
        runningMean = registerBuffer("running_mean", Tensors.zeros(backend, channels));
        runningVar = registerBuffer("running_var", Tensors.ones(backend, channels));
        numBatchesTracked = registerBuffer("num_batches_tracked", Tensors.zeros(backend));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException("batchNorm2d: input " + x.shape() + " must be [N, " + channels
                    + ", H, W] for " + this);
        }
        Tensor y = Ops.batchNorm(x, weight.tensor(), bias.tensor(), runningMean, runningVar, isTraining(), momentum, eps);
        if (isTraining()) {
            numBatchesTracked.backend().affine(numBatchesTracked.storage(), numBatchesTracked.storage(), 1f, 1f, 1);
        }
        return y;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    /** The running mean [C] (a buffer, updated in training mode). */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance [C] (a buffer, updated in training mode). */
    public Tensor runningVar() {
        return runningVar;
    }

    /** The number of training-mode forwards so far, a one-element buffer. */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + channels + ", eps " + eps + ", momentum " + momentum + ")";
    }
}
