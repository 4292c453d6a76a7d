package org.deephash4j.backend.cpu;

import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.UnaryOp;

/**
 * The Vector API kernel set ({@code jdk.incubator.vector}, species from {@link VectorWidth}),
 * checked against {@link ReferenceKernels} by the {@code *KernelsTest} parity suites.
 *
 * <p>Vector kernels: GEMM ({@link VectorGemm}); conv2d forward, backward-data and
 * backward-filter ({@link VectorConv2d}: indirect products over padded images); max and average pooling forward
 * and backward ({@link VectorPool2d}, multi-threaded over planes); unary functions and their
 * derivatives except LOG, SOFTPLUS and LOG_COSH, binary, broadcast, affine, axpy, sum and the
 * SGD step ({@link VectorElementwise}); batch normalisation forward (training and evaluation) and
 * backward ({@link VectorBatchNorm}, one channel per task); adaptive average pooling forward and
 * backward ({@link VectorAdaptiveAvgPool2d}).
 *
 * <p>Delegated to the reference kernels (small or rare in a training step): LOG, SOFTPLUS and
 * LOG_COSH and their derivatives, softmax + cross-entropy forward and backward, and the Adam step.
 *
 * <p>{@code CpuKernelSets} loads this class by name only when the module
 * {@code jdk.incubator.vector} is present, so the engine runs without it.
 */
public final class VectorKernels implements CpuKernels {
    private final CpuKernels reference = new ReferenceKernels();

    public VectorKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                     float[] b, int bOffset, float beta, float[] c, int cOffset) {
        VectorGemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    public void conv2dForward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        VectorConv2d.forward(output, input, weight, bias, g);
    }

    @Override
    public void conv2dBackwardData(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g) {
        VectorConv2d.backwardData(gradInput, gradOutput, weight, g);
    }

    @Override
    public void conv2dBackwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                                     Conv2dGeometry g) {
        VectorConv2d.backwardFilter(gradWeight, gradBias, gradOutput, input, g);
    }

    @Override
    public void maxPool2dForward(float[] output, float[] input, Pool2dGeometry g) {
        VectorPool2d.maxForward(output, input, g);
    }

    @Override
    public void maxPool2dBackward(float[] gradInput, float[] gradOutput, float[] input, float[] output,
                                  Pool2dGeometry g) {
        VectorPool2d.maxBackward(gradInput, gradOutput, input, output, g);
    }

    @Override
    public void avgPool2dForward(float[] output, float[] input, Pool2dGeometry g) {
        VectorPool2d.avgForward(output, input, g);
    }

    @Override
    public void avgPool2dBackward(float[] gradInput, float[] gradOutput, Pool2dGeometry g) {
        VectorPool2d.avgBackward(gradInput, gradOutput, g);
    }

    @Override
    public void unary(UnaryOp op, float[] out, float[] in, int n) {
        if (!VectorElementwise.unary(op, out, in, n)) {
            reference.unary(op, out, in, n);
        }
    }

    @Override
    public void unaryBackward(UnaryOp op, float[] gradInput, float[] gradOutput, float[] input, float[] output,
                              int n) {
        if (!VectorElementwise.unaryBackward(op, gradInput, gradOutput, input, output, n)) {
            reference.unaryBackward(op, gradInput, gradOutput, input, output, n);
        }
    }

    @Override
    public void binary(BinaryOp op, float[] out, float[] a, float[] b, int n) {
        VectorElementwise.binary(op, out, a, b, n);
    }

    @Override
    public void broadcast(BinaryOp op, float[] out, float[] a, float[] b, int outer, int mid, int inner) {
        VectorElementwise.broadcast(op, out, a, b, outer, mid, inner);
    }

    @Override
    public void affine(float[] out, float[] in, float scale, float shift, int n) {
        VectorElementwise.affine(out, in, scale, shift, n);
    }

    @Override
    public void axpy(float[] y, float alpha, float[] x, int n) {
        VectorElementwise.axpy(y, alpha, x, n);
    }

    @Override
    public void sum(float[] out, float[] in, int outer, int mid, int inner) {
        VectorElementwise.sum(out, in, outer, mid, inner);
    }

    @Override
    public void softmaxCrossEntropy(float[] loss, float[] probs, float[] logits, float[] labels, int n, int classes) {
        reference.softmaxCrossEntropy(loss, probs, logits, labels, n, classes);
    }

    @Override
    public void softmaxCrossEntropyBackward(float[] gradLogits, float[] probs, float[] labels, float[] gradLoss,
                                            int n, int classes) {
        reference.softmaxCrossEntropyBackward(gradLogits, probs, labels, gradLoss, n, classes);
    }

    @Override
    public void sgdStep(float[] param, float[] grad, float[] velocity, float lr, float momentum, float weightDecay,
                        int n) {
        VectorElementwise.sgdStep(param, grad, velocity, lr, momentum, weightDecay, n);
    }

    @Override
    public void adamStep(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2,
                         float eps, float weightDecay, int step, int n) {
        reference.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, n);
    }

    // ---------------------------------------------------------------- batch normalisation and adaptive pooling (issue 20)

    @Override
    public void batchNormTrainingForward(float[] output, float[] mean, float[] variance, float[] input, float[] weight,
                                         float[] bias, float eps, int batch, int channels, int spatial) {
        VectorBatchNorm.trainingForward(output, mean, variance, input, weight, bias, eps, batch, channels, spatial);
    }

    @Override
    public void batchNormForward(float[] output, float[] input, float[] mean, float[] variance, float[] weight,
                                 float[] bias, float eps, int batch, int channels, int spatial) {
        VectorBatchNorm.forward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
    }

    @Override
    public void batchNormBackward(float[] gradInput, float[] gradWeight, float[] gradBias, float[] gradOutput,
                                  float[] input, float[] mean, float[] variance, float[] weight, float eps,
                                  boolean batchStatistics, int batch, int channels, int spatial) {
        VectorBatchNorm.backward(gradInput, gradWeight, gradBias, gradOutput, input, mean, variance, weight, eps,
                batchStatistics, batch, channels, spatial);
    }

    @Override
    public void adaptiveAvgPool2dForward(float[] output, float[] input, AdaptivePool2dGeometry g) {
        VectorAdaptiveAvgPool2d.forward(output, input, g);
    }

    @Override
    public void adaptiveAvgPool2dBackward(float[] gradInput, float[] gradOutput, AdaptivePool2dGeometry g) {
        VectorAdaptiveAvgPool2d.backward(gradInput, gradOutput, g);
    }
}
