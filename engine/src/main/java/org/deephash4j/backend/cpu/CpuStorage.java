package org.deephash4j.backend.cpu;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;

/**
 * CPU memory: a {@code float[]} owned by one {@link CpuBackend}.
 *
 * <p>Capacity is int-sized (a Java array). {@link #close()} drops the array and gives it back to
 * the backend, which may hand it to a later storage of the same size ({@link ArrayPool});
 * {@link #array()} on a closed storage throws {@link IllegalStateException}. Closing twice is harmless.
 */
public final class CpuStorage implements Storage {
    private final CpuBackend backend;
    private final int size;
    private float[] array;

    /** Wraps a zeroed array of {@code backend}'s (from {@code CpuBackend.allocate}). */
    CpuStorage(CpuBackend backend, float[] array) {
        this.backend = backend;
        this.size = array.length;
        this.array = array;
    }

    /** The backing array (length {@link #size()}); for the CPU kernels, tests and benchmarks. */
    public float[] array() {
        float[] a = array;
        if (a == null) throw new IllegalStateException("CPU storage of " + size + " floats has been closed");
        return a;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isClosed() {
        return array == null;
    }

    /** Drops the array and gives it back to the backend for reuse; closing twice gives nothing back. */
    @Override
    public void close() {
        float[] a = array;
        array = null;
        if (a != null) {
            backend.recycle(a);
        }
    }

    @Override
    public String toString() {
        return "CpuStorage[" + size + (array == null ? ", closed]" : "]");
    }
}
