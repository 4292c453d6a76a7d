package org.deephash4j.tensor;

import java.util.Random;
import org.deephash4j.backend.Backend;

/**
 * Creates tensors: zeros, ones, from a host array, seeded normal and uniform draws.
 * Random tensors are drawn on the host with {@link java.util.Random} (its algorithm is fixed by
 * its specification) and copied in, so a seed gives the same values on every backend.
 */
public final class Tensors {
    private Tensors() {
    }

    public static Tensor zeros(Backend backend, int... dims) {
        Shape shape = Shape.of(dims);
        return new Tensor(backend.allocate(shape.size()), shape);
    }

    /**
     * A tensor whose contents are unspecified, for a kernel's output: the kernel overwrites every
     * element (see {@link Backend#allocateForOverwrite}). Read nothing from it before that.
     */
    public static Tensor forOverwrite(Backend backend, int... dims) {
        Shape shape = Shape.of(dims);
        return new Tensor(backend.allocateForOverwrite(shape.size()), shape);
    }

    public static Tensor ones(Backend backend, int... dims) {
        return full(backend, 1f, dims);
    }

    public static Tensor full(Backend backend, float value, int... dims) {
        Tensor t = zeros(backend, dims);
        backend.fill(t.storage(), value, t.size());
        return t;
    }

    /** A tensor holding a copy of {@code values} (row-major) with the given dimensions. */
    public static Tensor fromArray(Backend backend, float[] values, int... dims) {
        Shape shape = Shape.of(dims);
        if (shape.size() != values.length) {
            throw new IllegalArgumentException("fromArray: " + values.length + " values do not fill shape " + shape
                    + " (" + shape.size() + " elements)");
        }
        Tensor t = new Tensor(backend.allocate(shape.size()), shape);
        backend.copyIn(t.storage(), 0, values, 0, values.length);
        return t;
    }

    /** Normal(mean, std) entries from {@code seed}. */
    public static Tensor randn(Backend backend, long seed, float mean, float std, int... dims) {
        Random random = new Random(seed);
        float[] values = new float[checkedSize(dims)];
        for (int i = 0; i < values.length; i++) values[i] = mean + std * (float) random.nextGaussian();
        return fromArray(backend, values, dims);
    }

    /** Uniform [low, high) entries from {@code seed}. */
    public static Tensor rand(Backend backend, long seed, float low, float high, int... dims) {
        Random random = new Random(seed);
        float[] values = new float[checkedSize(dims)];
        for (int i = 0; i < values.length; i++) values[i] = low + (high - low) * random.nextFloat();
        return fromArray(backend, values, dims);
    }

    /** A copy of t on another backend (or the same). */
    public static Tensor copyTo(Tensor t, Backend backend) {
        return fromArray(backend, t.toArray(), t.shape().dims());
    }

    private static int checkedSize(int[] dims) {
        long n = Shape.of(dims).size();
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Shape.of(dims) + " is too large for a host array");
        return (int) n;
    }
}
