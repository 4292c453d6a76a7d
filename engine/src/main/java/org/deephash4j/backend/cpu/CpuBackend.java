package org.deephash4j.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.Storage;
import org.deephash4j.backend.UnaryOp;

/**
 * The CPU backend: storages are {@code float[]} ({@link CpuStorage}) and every kernel runs one
 * {@link CpuKernels} set, the Vector API set or the scalar reference set
 * ({@link CpuKernelSets#best()} chooses; tests pass one to the constructor).
 *
 * <p>This class only unwraps storages and converts sizes: it checks that each storage was
 * allocated by this backend and is still open, and that long sizes and offsets fit a Java
 * array; the kernels do the work. {@code Backends.cpu()} opens it through {@link CpuBackendProvider}.
 * Closed storages give their arrays to an {@link ArrayPool}, from which {@link #allocate} takes
 * arrays of the same length again (zeroed), as a training step allocates the same tensors every step.
 */
public final class CpuBackend implements Backend {
    private final CpuKernels kernels;
    /** Arrays of closed storages, reused by {@link #allocate}. */
    private final ArrayPool arrays = new ArrayPool();

    /** A CPU backend with the best kernel set this JVM can run. */
    public CpuBackend() {
        this(CpuKernelSets.best());
    }

    /** A CPU backend running the given kernel set. */
    public CpuBackend(CpuKernels kernels) {
        if (kernels == null) throw new IllegalArgumentException("CpuBackend: kernels must not be null");
        this.kernels = kernels;
    }

