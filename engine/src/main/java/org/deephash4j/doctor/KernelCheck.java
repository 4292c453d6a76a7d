package org.deephash4j.doctor;

import java.util.List;
import java.util.function.Supplier;
import org.deephash4j.backend.Backend;

/**
 * One kernel of a device checked against the CPU reference kernels. Most checks are
 * {@link #parity parity checks}: a list of {@link ParityCase}s run on both backends and
 * compared buffer by buffer; a kernel outside the {@link Backend} interface (OpenCL's Hamming
 * search) implements {@link #run} itself.
 */
public interface KernelCheck {

    /** The kernel's name as the report prints it, e.g. {@code conv2dBackwardFilter}. */
    String kernel();

    /** Runs the check on {@code device}; {@code reference} is a CPU backend running the scalar reference kernels. */
    CheckResult run(Backend device, Backend reference);

    /** A check that runs {@code cases} (built on first use) on the device and on the reference. */
    static KernelCheck parity(String kernel, Supplier<List<ParityCase>> cases) {
        return new ParityCheck(kernel, cases);
    }
}
