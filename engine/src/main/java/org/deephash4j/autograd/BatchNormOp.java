package org.deephash4j.autograd;

import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Batch normalisation of x [N, C, ...] over every dimension but the channels (dimension 1)
 * (Ioffe and Szegedy 2015; PyTorch's {@code BatchNorm2d}), with M = N · (positions per channel):
 * <pre>
 *   y = (x - mean[c]) / sqrt(variance[c] + eps) · weight[c] + bias[c]
 * </pre>
 * Inputs (x, weight, bias). In training mode mean and variance are the batch's (variance biased,
 * over M values), and the running statistics, when given, are updated in place as PyTorch does:
 * {@code running_mean = (1 - momentum) · running_mean + momentum · mean},
 * {@code running_var = (1 - momentum) · running_var + momentum · variance · M / (M - 1)} (the
 * unbiased variance). In evaluation mode mean and variance are the running statistics.
 *
 * <p>Backward ({@code Backend.batchNormBackward}): in training mode the full derivative through
 * the batch statistics, dx = weight · invStd · (dy - mean(dy) - xhat · mean(dy · xhat)); in
 * evaluation mode dx = weight · invStd · dy. dweight = Σ dy · xhat, dbias = Σ dy per channel.
 * The op keeps the statistics it normalised with (a copy of the running ones in evaluation, so
 * a later update cannot change this op's backward).
 */
final class BatchNormOp extends Op {
    private final boolean training;
    private final Tensor runningMean;       // [C] or null (training without running statistics)
    private final Tensor runningVar;
    private final float momentum;
    private final float eps;
    private Tensor mean;                    // [C], what forward normalised with
    private Tensor variance;
    private int batch;
    private int channels;
    private int spatial;

    BatchNormOp(boolean training, Tensor runningMean, Tensor runningVar, float momentum, float eps) {
        this.training = training;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.momentum = momentum;
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        batch = x.dim(0);
        channels = x.dim(1);
        spatial = (int) (x.size() / ((long) batch * channels));
        Tensor y = Tensors.forOverwrite(backend(), x.shape().dims());
        mean = Tensors.zeros(backend(), channels);
        variance = Tensors.zeros(backend(), channels);
        if (training) {
            backend().batchNormTrainingForward(y.storage(), mean.storage(), variance.storage(), x.storage(),
                    in[1].storage(), in[2].storage(), eps, batch, channels, spatial);
            if (runningMean != null) updateRunningStatistics();
        } else {
            backend().copy(mean.storage(), 0, runningMean.storage(), 0, channels);
            backend().copy(variance.storage(), 0, runningVar.storage(), 0, channels);
            backend().batchNormForward(y.storage(), x.storage(), mean.storage(), variance.storage(), in[1].storage(),
                    in[2].storage(), eps, batch, channels, spatial);
        }
        return y;
    }

    private void updateRunningStatistics() {
        long count = (long) batch * spatial;
        float unbiased = (float) ((double) count / (count - 1));
        backend().affine(runningMean.storage(), runningMean.storage(), 1f - momentum, 0f, channels);
        backend().axpy(runningMean.storage(), momentum, mean.storage(), channels);
        backend().affine(runningVar.storage(), runningVar.storage(), 1f - momentum, 0f, channels);
        backend().axpy(runningVar.storage(), momentum * unbiased, variance.storage(), channels);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor[] in = inputs();
        Tensor gradInput = Tensors.forOverwrite(backend(), in[0].shape().dims());
        Tensor gradWeight = Tensors.zeros(backend(), channels);
        Tensor gradBias = Tensors.zeros(backend(), channels);
        backend().batchNormBackward(gradInput.storage(), gradWeight.storage(), gradBias.storage(),
                gradOutput.storage(), in[0].storage(), mean.storage(), variance.storage(), in[1].storage(), eps,
                training, batch, channels, spatial);
        return new Tensor[] {keepIf(0, gradInput), keepIf(1, gradWeight), keepIf(2, gradBias)};
    }

    /** g if input i needs a gradient, else null (g is released). */
    private Tensor keepIf(int i, Tensor g) {
        if (needsGrad(i)) return g;
        g.close();
        return null;
    }

    @Override
    protected void releaseSaved() {
        if (mean != null) {
            mean.close();
            variance.close();
            mean = null;
            variance = null;
        }
    }
}
