package org.deephash4j.opencl;

import org.jocl.CL;

/**
 * An OpenCL call that failed: carries the call, the kernel (if any), the status name and
 * number ({@code CL_OUT_OF_RESOURCES (-5)}) and, for launches, the global and local sizes.
 * A failed program build carries the compiler's build log in the message.
 */
public class ClException extends RuntimeException {
    private final int status;

    public ClException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The OpenCL status code (negative), or 0 where the failure was found by the host code. */
    public int status() {
        return status;
    }

    /** {@code CL_OUT_OF_RESOURCES (-5)}. */
    static String statusName(int status) {
        return CL.stringFor_errorCode(status) + " (" + status + ")";
    }

    /** Throws unless {@code status} is CL_SUCCESS; {@code what} names the call and its subject. */
    static void check(int status, String what) {
        if (status != CL.CL_SUCCESS) {
            throw of(status, what);
        }
    }

    /** The exception for a failed call: an out-of-memory status becomes a {@link ClOutOfMemoryException}. */
    static ClException of(int status, String what) {
        String message = what + " failed: " + statusName(status);
        if (status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY) {
            return new ClOutOfMemoryException(message + " (out of memory on the device or host)", status);
        }
        return new ClException(message, status);
    }
}
