package org.deephash4j.doctor;

import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.Storage;
import org.deephash4j.backend.UnaryOp;

/**
 * A device with one wrong kernel: every call goes to a working backend, and afterwards the kernel
 * named {@code broken} has the last element it wrote (its tail) replaced by that value + 1, the
 * way a kernel that mishandles its tail would leave it. Storages are the delegate's, so data
 * moves in and out as on the real device.
 */
final class CorruptingBackend implements Backend {
    private final Backend delegate;
    private final String broken;

    CorruptingBackend(Backend delegate, String broken) {
        this.delegate = delegate;
        this.broken = broken;
    }

    // After kernel {@code kernel} ran: when it is the broken one, out[index] += 1.
    private void corrupt(String kernel, Storage out, long index) {
        if (!kernel.equals(broken) || index < 0) return;
        float[] v = new float[1];
        delegate.copyOut(v, 0, out, index, 1);
        v[0] = Float.isNaN(v[0]) ? 1f : v[0] + 1f;
        delegate.copyIn(out, index, v, 0, 1);
    }

    @Override
    public String name() {
        return "broken-" + broken;
    }

    @Override
    public String deviceName() {
        return delegate.deviceName() + " with a wrong " + broken;
    }

    @Override
    public Storage allocate(long size) {
        return delegate.allocate(size);
    }

    @Override
    public void copyIn(Storage dst, long dstOffset, float[] src, int srcOffset, int length) {
        delegate.copyIn(dst, dstOffset, src, srcOffset, length);
    }

    @Override
    public void copyOut(float[] dst, int dstOffset, Storage src, long srcOffset, int length) {
        delegate.copyOut(dst, dstOffset, src, srcOffset, length);
    }

    @Override
    public void copy(Storage dst, long dstOffset, Storage src, long srcOffset, long length) {
        delegate.copy(dst, dstOffset, src, srcOffset, length);
        corrupt("copy", dst, dstOffset + length - 1);
    }

    @Override
    public void fill(Storage out, float value, long n) {
        delegate.fill(out, value, n);
        corrupt("fill", out, n - 1);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, long aOffset,
                     Storage b, long bOffset, float beta, Storage c, long cOffset) {
        delegate.gemm(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
        corrupt("gemm", c, cOffset + (long) m * n - 1);
    }

    @Override
    public void conv2dForward(Storage output, Storage input, Storage weight, Storage bias, Conv2dGeometry g) {
        delegate.conv2dForward(output, input, weight, bias, g);
        corrupt("conv2dForward", output, g.outputSize() - 1);
    }

    @Override
    public void conv2dBackwardData(Storage gradInput, Storage gradOutput, Storage weight, Conv2dGeometry g) {
        delegate.conv2dBackwardData(gradInput, gradOutput, weight, g);
        corrupt("conv2dBackwardData", gradInput, g.inputSize() - 1);
    }

    @Override
    public void conv2dBackwardFilter(Storage gradWeight, Storage gradBias, Storage gradOutput, Storage input,
                                     Conv2dGeometry g) {
        delegate.conv2dBackwardFilter(gradWeight, gradBias, gradOutput, input, g);
        corrupt("conv2dBackwardFilter", gradWeight, g.weightSize() - 1);
    }

    @Override
    public void maxPool2dForward(Storage output, Storage input, Pool2dGeometry g) {
        delegate.maxPool2dForward(output, input, g);
        corrupt("maxPool2dForward", output, g.outputSize() - 1);
    }

    @Override
    public void maxPool2dBackward(Storage gradInput, Storage gradOutput, Storage input, Storage output, Pool2dGeometry g) {
        delegate.maxPool2dBackward(gradInput, gradOutput, input, output, g);
        corrupt("maxPool2dBackward", gradInput, g.inputSize() - 1);
    }

    @Override
    public void avgPool2dForward(Storage output, Storage input, Pool2dGeometry g) {
        delegate.avgPool2dForward(output, input, g);
        corrupt("avgPool2dForward", output, g.outputSize() - 1);
    }

    @Override
    public void avgPool2dBackward(Storage gradInput, Storage gradOutput, Pool2dGeometry g) {
        delegate.avgPool2dBackward(gradInput, gradOutput, g);
        corrupt("avgPool2dBackward", gradInput, g.inputSize() - 1);
    }

    @Override
    public void unary(UnaryOp op, Storage out, Storage in, long n) {
        delegate.unary(op, out, in, n);
        corrupt("unary", out, n - 1);
    }

    @Override
    public void unaryBackward(UnaryOp op, Storage gradInput, Storage gradOutput, Storage input, Storage output, long n) {
        delegate.unaryBackward(op, gradInput, gradOutput, input, output, n);
        corrupt("unaryBackward", gradInput, n - 1);
    }

    @Override
    public void binary(BinaryOp op, Storage out, Storage a, Storage b, long n) {
        delegate.binary(op, out, a, b, n);
        corrupt("binary", out, n - 1);
    }

    @Override
    public void broadcast(BinaryOp op, Storage out, Storage a, Storage b, int outer, int mid, int inner) {
        delegate.broadcast(op, out, a, b, outer, mid, inner);
        corrupt("broadcast", out, (long) outer * mid * inner - 1);
    }

    @Override
    public void affine(Storage out, Storage in, float scale, float shift, long n) {
        delegate.affine(out, in, scale, shift, n);
        corrupt("affine", out, n - 1);
    }

    @Override
    public void axpy(Storage y, float alpha, Storage x, long n) {
        delegate.axpy(y, alpha, x, n);
        corrupt("axpy", y, n - 1);
    }

    @Override
    public void sum(Storage out, Storage in, int outer, int mid, int inner) {
        delegate.sum(out, in, outer, mid, inner);
        corrupt("sum", out, (long) outer * inner - 1);
    }

    @Override
    public void softmaxCrossEntropy(Storage loss, Storage probs, Storage logits, Storage labels, int n, int classes) {
        delegate.softmaxCrossEntropy(loss, probs, logits, labels, n, classes);
        corrupt("softmaxCrossEntropy", probs, (long) n * classes - 1);
    }

    @Override
    public void softmaxCrossEntropyBackward(Storage gradLogits, Storage probs, Storage labels, Storage gradLoss, int n,
                                            int classes) {
        delegate.softmaxCrossEntropyBackward(gradLogits, probs, labels, gradLoss, n, classes);
        corrupt("softmaxCrossEntropyBackward", gradLogits, (long) n * classes - 1);
    }

    @Override
    public void dropoutMask(Storage mask, float p, long seed, long n) {
        delegate.dropoutMask(mask, p, seed, n);
        corrupt("dropoutMask", mask, n - 1);
    }

    @Override
    public void sgdStep(Storage param, Storage grad, Storage velocity, float lr, float momentum, float weightDecay,
                        long n) {
        delegate.sgdStep(param, grad, velocity, lr, momentum, weightDecay, n);
        corrupt("sgdStep", param, n - 1);
    }

    @Override
    public void adamStep(Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2, float eps,
                         float weightDecay, int step, long n) {
        delegate.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, n);
        corrupt("adamStep", param, n - 1);
    }

