package org.deephash4j.opencl;

import static org.jocl.CL.clReleaseMemObject;

import org.jocl.cl_mem;

/**
 * Temporary device buffers the kernels need between two launches (row losses, partial sums,
 * overlapping copies), one per slot, grown on demand and kept for reuse. The queue is in
 * order, so a later launch never overwrites a slot an earlier one still reads.
 */
final class ClScratch implements AutoCloseable {
    static final int COPY = 0;
    static final int ROW_LOSS = 1;
    static final int PARTIAL_SUMS = 2;
    static final int CONV_COLUMNS = 3;
    static final int CONV_PRODUCT = 4;
    private static final int SLOTS = 5;

    private final OpenClBackend backend;
    private final cl_mem[] buffers = new cl_mem[SLOTS];
    private final long[] floats = new long[SLOTS];

    ClScratch(OpenClBackend backend) {
        this.backend = backend;
    }

    /** Slot {@code slot} holding at least {@code size} floats (contents undefined). */
    cl_mem get(int slot, long size) {
        if (buffers[slot] == null || floats[slot] < size) {
            if (buffers[slot] != null) clReleaseMemObject(buffers[slot]);
            buffers[slot] = null;
            long grown = Math.max(size, 2 * floats[slot]);
            buffers[slot] = backend.createBuffer(Math.max(grown, 1) * Float.BYTES, "scratch buffer");
            floats[slot] = grown;
        }
        return buffers[slot];
    }

    @Override
    public void close() {
        for (int i = 0; i < SLOTS; i++) {
            if (buffers[i] != null) clReleaseMemObject(buffers[i]);
            buffers[i] = null;
            floats[i] = 0;
        }
    }
}