    /** The kernel set every operation of this backend runs. */
    public CpuKernels kernels() {
        return kernels;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String deviceName() {
        return "CPU (" + Runtime.getRuntime().availableProcessors() + " threads), " + kernels.name() + " kernels";
    }

    /** The backend and device names, the processor, cores, threads, kernel set, vector width and Java version. */
    @Override
    public Map<String, String> deviceFacts() {
        Map<String, String> facts = Backend.super.deviceFacts();
        String model = processorModel();
        if (model != null) facts.put("processor", model);
        facts.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("threads", Integer.toString(CpuThreads.threads()));
        facts.put("kernel set", kernels.name());
        // VectorPeak is loaded only when the vector set runs, i.e. when the Vector API module is present.
        facts.put("vector width", kernels.name().equals("vector")
                ? VectorPeak.lanes() * Float.SIZE + " bits (" + VectorPeak.lanes() + " floats)" : "none (scalar kernels)");
        facts.put("java", Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return facts;
    }

    // The first "model name" of /proc/cpuinfo, or null where there is none (not Linux).
    private static String processorModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    @Override
    public String toString() {
        return name() + " \"" + deviceName() + "\"";
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Storage allocate(long size) {
        checkAllocation(size);
        return new CpuStorage(this, arrays.take((int) size, true));
    }

    /** As {@link #allocate}, but an array reused from a closed storage keeps its old contents. */
    @Override
    public Storage allocateForOverwrite(long size) {
        checkAllocation(size);
        return new CpuStorage(this, arrays.take((int) size, false));
    }

    private static void checkAllocation(long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("allocate: " + size + " floats; the CPU backend holds 0 to "
                    + (Integer.MAX_VALUE - 8) + " floats per storage (one Java array)");
        }
    }

    /** Called by a storage as it closes: its array may be handed out again, zeroed. */
    void recycle(float[] array) {
        arrays.give(array);
    }

    @Override
    public void copyIn(Storage dst, long dstOffset, float[] src, int srcOffset, int length) {
        float[] d = array("copyIn", "dst", dst);
        checkRange("copyIn", "src", src.length, srcOffset, length);
        checkRange("copyIn", "dst", d.length, dstOffset, length);
        System.arraycopy(src, srcOffset, d, (int) dstOffset, length);
    }

    @Override
    public void copyOut(float[] dst, int dstOffset, Storage src, long srcOffset, int length) {
        float[] s = array("copyOut", "src", src);
        checkRange("copyOut", "src", s.length, srcOffset, length);
        checkRange("copyOut", "dst", dst.length, dstOffset, length);
        System.arraycopy(s, (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void copy(Storage dst, long dstOffset, Storage src, long srcOffset, long length) {
        float[] d = array("copy", "dst", dst);
        float[] s = array("copy", "src", src);
        checkRange("copy", "src", s.length, srcOffset, length);
        checkRange("copy", "dst", d.length, dstOffset, length);
        System.arraycopy(s, (int) srcOffset, d, (int) dstOffset, (int) length);
    }

    @Override
    public void fill(Storage out, float value, long n) {
        float[] o = array("fill", "out", out);
        checkRange("fill", "out", o.length, 0, n);
        Arrays.fill(o, 0, (int) n, value);
    }

    // ---------------------------------------------------------------- matrix product

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, long aOffset,
                     Storage b, long bOffset, float beta, Storage c, long cOffset) {
        kernels.gemm(transA, transB, m, n, k, alpha, array("gemm", "A", a), offset("gemm", "A", aOffset),
                array("gemm", "B", b), offset("gemm", "B", bOffset), beta,
                array("gemm", "C", c), offset("gemm", "C", cOffset));
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2dForward(Storage output, Storage input, Storage weight, Storage bias, Conv2dGeometry g) {
        kernels.conv2dForward(array("conv2dForward", "output", output), array("conv2dForward", "input", input),
                array("conv2dForward", "weight", weight), bias == null ? null : array("conv2dForward", "bias", bias), g);
    }

    @Override
    public void conv2dBackwardData(Storage gradInput, Storage gradOutput, Storage weight, Conv2dGeometry g) {
        kernels.conv2dBackwardData(array("conv2dBackwardData", "gradInput", gradInput),
                array("conv2dBackwardData", "gradOutput", gradOutput), array("conv2dBackwardData", "weight", weight), g);
    }

    @Override
    public void conv2dBackwardFilter(Storage gradWeight, Storage gradBias, Storage gradOutput, Storage input,
                                     Conv2dGeometry g) {
        kernels.conv2dBackwardFilter(array("conv2dBackwardFilter", "gradWeight", gradWeight),
                gradBias == null ? null : array("conv2dBackwardFilter", "gradBias", gradBias),
                array("conv2dBackwardFilter", "gradOutput", gradOutput), array("conv2dBackwardFilter", "input", input), g);
    }

    // ---------------------------------------------------------------- pooling

    @Override
    public void maxPool2dForward(Storage output, Storage input, Pool2dGeometry g) {
        kernels.maxPool2dForward(array("maxPool2dForward", "output", output), array("maxPool2dForward", "input", input), g);
    }

    @Override
    public void maxPool2dBackward(Storage gradInput, Storage gradOutput, Storage input, Storage output,
                                  Pool2dGeometry g) {
        kernels.maxPool2dBackward(array("maxPool2dBackward", "gradInput", gradInput),
                array("maxPool2dBackward", "gradOutput", gradOutput), array("maxPool2dBackward", "input", input),
                array("maxPool2dBackward", "output", output), g);
    }

    @Override
    public void avgPool2dForward(Storage output, Storage input, Pool2dGeometry g) {
        kernels.avgPool2dForward(array("avgPool2dForward", "output", output), array("avgPool2dForward", "input", input), g);
    }

    @Override
    public void avgPool2dBackward(Storage gradInput, Storage gradOutput, Pool2dGeometry g) {
        kernels.avgPool2dBackward(array("avgPool2dBackward", "gradInput", gradInput),
                array("avgPool2dBackward", "gradOutput", gradOutput), g);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(UnaryOp op, Storage out, Storage in, long n) {
        kernels.unary(op, array("unary", "out", out), array("unary", "in", in), count("unary", n));
    }

    /** input or output may be null when the op's derivative does not read it (see {@link UnaryOp}). */
    @Override
    public void unaryBackward(UnaryOp op, Storage gradInput, Storage gradOutput, Storage input, Storage output, long n) {
        kernels.unaryBackward(op, array("unaryBackward", "gradInput", gradInput),
                array("unaryBackward", "gradOutput", gradOutput),
                input == null ? null : array("unaryBackward", "input", input),
                output == null ? null : array("unaryBackward", "output", output), count("unaryBackward", n));
    }

    @Override
    public void binary(BinaryOp op, Storage out, Storage a, Storage b, long n) {
        kernels.binary(op, array("binary", "out", out), array("binary", "a", a), array("binary", "b", b),
                count("binary", n));
    }

    @Override
    public void broadcast(BinaryOp op, Storage out, Storage a, Storage b, int outer, int mid, int inner) {
        kernels.broadcast(op, array("broadcast", "out", out), array("broadcast", "a", a), array("broadcast", "b", b),
                outer, mid, inner);
    }

    @Override
    public void affine(Storage out, Storage in, float scale, float shift, long n) {
        kernels.affine(array("affine", "out", out), array("affine", "in", in), scale, shift, count("affine", n));
    }

    @Override
    public void axpy(Storage y, float alpha, Storage x, long n) {
        kernels.axpy(array("axpy", "y", y), alpha, array("axpy", "x", x), count("axpy", n));
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void sum(Storage out, Storage in, int outer, int mid, int inner) {
        kernels.sum(array("sum", "out", out), array("sum", "in", in), outer, mid, inner);
    }

    // ---------------------------------------------------------------- losses

    @Override
    public void softmaxCrossEntropy(Storage loss, Storage probs, Storage logits, Storage labels, int n, int classes) {
        String op = "softmaxCrossEntropy";
        kernels.softmaxCrossEntropy(array(op, "loss", loss), array(op, "probs", probs), array(op, "logits", logits),
                array(op, "labels", labels), n, classes);
    }

    @Override
    public void softmaxCrossEntropyBackward(Storage gradLogits, Storage probs, Storage labels, Storage gradLoss,
                                            int n, int classes) {
        String op = "softmaxCrossEntropyBackward";
        kernels.softmaxCrossEntropyBackward(array(op, "gradLogits", gradLogits), array(op, "probs", probs),
                array(op, "labels", labels), array(op, "gradLoss", gradLoss), n, classes);
    }

    // ---------------------------------------------------------------- randomness

    /**
     * mask[i] = 0 if {@code CounterRandom.uniform(seed, i) < p}, else {@code 1f / (1f - p)}
     * (float32 division, as every backend computes it); p must be in [0, 1).
     */
    @Override
    public void dropoutMask(Storage mask, float p, long seed, long n) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropoutMask: p = " + p + ", expected 0 <= p < 1");
        }
        float[] out = array("dropoutMask", "mask", mask);
        int count = count("dropoutMask", n);
        float keep = 1f / (1f - p);
        for (int i = 0; i < count; i++) out[i] = CounterRandom.uniform(seed, i) < p ? 0f : keep;
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void sgdStep(Storage param, Storage grad, Storage velocity, float lr, float momentum, float weightDecay,
                        long n) {
        if (momentum > 0f && velocity == null) {
            throw new IllegalArgumentException("sgdStep: momentum = " + momentum + " needs a velocity storage, got null");
        }
        kernels.sgdStep(array("sgdStep", "param", param), array("sgdStep", "grad", grad),
                velocity == null ? null : array("sgdStep", "velocity", velocity), lr, momentum, weightDecay,
                count("sgdStep", n));
    }

    @Override
    public void adamStep(Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
                         float eps, float weightDecay, int step, long n) {
        kernels.adamStep(array("adamStep", "param", param), array("adamStep", "grad", grad),
                array("adamStep", "m", m), array("adamStep", "v", v), lr, beta1, beta2, eps, weightDecay, step,
                count("adamStep", n));
    }

    // ---------------------------------------------------------------- unwrapping

    /**
     * The array behind a storage of this backend; IllegalArgumentException if it belongs to
     * another backend (or is null), IllegalStateException if it has been closed.
     */
    float[] array(String op, String argument, Storage storage) {
        if (storage == null) throw new IllegalArgumentException(op + ": " + argument + " is null");
        if (storage.backend() != this || !(storage instanceof CpuStorage cpu)) {
            Backend other = storage.backend();
            String owner = other == null ? "no backend" : other.name() + " \"" + other.deviceName() + "\""
                    + (other instanceof CpuBackend ? " (another CpuBackend instance)" : "");
            throw new IllegalArgumentException(op + ": " + argument + " belongs to backend " + owner
                    + ", not to this backend " + this + "; copy it to this backend first");
        }
        if (cpu.isClosed()) {
            throw new IllegalStateException(op + ": " + argument + " (" + cpu.size() + " floats) has been closed");
        }
        return cpu.array();
    }

    private static int offset(String op, String argument, long offset) {
        if (offset < 0 || offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": offset of " + argument + " = " + offset
                    + ", expected 0 to " + Integer.MAX_VALUE + " on the CPU backend");
        }
        return (int) offset;
    }

    private static int count(String op, long n) {
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": n = " + n + ", expected 0 to " + Integer.MAX_VALUE
                    + " on the CPU backend");
        }
        return (int) n;
    }

    private static void checkRange(String op, String argument, int capacity, long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > capacity) {
            throw new IllegalArgumentException(op + ": " + argument + " range [" + offset + ", " + (offset + length)
                    + ") is outside its " + capacity + " floats");
        }
    }

    // ---------------------------------------------------------------- batch normalisation and adaptive pooling (issue 20)

    @Override
    public void batchNormTrainingForward(Storage output, Storage mean, Storage variance, Storage input, Storage weight,
                                         Storage bias, float eps, int batch, int channels, int spatial) {
        String op = "batchNormTrainingForward";
        kernels.batchNormTrainingForward(array(op, "output", output), array(op, "mean", mean),
                array(op, "variance", variance), array(op, "input", input), array(op, "weight", weight),
                array(op, "bias", bias), eps, batch, channels, spatial);
    }

    @Override
    public void batchNormForward(Storage output, Storage input, Storage mean, Storage variance, Storage weight,
                                 Storage bias, float eps, int batch, int channels, int spatial) {
        String op = "batchNormForward";
        kernels.batchNormForward(array(op, "output", output), array(op, "input", input), array(op, "mean", mean),
                array(op, "variance", variance), array(op, "weight", weight), array(op, "bias", bias), eps,
                batch, channels, spatial);
    }

    @Override
    public void batchNormBackward(Storage gradInput, Storage gradWeight, Storage gradBias, Storage gradOutput,
                                  Storage input, Storage mean, Storage variance, Storage weight, float eps,
                                  boolean batchStatistics, int batch, int channels, int spatial) {
        String op = "batchNormBackward";
        kernels.batchNormBackward(array(op, "gradInput", gradInput), array(op, "gradWeight", gradWeight),
                array(op, "gradBias", gradBias), array(op, "gradOutput", gradOutput), array(op, "input", input),
                array(op, "mean", mean), array(op, "variance", variance), array(op, "weight", weight), eps,
                batchStatistics, batch, channels, spatial);
    }

    @Override
    public void adaptiveAvgPool2dForward(Storage output, Storage input, AdaptivePool2dGeometry g) {
        kernels.adaptiveAvgPool2dForward(array("adaptiveAvgPool2dForward", "output", output),
                array("adaptiveAvgPool2dForward", "input", input), g);
    }

    @Override
    public void adaptiveAvgPool2dBackward(Storage gradInput, Storage gradOutput, AdaptivePool2dGeometry g) {
        kernels.adaptiveAvgPool2dBackward(array("adaptiveAvgPool2dBackward", "gradInput", gradInput),
                array("adaptiveAvgPool2dBackward", "gradOutput", gradOutput), g);
    }
}