    @Override
    public void batchNormTrainingForward(Storage output, Storage mean, Storage variance, Storage input, Storage weight,
                                         Storage bias, float eps, int batch, int channels, int spatial) {
        delegate.batchNormTrainingForward(output, mean, variance, input, weight, bias, eps, batch, channels, spatial);
        corrupt("batchNormTrainingForward", output, (long) batch * channels * spatial - 1);
    }

    @Override
    public void batchNormForward(Storage output, Storage input, Storage mean, Storage variance, Storage weight,
                                 Storage bias, float eps, int batch, int channels, int spatial) {
        delegate.batchNormForward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
        corrupt("batchNormForward", output, (long) batch * channels * spatial - 1);
    }

    @Override
    public void batchNormBackward(Storage gradInput, Storage gradWeight, Storage gradBias, Storage gradOutput,
                                  Storage input, Storage mean, Storage variance, Storage weight, float eps,
                                  boolean batchStatistics, int batch, int channels, int spatial) {
        delegate.batchNormBackward(gradInput, gradWeight, gradBias, gradOutput, input, mean, variance, weight, eps,
                batchStatistics, batch, channels, spatial);
        corrupt("batchNormBackward", gradWeight, channels - 1);
    }

    @Override
    public void adaptiveAvgPool2dForward(Storage output, Storage input, AdaptivePool2dGeometry g) {
        delegate.adaptiveAvgPool2dForward(output, input, g);
        corrupt("adaptiveAvgPool2dForward", output, (long) g.batch() * g.channels() * g.outHeight() * g.outWidth() - 1);
    }

    @Override
    public void adaptiveAvgPool2dBackward(Storage gradInput, Storage gradOutput, AdaptivePool2dGeometry g) {
        delegate.adaptiveAvgPool2dBackward(gradInput, gradOutput, g);
        corrupt("adaptiveAvgPool2dBackward", gradInput, (long) g.batch() * g.channels() * g.inHeight() * g.inWidth() - 1);
    }
}
