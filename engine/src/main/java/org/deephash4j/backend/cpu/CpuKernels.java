package org.deephash4j.backend.cpu;

import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.UnaryOp;

/**
 * One set of CPU kernels on Java arrays: the same contracts as {@link org.deephash4j.backend.Backend},
 * one level down (storages unwrapped to their {@code float[]}). Two sets exist:
 * {@code ReferenceKernels} (plain scalar loops, the truth) and {@code VectorKernels}
 * (Vector API, checked against the reference). {@link CpuBackend} holds one, chosen by
 * {@code CpuKernelSets.best()} or forced with {@code -Ddeephash.cpu.kernels=reference|vector}.
 * Tests call both sets directly on the same arrays.
 */
public interface CpuKernels {
    /** {@code reference} or {@code vector}. */
    String name();

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOffset, float[] b, int bOffset,
              float beta, float[] c, int cOffset);

    void conv2dForward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g);

    void conv2dBackwardData(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g);

    void conv2dBackwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input, Conv2dGeometry g);

    void maxPool2dForward(float[] output, float[] input, Pool2dGeometry g);

    void maxPool2dBackward(float[] gradInput, float[] gradOutput, float[] input, float[] output, Pool2dGeometry g);

    void avgPool2dForward(float[] output, float[] input, Pool2dGeometry g);

    void avgPool2dBackward(float[] gradInput, float[] gradOutput, Pool2dGeometry g);

    void unary(UnaryOp op, float[] out, float[] in, int n);

    void unaryBackward(UnaryOp op, float[] gradInput, float[] gradOutput, float[] input, float[] output, int n);

    void binary(BinaryOp op, float[] out, float[] a, float[] b, int n);

    void broadcast(BinaryOp op, float[] out, float[] a, float[] b, int outer, int mid, int inner);

    void affine(float[] out, float[] in, float scale, float shift, int n);

    void axpy(float[] y, float alpha, float[] x, int n);

    void sum(float[] out, float[] in, int outer, int mid, int inner);

    void softmaxCrossEntropy(float[] loss, float[] probs, float[] logits, float[] labels, int n, int classes);

    void softmaxCrossEntropyBackward(float[] gradLogits, float[] probs, float[] labels, float[] gradLoss, int n, int classes);

    void sgdStep(float[] param, float[] grad, float[] velocity, float lr, float momentum, float weightDecay, int n);

    void adamStep(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2,
                  float eps, float weightDecay, int step, int n);

    // batch normalisation and adaptive pooling (issue 20)

    void batchNormTrainingForward(float[] output, float[] mean, float[] variance, float[] input, float[] weight,
                                  float[] bias, float eps, int batch, int channels, int spatial);

    void batchNormForward(float[] output, float[] input, float[] mean, float[] variance, float[] weight, float[] bias,
                          float eps, int batch, int channels, int spatial);

    void batchNormBackward(float[] gradInput, float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                           float[] mean, float[] variance, float[] weight, float eps, boolean batchStatistics,
                           int batch, int channels, int spatial);

    void adaptiveAvgPool2dForward(float[] output, float[] input, AdaptivePool2dGeometry g);

    void adaptiveAvgPool2dBackward(float[] gradInput, float[] gradOutput, AdaptivePool2dGeometry g);
}
