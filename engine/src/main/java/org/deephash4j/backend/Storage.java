package org.deephash4j.backend;

/**
 * float32 memory on one device, owned by the {@link Backend} that allocated it.
 *
 * <p>Kernels read and write storages; host arrays appear only in {@link Backend#copyIn} and
 * {@link Backend#copyOut}. A storage is released by {@link #close()}, explicitly (never by a
 * finalizer): on the CPU that drops the array, on OpenCL it releases the device buffer.
 * Closing twice is harmless; using a closed storage is an error.
 */
public interface Storage extends AutoCloseable {
    /** The backend that allocated this storage; its kernels are the only ones that may touch it. */
    Backend backend();

    /** Capacity in float32 elements. */
    long size();

    /** True once {@link #close()} has run. */
    boolean isClosed();

    @Override
    void close();
}
