package org.deephash4j.opencl;

/**
 * The device could not give the memory asked for: the message says how many bytes were asked
 * for and what the device offers (largest single buffer, global memory).
 */
public final class ClOutOfMemoryException extends ClException {
    public ClOutOfMemoryException(String message, int status) {
        super(message, status);
    }
}
