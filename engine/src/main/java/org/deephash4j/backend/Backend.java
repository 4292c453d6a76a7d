package org.deephash4j.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kernel set every device implements: the one seam between the engine and a device.
 *
 * <p>Every kernel takes {@link Storage} handles allocated by this backend, never Java arrays,
 * so a whole training step runs on the device; host arrays appear only in {@link #copyIn} and
 * {@link #copyOut}. Autograd ops, layers, optimizers and hashing losses are written against
 * this interface alone, so the CPU and OpenCL backends run the same graphs.
 *
 * <p>Conventions (see STYLE.md): outputs first, then inputs, then sizes; tensors are
 * contiguous and row-major; a kernel overwrites its output unless its javadoc says it
 * accumulates; sizes are validated by the autograd entry points ({@code Ops}) and the layers before a kernel
 * runs, so a kernel may assume its storages are large enough. The CPU reference kernels
 * ({@code backend.cpu.Reference*}) define what each kernel means; every other implementation
 * is checked against them.
 */
public interface Backend {

    /** Name as {@link Backends#get} accepts it: {@code cpu}, {@code opencl:0}, ... */
    String name();

    /** Human-readable device name, e.g. {@code "AMD EPYC (2 threads), vector kernels"}. */
    String deviceName();

    /**
     * What a user checking this device wants to know, name to value in print order (shown by
     * {@code deephash doctor}). This default gives the backend and device names; backends add
     * their own: the CPU its cores, threads, kernel set and vector width, OpenCL its platform,
     * driver and OpenCL versions, compute units, work-group and local-memory limits and memory.
     */
    default Map<String, String> deviceFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("backend", name());
        facts.put("device", deviceName());
        return facts;
    }

    // ---------------------------------------------------------------- memory

    /** A new storage of {@code size} floats, all zero. */
    Storage allocate(long size);

    /**
     * A new storage of {@code size} floats whose contents are unspecified: for the output of a
     * kernel, which overwrites it (the CPU backend may hand out the array of a storage closed
     * before, without zeroing it). By default the same as {@link #allocate}.
     */
    default Storage allocateForOverwrite(long size) {
        return allocate(size);
    }

    /** dst[dstOffset + i] = src[srcOffset + i] for i in [0, length): host to device. */
    void copyIn(Storage dst, long dstOffset, float[] src, int srcOffset, int length);

    /** dst[dstOffset + i] = src[srcOffset + i] for i in [0, length): device to host (waits for pending kernels). */
    void copyOut(float[] dst, int dstOffset, Storage src, long srcOffset, int length);

    /** dst[dstOffset + i] = src[srcOffset + i] for i in [0, length), on the device. */
    void copy(Storage dst, long dstOffset, Storage src, long srcOffset, long length);

    /** out[i] = value for i in [0, n). */
    void fill(Storage out, float value, long n);

    // ---------------------------------------------------------------- matrix product

    /**
     * C[M×N] = alpha · op(A) · op(B) + beta · C, row-major, float32.
     * op(A) is M×K: A is stored M×K, or K×M when {@code transA}. op(B) is K×N: B is stored
     * K×N, or N×K when {@code transB}. The offsets say where each matrix starts in its storage.
     * With beta = 0, C is overwritten (its old contents, even NaN, are ignored).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, Storage a, long aOffset, Storage b, long bOffset,
              float beta, Storage c, long cOffset);

    // ---------------------------------------------------------------- convolution

    /** output = conv2d(input, weight) + bias (bias may be null); shapes in {@link Conv2dGeometry}. */
    void conv2dForward(Storage output, Storage input, Storage weight, Storage bias, Conv2dGeometry g);

    /** gradInput = d(loss)/d(input) from gradOutput and weight (overwrites gradInput). */
    void conv2dBackwardData(Storage gradInput, Storage gradOutput, Storage weight, Conv2dGeometry g);

    /**
     * gradWeight = d(loss)/d(weight) from gradOutput and input; gradBias (may be null) = sum of
     * gradOutput over batch and positions. Both are overwritten.
     */
    void conv2dBackwardFilter(Storage gradWeight, Storage gradBias, Storage gradOutput, Storage input,
                              Conv2dGeometry g);

    // ---------------------------------------------------------------- pooling

    /** output = the maximum of each window (padded positions ignored). */
    void maxPool2dForward(Storage output, Storage input, Pool2dGeometry g);

    /**
     * gradInput = gradOutput routed to the first position (row-major in the window) holding each
     * window's maximum; overlapping windows add. Needs the forward's input and output.
     */
    void maxPool2dBackward(Storage gradInput, Storage gradOutput, Storage input, Storage output, Pool2dGeometry g);

    /** output = the mean of each window over kernelHeight · kernelWidth positions (padding counts as 0). */
    void avgPool2dForward(Storage output, Storage input, Pool2dGeometry g);

    /** gradInput = each window's gradOutput spread evenly over the window; overlapping windows add. */
    void avgPool2dBackward(Storage gradInput, Storage gradOutput, Pool2dGeometry g);

    // ---------------------------------------------------------------- element-wise

    /** out[i] = f(in[i]) for i in [0, n); out may be in. */
    void unary(UnaryOp op, Storage out, Storage in, long n);

    /**
     * gradInput[i] = gradOutput[i] · f'(x) where x = input[i], y = output[i] (the forward's
     * input and output; each op reads the one its derivative needs, see {@link UnaryOp}).
     */
    void unaryBackward(UnaryOp op, Storage gradInput, Storage gradOutput, Storage input, Storage output, long n);

    /** out[i] = a[i] op b[i] for i in [0, n); out may be a or b. */
    void binary(BinaryOp op, Storage out, Storage a, Storage b, long n);

    /**
     * out[o, m, i] = a[o, m, i] op b[m], with a and out of {@code outer · mid · inner} elements
     * and b of {@code mid}: a bias over the columns of a matrix is (outer = rows, mid = cols,
     * inner = 1); a bias over the channels of an NCHW tensor is (N, C, H·W).
     */
    void broadcast(BinaryOp op, Storage out, Storage a, Storage b, int outer, int mid, int inner);

    /** out[i] = scale · in[i] + shift for i in [0, n); out may be in. */
    void affine(Storage out, Storage in, float scale, float shift, long n);

    /** y[i] += alpha · x[i] for i in [0, n) (accumulates into y). */
    void axpy(Storage y, float alpha, Storage x, long n);

    // ---------------------------------------------------------------- reductions

    /**
     * out[o, i] = sum over m of in[o, m, i], for in of {@code outer · mid · inner} elements:
     * the whole sum is (1, n, 1); a sum along one axis of a shape is (size before it, its size,
     * size after it). Sums in a fixed order so a seed gives the same bits every run.
     */
    void sum(Storage out, Storage in, int outer, int mid, int inner);

    // ---------------------------------------------------------------- losses

    /**
     * Fused, numerically stable softmax + cross-entropy, mean over the batch.
     * logits [n, classes], labels [n] (class indices stored as floats);
     * writes probs [n, classes] (softmax, kept for the backward) and loss [1] =
     * -(1/n) Σ_i log probs[i, labels[i]].
     */
    void softmaxCrossEntropy(Storage loss, Storage probs, Storage logits, Storage labels, int n, int classes);

    /** gradLogits[i, c] = gradLoss[0] · (probs[i, c] - [c == labels[i]]) / n. */
    void softmaxCrossEntropyBackward(Storage gradLogits, Storage probs, Storage labels, Storage gradLoss,
                                     int n, int classes);

    // ---------------------------------------------------------------- randomness

    /**
     * Inverted-dropout mask: mask[i] = 0 with probability p, else 1 / (1 - p), for i in [0, n).
     * The draw for element i is a pure function of (seed, i) ({@code backend.CounterRandom}), so
     * every backend makes the same mask from the same seed.
     */
    void dropoutMask(Storage mask, float p, long seed, long n);

    // ---------------------------------------------------------------- optimizer updates

    /**
     * One SGD step on n parameters, in place (PyTorch's form):
     * g = grad + weightDecay · param; velocity = momentum · velocity + g (skipped and velocity
     * may be null when momentum = 0); param -= lr · (momentum &gt; 0 ? velocity : g).
     */
    void sgdStep(Storage param, Storage grad, Storage velocity, float lr, float momentum, float weightDecay, long n);

    /**
     * One Adam step (Kingma and Ba 2015, Algorithm 1) on n parameters, in place, with L2 weight
     * decay added to the gradient: g = grad + weightDecay · param; m = b1·m + (1-b1)·g;
     * v = b2·v + (1-b2)·g²; param -= lr · (m / (1 - b1^step)) / (sqrt(v / (1 - b2^step)) + eps).
     * {@code step} counts from 1.
     */
    void adamStep(Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
                  float eps, float weightDecay, int step, long n);

    // ---------------------------------------------------------------- batch normalisation (issue 20)

    /**
     * Batch normalisation with the batch's own statistics (training mode; Ioffe and Szegedy 2015,
     * Algorithm 1) over x [batch, channels, spatial] (spatial = H·W), M = batch · spatial:
     * <pre>
     *   mean[c]     = (1/M) Σ_{n,s} x[n, c, s]
     *   variance[c] = (1/M) Σ_{n,s} (x[n, c, s] - mean[c])²        (biased, as PyTorch normalises)
     *   y[n, c, s]  = (x[n, c, s] - mean[c]) / sqrt(variance[c] + eps) · weight[c] + bias[c]
     * </pre>
     * Writes output, mean and variance ([channels] each). Each channel's sums run in a fixed order.
     */
    void batchNormTrainingForward(Storage output, Storage mean, Storage variance, Storage input, Storage weight,
                                  Storage bias, float eps, int batch, int channels, int spatial);

    /**
     * y[n, c, s] = (x[n, c, s] - mean[c]) / sqrt(variance[c] + eps) · weight[c] + bias[c] with given
     * statistics (evaluation mode: the running mean and variance); x [batch, channels, spatial].
     */
    void batchNormForward(Storage output, Storage input, Storage mean, Storage variance, Storage weight,
                          Storage bias, float eps, int batch, int channels, int spatial);

    /**
     * Gradients of batch normalisation, with invStd[c] = 1 / sqrt(variance[c] + eps),
     * xhat = (x - mean[c]) · invStd[c], dy = gradOutput, M = batch · spatial:
     * <pre>
     *   gradBias[c]   = Σ_{n,s} dy
     *   gradWeight[c] = Σ_{n,s} dy · xhat
     *   batchStatistics (mean and variance were the batch's, so they depend on x):
     *     gradInput = weight[c] · invStd[c] · (dy - gradBias[c] / M - xhat · gradWeight[c] / M)
     *   fixed statistics (evaluation mode):
     *     gradInput = weight[c] · invStd[c] · dy
     * </pre>
     * mean and variance are the ones the forward used. All three outputs are overwritten.
     */
    void batchNormBackward(Storage gradInput, Storage gradWeight, Storage gradBias, Storage gradOutput,
                           Storage input, Storage mean, Storage variance, Storage weight, float eps,
                           boolean batchStatistics, int batch, int channels, int spatial);

    // ---------------------------------------------------------------- adaptive pooling (issue 20)

    /**
     * output[n, c, i, j] = the mean of input[n, c, rowStart(i)..rowEnd(i) - 1, colStart(j)..colEnd(j) - 1]
     * (PyTorch's AdaptiveAvgPool2d; windows in {@link AdaptivePool2dGeometry}). Global average
     * pooling is the 1 × 1 output.
     */
    void adaptiveAvgPool2dForward(Storage output, Storage input, AdaptivePool2dGeometry g);

    /** gradInput = each window's gradOutput divided evenly over its positions; overlapping windows add. */
    void adaptiveAvgPool2dBackward(Storage gradInput, Storage gradOutput, AdaptivePool2dGeometry g);

    // ---------------------------------------------------------------- Hamming search

    /**
     * Copies n binary codes of {@code bits} bits to this device for exact Hamming search there. The codes are
     * word-major: word w of row i is the little-endian int64 at byte 8 (w n + i) of {@code columns} (an index
     * segment's layout). Empty where the device has no Hamming kernels: the CPU searches mapped codes in place with
     * the Vector API ({@code search.SegmentHammingKernels}), so the CPU backend returns empty.
     */
    default java.util.Optional<DeviceCodes> uploadCodes(int bits, java.lang.foreign.MemorySegment columns, int n) {
        return java.util.Optional.empty();
    }
}
