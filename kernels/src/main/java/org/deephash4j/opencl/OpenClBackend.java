package org.deephash4j.opencl;

import static org.jocl.CL.*;

import java.util.Map;
import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.Storage;
import org.deephash4j.backend.UnaryOp;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * The engine's {@link Backend} on one OpenCL device, through JOCL.
 *
 * <p>One context and one in-order command queue per device: kernels run in the order they are
 * enqueued, so a whole training step stays on the device and nothing waits until the host asks
 * for data ({@link #copyOut} blocks until every earlier kernel is done; {@link #copyIn} blocks
 * until the host array has been read). Kernel sources are the {@code .cl} resources beside this
 * class, built once per context ({@link ClPrograms}); each op family has its launcher
 * ({@link ClGemm}, {@link ClConv2d}, {@link ClPool2d}, {@link ClElementwise}, {@link ClReduce},
 * {@link ClSoftmaxCrossEntropy}, {@link ClDropout}, {@link ClOptim}, {@link ClBatchNorm},
 * {@link ClAdaptiveAvgPool2d}). Storages are
 * {@link ClStorage} buffers released by {@code close()}. Calls are serialised on this object
 * (kernel arguments are per-kernel state), so sharing one backend between threads is safe but
 * not parallel.
 */
public final class OpenClBackend implements Backend, AutoCloseable {
    private final ClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClPrograms programs;
    private final ClScratch scratch;
    private final ClGemm gemm;
    private final ClConv2d conv2d;
    private final ClPool2d pool2d;
    private final ClElementwise elementwise;
    private final ClReduce reduce;
    private final ClSoftmaxCrossEntropy softmaxCrossEntropy;
    private final ClDropout dropout;
    private final ClOptim optim;
    private final ClBatchNorm batchNorm;
    private final ClAdaptiveAvgPool2d adaptivePool;
    private long liveBytes;
    private long copiesIn;
    private long copiesOut;
    private boolean closed;

    /** Opens a context and queue on {@code device}. */
    public OpenClBackend(ClDevice device) {
        this.device = device;
        cl_context_properties properties = new cl_context_properties();
        properties.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        int[] status = new int[1];
        context = JvmSignalHandlers.keep(
                () -> clCreateContext(properties, 1, new cl_device_id[] {device.device()}, null, null, status));
        ClException.check(status[0], "clCreateContext on " + device.describe());
        @SuppressWarnings("deprecation") // clCreateCommandQueue is the call every OpenCL 1.2 and 2.x/3.0 driver has
        cl_command_queue q = clCreateCommandQueue(context, device.device(), 0, status);
        queue = q;
        ClException.check(status[0], "clCreateCommandQueue on " + device.describe());
        programs = new ClPrograms(context, device.device());
        scratch = new ClScratch(this);
        gemm = new ClGemm(this);
        conv2d = new ClConv2d(this);
        pool2d = new ClPool2d(this);
        elementwise = new ClElementwise(this);
        reduce = new ClReduce(this);
        softmaxCrossEntropy = new ClSoftmaxCrossEntropy(this);
        dropout = new ClDropout(this);
        optim = new ClOptim(this);
        batchNorm = new ClBatchNorm(this);
        adaptivePool = new ClAdaptiveAvgPool2d(this);
    }

    @Override
    public String name() {
        return "opencl:" + device.index();
    }

    @Override
    public String deviceName() {
        return device.name() + " (" + device.shortPlatform() + ", " + device.type() + ")";
    }

    /**
     * The backend and device names, then what the driver says: platform and its version, OpenCL,
     * OpenCL C and driver versions, compute units and clock, memory sizes, work-group and
     * work-item limits, and the GEMM tile and convolution algorithm chosen for this device.
     */
    @Override
    public synchronized Map<String, String> deviceFacts() {
        return ClDeviceFacts.of(this);
    }

    /** The device this backend runs on. */
    public ClDevice device() {
        return device;
    }

    // ---------------------------------------------------------------- plumbing for the launchers

    /** A launch of kernel {@code name} from {@code file} built with {@code options}. */
    ClKernel kernel(String file, String options, String name) {
        return new ClKernel(queue, programs.kernel(file, options, name), name);
    }

    cl_command_queue queue() {
        return queue;
    }

    ClConv2d conv2d() {
        return conv2d;
    }

    ClGemm gemm() {
        return gemm;
    }

    ClPrograms programs() {
        return programs;
    }

    ClScratch scratch() {
        return scratch;
    }

    /** The buffer behind a storage of this backend; IllegalArgumentException for another backend's storage. */
    cl_mem mem(Storage storage, String op) {
        if (storage == null) throw new IllegalArgumentException(op + ": a storage argument is null");
        if (!(storage instanceof ClStorage cl) || cl.backend() != this) {
            throw new IllegalArgumentException(op + ": storage " + storage + " does not belong to " + name());
        }
        return cl.buffer();
    }

    /** A device buffer of {@code bytes} bytes; out-of-memory names the size asked for and the device's limits. */
    cl_mem createBuffer(long bytes, String purpose) {
        return createBuffer(bytes, purpose, CL_MEM_READ_WRITE);
    }

    /** As {@link #createBuffer(long, String)} with the access flags of the buffer's role (CL_MEM_READ_ONLY for inputs). */
    cl_mem createBuffer(long bytes, String purpose, long flags) {
        if (bytes > device.maxAllocBytes()) {
            throw outOfMemory(bytes, purpose, "larger than the device's largest buffer", CL_INVALID_BUFFER_SIZE);
        }
        int[] status = new int[1];
        cl_mem mem = clCreateBuffer(context, flags, bytes, null, status);
        if (status[0] != CL_SUCCESS) {
            if (status[0] == CL_MEM_OBJECT_ALLOCATION_FAILURE || status[0] == CL_OUT_OF_RESOURCES
                    || status[0] == CL_OUT_OF_HOST_MEMORY || status[0] == CL_INVALID_BUFFER_SIZE) {
                throw outOfMemory(bytes, purpose, "clCreateBuffer: " + ClException.statusName(status[0]), status[0]);
            }
            throw ClException.of(status[0], "clCreateBuffer " + bytes + " bytes for " + purpose);
        }
        return mem;
    }

    private ClOutOfMemoryException outOfMemory(long bytes, String purpose, String why, int status) {
        return new ClOutOfMemoryException("out of memory on " + device.describe() + ": " + purpose + " asked for "
                + bytes + " bytes (" + why + "; largest buffer " + device.maxAllocBytes() + " bytes, global memory "
                + device.globalMemBytes() + " bytes, " + liveBytes + " bytes held by live storages)", status);
    }

    synchronized void released(long floats) {
        liveBytes -= Math.max(floats, 1) * Float.BYTES;
    }

    /** Bytes held by storages not yet closed (tests check that a training step leaks nothing). */
    public synchronized long liveBytes() {
        return liveBytes;
    }

    /** Number of {@link #copyIn} calls so far (tests check that a training step copies only its batch in). */
    public synchronized long copiesIn() {
        return copiesIn;
    }

    /** Number of {@link #copyOut} calls so far (tests check that a training step reads back only its loss). */
    public synchronized long copiesOut() {
        return copiesOut;
    }

    /** Blocks until every enqueued kernel has finished (benchmarks time whole steps with it). */
    public synchronized void finish() {
        ClException.check(clFinish(queue), "clFinish on " + name());
    }

    // ---------------------------------------------------------------- memory

    @Override
    public synchronized Storage allocate(long size) {
        if (size < 0) throw new IllegalArgumentException("allocate: size " + size + " is negative");
        long bytes = Math.max(size, 1) * Float.BYTES;   // OpenCL has no empty buffers
        cl_mem mem = createBuffer(bytes, "allocate(" + size + " floats)");
        ClStorage storage = new ClStorage(this, mem, size);
        liveBytes += bytes;
        try {
            elementwise.fill(mem, 0, 0.0f, size);
        } catch (ClOutOfMemoryException e) {
            storage.close();
            throw outOfMemory(bytes, "allocate(" + size + " floats)", "first use failed: " + e.getMessage(), e.status());
        }
        return storage;
    }

    @Override
    public synchronized void copyIn(Storage dst, long dstOffset, float[] src, int srcOffset, int length) {
        copiesIn++;
        checkRange("copyIn", "dst", dst, dstOffset, length);
        checkArray("copyIn", src, srcOffset, length);
        if (length == 0) return;
        int status = clEnqueueWriteBuffer(queue, mem(dst, "copyIn"), CL_TRUE, dstOffset * Float.BYTES,
                (long) length * Float.BYTES, Pointer.to(src).withByteOffset((long) srcOffset * Float.BYTES), 0, null, null);
        if (status != CL_SUCCESS) {
            throw ClException.of(status, "clEnqueueWriteBuffer copyIn " + length + " floats at " + dstOffset);
        }
    }

    @Override
    public synchronized void copyOut(float[] dst, int dstOffset, Storage src, long srcOffset, int length) {
        copiesOut++;
        checkRange("copyOut", "src", src, srcOffset, length);
        checkArray("copyOut", dst, dstOffset, length);
        if (length == 0) return;
        int status = clEnqueueReadBuffer(queue, mem(src, "copyOut"), CL_TRUE, srcOffset * Float.BYTES,
                (long) length * Float.BYTES, Pointer.to(dst).withByteOffset((long) dstOffset * Float.BYTES), 0, null, null);
        if (status != CL_SUCCESS) {
            throw ClException.of(status, "clEnqueueReadBuffer copyOut " + length + " floats at " + srcOffset);
        }
    }

    @Override
    public synchronized void copy(Storage dst, long dstOffset, Storage src, long srcOffset, long length) {
        cl_mem d = mem(dst, "copy");
        cl_mem s = mem(src, "copy");
        checkRange("copy", "dst", dst, dstOffset, length);
        checkRange("copy", "src", src, srcOffset, length);
        if (length == 0) return;
        if (dst == src && dstOffset == srcOffset) return;
        if (dst == src && Math.abs(dstOffset - srcOffset) < length) {
            // OpenCL refuses overlapping copies (CL_MEM_COPY_OVERLAP): go through scratch memory.
            cl_mem tmp = scratch.get(ClScratch.COPY, length);
            enqueueCopy(s, srcOffset, tmp, 0, length);
            enqueueCopy(tmp, 0, d, dstOffset, length);
        } else {
            enqueueCopy(s, srcOffset, d, dstOffset, length);
        }
    }

    private static void checkRange(String op, String argument, Storage storage, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > storage.size()) {
            throw new IllegalArgumentException(op + ": " + argument + " range [" + offset + ", " + (offset + length)
                    + ") is outside its " + storage.size() + " floats");
        }
    }

    private static void checkArray(String op, float[] array, int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > array.length) {
            throw new IllegalArgumentException(op + ": host range [" + offset + ", " + ((long) offset + length)
                    + ") is outside the array of " + array.length + " floats");
        }
    }

    private void enqueueCopy(cl_mem src, long srcOffset, cl_mem dst, long dstOffset, long length) {
        int status = clEnqueueCopyBuffer(queue, src, dst, srcOffset * Float.BYTES, dstOffset * Float.BYTES,
                length * Float.BYTES, 0, null, null);
        if (status != CL_SUCCESS) {
            throw ClException.of(status, "clEnqueueCopyBuffer copy " + length + " floats");
        }
    }

    @Override
    public synchronized void fill(Storage out, float value, long n) {
        elementwise.fill(mem(out, "fill"), 0, value, n);
    }

    // ---------------------------------------------------------------- kernels

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  Storage a, long aOffset, Storage b, long bOffset, float beta, Storage c, long cOffset) {
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, b, bOffset, beta, c, cOffset);
    }

    @Override
    public synchronized void conv2dForward(Storage output, Storage input, Storage weight, Storage bias,
                                           Conv2dGeometry g) {
        conv2d.forward(output, input, weight, bias, g);
    }

    @Override
    public synchronized void conv2dBackwardData(Storage gradInput, Storage gradOutput, Storage weight,
                                                Conv2dGeometry g) {
        conv2d.backwardData(gradInput, gradOutput, weight, g);
    }

    @Override
    public synchronized void conv2dBackwardFilter(Storage gradWeight, Storage gradBias, Storage gradOutput,
                                                  Storage input, Conv2dGeometry g) {
        conv2d.backwardFilter(gradWeight, gradBias, gradOutput, input, g);
    }

    @Override
    public synchronized void maxPool2dForward(Storage output, Storage input, Pool2dGeometry g) {
        pool2d.maxForward(output, input, g);
    }

    @Override
    public synchronized void maxPool2dBackward(Storage gradInput, Storage gradOutput, Storage input, Storage output,
                                               Pool2dGeometry g) {
        pool2d.maxBackward(gradInput, gradOutput, input, output, g);
    }

    @Override
    public synchronized void avgPool2dForward(Storage output, Storage input, Pool2dGeometry g) {
        pool2d.avgForward(output, input, g);
    }

    @Override
    public synchronized void avgPool2dBackward(Storage gradInput, Storage gradOutput, Pool2dGeometry g) {
        pool2d.avgBackward(gradInput, gradOutput, g);
    }

    @Override
    public synchronized void unary(UnaryOp op, Storage out, Storage in, long n) {
        elementwise.unary(op, out, in, n);
    }

    @Override
    public synchronized void unaryBackward(UnaryOp op, Storage gradInput, Storage gradOutput, Storage input,
                                           Storage output, long n) {
        elementwise.unaryBackward(op, gradInput, gradOutput, input, output, n);
    }

    @Override
    public synchronized void binary(BinaryOp op, Storage out, Storage a, Storage b, long n) {
        elementwise.binary(op, out, a, b, n);
    }

    @Override
    public synchronized void broadcast(BinaryOp op, Storage out, Storage a, Storage b, int outer, int mid, int inner) {
        elementwise.broadcast(op, out, a, b, outer, mid, inner);
    }

    @Override
    public synchronized void affine(Storage out, Storage in, float scale, float shift, long n) {
        elementwise.affine(out, in, scale, shift, n);
    }

    @Override
    public synchronized void axpy(Storage y, float alpha, Storage x, long n) {
        elementwise.axpy(y, alpha, x, n);
    }

    @Override
    public synchronized void sum(Storage out, Storage in, int outer, int mid, int inner) {
        reduce.sum(out, in, outer, mid, inner);
    }

    @Override
    public synchronized void softmaxCrossEntropy(Storage loss, Storage probs, Storage logits, Storage labels, int n,
                                                 int classes) {
        softmaxCrossEntropy.forward(loss, probs, logits, labels, n, classes);
    }

    @Override
    public synchronized void softmaxCrossEntropyBackward(Storage gradLogits, Storage probs, Storage labels,
                                                         Storage gradLoss, int n, int classes) {
        softmaxCrossEntropy.backward(gradLogits, probs, labels, gradLoss, n, classes);
    }

    @Override
    public synchronized void dropoutMask(Storage mask, float p, long seed, long n) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropoutMask: p = " + p + ", expected 0 <= p < 1");
        }
        dropout.mask(mask, p, seed, n);
    }

    @Override
    public synchronized void sgdStep(Storage param, Storage grad, Storage velocity, float lr, float momentum,
                                     float weightDecay, long n) {
        if (momentum > 0f && velocity == null) {
            throw new IllegalArgumentException("sgdStep: momentum = " + momentum + " needs a velocity storage, got null");
        }
        optim.sgd(param, grad, velocity, lr, momentum, weightDecay, n);
    }

    @Override
    public synchronized void adamStep(Storage param, Storage grad, Storage m, Storage v, float lr, float beta1,
                                      float beta2, float eps, float weightDecay, int step, long n) {
        optim.adam(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, n);
    }

    // ---------------------------------------------------------------- batch normalisation and adaptive pooling (issue 20)

    @Override
    public synchronized void batchNormTrainingForward(Storage output, Storage mean, Storage variance, Storage input,
                                                      Storage weight, Storage bias, float eps, int batch, int channels,
                                                      int spatial) {
        batchNorm.trainingForward(output, mean, variance, input, weight, bias, eps, batch, channels, spatial);
    }

    @Override
    public synchronized void batchNormForward(Storage output, Storage input, Storage mean, Storage variance,
                                              Storage weight, Storage bias, float eps, int batch, int channels,
                                              int spatial) {
        batchNorm.forward(output, input, mean, variance, weight, bias, eps, batch, channels, spatial);
    }

    @Override
    public synchronized void batchNormBackward(Storage gradInput, Storage gradWeight, Storage gradBias,
                                               Storage gradOutput, Storage input, Storage mean, Storage variance,
                                               Storage weight, float eps, boolean batchStatistics, int batch,
                                               int channels, int spatial) {
        batchNorm.backward(gradInput, gradWeight, gradBias, gradOutput, input, mean, variance, weight, eps,
                batchStatistics, batch, channels, spatial);
    }

    @Override
    public synchronized void adaptiveAvgPool2dForward(Storage output, Storage input, AdaptivePool2dGeometry g) {
        adaptivePool.forward(output, input, g);
    }

    @Override
    public synchronized void adaptiveAvgPool2dBackward(Storage gradInput, Storage gradOutput, AdaptivePool2dGeometry g) {
        adaptivePool.backward(gradInput, gradOutput, g);
    }

    // ---------------------------------------------------------------- Hamming search

    /** The codes on this device ({@link ClDeviceCodes}, hamming_codes.cl), in chunks of the largest buffer. */
    @Override
    public java.util.Optional<org.deephash4j.backend.DeviceCodes> uploadCodes(int bits,
            java.lang.foreign.MemorySegment columns, int n) {
        return java.util.Optional.of(new ClDeviceCodes(this, bits, columns, n, device.maxAllocBytes()));
    }

    /** Releases the scratch buffers, programs, queue and context; storages must be closed first. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        scratch.close();
        programs.close();
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    @Override
    public String toString() {
        return name() + " " + deviceName();
    }
}
