package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;
import org.jocl.cl_mem;

/**
 * Launches {@code reduce.cl}: out[o, i] = Σ_m in[o, m, i]. With many outputs, one work-item per
 * output sums its axis in order. With few outputs and a long axis (the whole sum), partial sums
 * over fixed chunks of {@link #CHUNK} run in parallel first, then the chunks are summed in
 * order: the order depends only on the sizes, so the bits do not change from run to run.
 */
final class ClReduce {
    static final int CHUNK = 1024;
    private static final String OPTIONS = "-DCHUNK=" + CHUNK;
    private static final int FEW_OUTPUTS = 256;   // below this many outputs a one-pass sum leaves the device idle

    private final OpenClBackend backend;

    ClReduce(OpenClBackend backend) {
        this.backend = backend;
    }

    void sum(Storage out, Storage in, int outer, int mid, int inner) {
        long outputs = (long) outer * inner;
        cl_mem o = backend.mem(out, "sum");
        cl_mem src = backend.mem(in, "sum");
        if (outputs < FEW_OUTPUTS && mid > 2 * CHUNK) {
            int chunks = (mid + CHUNK - 1) / CHUNK;
            cl_mem partial = backend.scratch().get(ClScratch.PARTIAL_SUMS, outputs * chunks);
            backend.kernel("reduce.cl", OPTIONS, "sum_chunks").arg(partial).arg(src).arg(outer).arg(mid).arg(inner)
                    .arg(chunks).run1(outputs * chunks, ClElementwise.LOCAL);
            backend.kernel("reduce.cl", OPTIONS, "sum_axis").arg(o).arg(partial).arg(outer).arg(chunks).arg(inner)
                    .run1(outputs, ClElementwise.LOCAL);
        } else {
            backend.kernel("reduce.cl", OPTIONS, "sum_axis").arg(o).arg(src).arg(outer).arg(mid).arg(inner)
                    .run1(outputs, ClElementwise.LOCAL);
        }
    }
}
