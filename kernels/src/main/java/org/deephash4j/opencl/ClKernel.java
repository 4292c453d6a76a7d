package org.deephash4j.opencl;

import static org.jocl.CL.*;

import java.util.Arrays;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One kernel launch being prepared: arguments in order, then {@link #run1} or {@link #run2}.
 * Global sizes are rounded up to a multiple of the local size (kernels bounds-check), and a
 * failed launch names the kernel, the status and the sizes.
 */
final class ClKernel {
    private final cl_command_queue queue;
    private final cl_kernel kernel;
    private final String name;
    private int index;

    ClKernel(cl_command_queue queue, cl_kernel kernel, String name) {
        this.queue = queue;
        this.kernel = kernel;
        this.name = name;
    }

    ClKernel arg(cl_mem mem) {
        return set(Sizeof.cl_mem, Pointer.to(mem));
    }

    ClKernel arg(int value) {
        return set(Sizeof.cl_int, Pointer.to(new int[] {value}));
    }

    ClKernel arg(long value) {
        return set(Sizeof.cl_long, Pointer.to(new long[] {value}));
    }

    ClKernel arg(float value) {
        return set(Sizeof.cl_float, Pointer.to(new float[] {value}));
    }

    /** A {@code __local} array of {@code bytes} bytes. */
    ClKernel local(long bytes) {
        return set(bytes, null);
    }

    private ClKernel set(long size, Pointer pointer) {
        int status = clSetKernelArg(kernel, index, size, pointer);
        if (status != CL_SUCCESS) {
            throw ClException.of(status, "clSetKernelArg " + name + " argument " + index);
        }
        index++;
        return this;
    }

    /** Launches over n work-items (nothing when n = 0) in groups of {@code local}. */
    void run1(long n, int local) {
        if (n <= 0) return;
        enqueue(new long[] {roundUp(n, local)}, new long[] {local});
    }

    /** Launches over an x × y grid (x fastest) in groups of localX × localY. */
    void run2(long x, long y, int localX, int localY) {
        if (x <= 0 || y <= 0) return;
        enqueue(new long[] {roundUp(x, localX), roundUp(y, localY)}, new long[] {localX, localY});
    }

    private void enqueue(long[] global, long[] local) {
        int status = clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        if (status != CL_SUCCESS) {
            throw ClException.of(status, "clEnqueueNDRangeKernel " + name + " global " + Arrays.toString(global)
                    + " local " + Arrays.toString(local));
        }
    }

    private static long roundUp(long n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
