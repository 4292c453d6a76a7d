package org.deephash4j.opencl;

import static org.jocl.CL.clReleaseMemObject;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;
import org.jocl.cl_mem;

/**
 * float32 memory in one OpenCL buffer, owned by the {@link OpenClBackend} that allocated it.
 * Released by {@link #close()} (never by a finalizer); closing twice is harmless.
 */
public final class ClStorage implements Storage {
    private final OpenClBackend backend;
    private final long size;
    private cl_mem buffer;

    ClStorage(OpenClBackend backend, cl_mem buffer, long size) {
        this.backend = backend;
        this.buffer = buffer;
        this.size = size;
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
        return buffer == null;
    }

    /** The device buffer; IllegalStateException once closed. */
    cl_mem buffer() {
        if (buffer == null) throw new IllegalStateException("OpenCL storage of " + size + " floats has been closed");
        return buffer;
    }

    @Override
    public void close() {
        if (buffer != null) {
            clReleaseMemObject(buffer);
            buffer = null;
            backend.released(size);
        }
    }

    @Override
    public String toString() {
        return "ClStorage[" + size + " floats on " + backend.name() + (buffer == null ? ", closed]" : "]");
    }
}
