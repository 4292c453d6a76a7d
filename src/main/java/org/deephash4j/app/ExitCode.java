package org.deephash4j.app;

/** Exit codes of the deephash command; README lists them. */
public final class ExitCode {
    /** Finished as asked. */
    public static final int OK = 0;
    /** Failed for another reason (a bug, out of memory, an I/O error other than a bad file). */
    public static final int FAILURE = 1;
    /** Bad command line: unknown command or option, bad value, unknown method name. */
    public static final int USAGE = 2;
    /** Bad input file: missing, wrong format, truncated, wrong image size, checkpoint not matching. */
    public static final int BAD_INPUT = 3;
    /** Training stopped because a loss or gradient became NaN or infinite. */
    public static final int DIVERGED = 4;
    /** The requested device (backend) is not available. */
    public static final int DEVICE = 5;
    /** {@code deephash doctor}: a kernel check failed, or a hot path could not be timed, on some device. */
    public static final int CHECK_FAILED = 6;

    private ExitCode() {
    }
}
