package org.deephash4j.backend.cpu;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;

/**
 * CPU memory: a {@code float[]} owned by one {@link CpuBackend}.
 *
 * <p>Capacity is int-sized (a Java array). {@link #close()} drops the array so the garbage
 * collector can take it; {@link #array()} on a closed storage throws
 * {@link IllegalStateException}. Closing twice is harmless.
 */
public final class CpuStorage implements Storage {
    private final CpuBackend backend;
    private final int size;
    private float[] array;

    CpuStorage(CpuBackend backend, int size) {
        this.backend = backend;
        this.size = size;
        this.array = new float[size];
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

    @Override
    public void close() {
        array = null;
    }

    @Override
    public String toString() {
        return "CpuStorage[" + size + (array == null ? ", closed]" : "]");
    }
}
