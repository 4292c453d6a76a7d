package org.deephash4j.doctor;

import org.deephash4j.backend.Backend;

/**
 * A hot path the doctor times on every device: a fixed piece of work (a GEMM, a convolution
 * pass, a training step, a Hamming scan) whose rate users compare, in {@link #unit()}.
 * Two paths with the same {@link #name()} measure the same work, so a device's figure is
 * divided by the CPU vector kernels' figure of the path of that name.
 */
public interface HotPath {

    /** What is timed, with its size, e.g. {@code gemm 1024x1024x1024}. */
    String name();

    /** The unit of the rate, e.g. {@code GFLOP/s}, {@code images/s}, {@code Gcodes/s}. */
    String unit();

    /** False for a path this backend cannot run (the engine's Hamming scan runs only on the CPU). */
    default boolean runsOn(Backend backend) {
        return true;
    }

    /** Allocates and fills the inputs on {@code backend}; the workload's first run may compile kernels. */
    Workload prepare(Backend backend);

    /** The prepared work: {@link #run()} does one unit of it, {@link #finish()} waits until the device is done. */
    interface Workload extends AutoCloseable {

        /** How much one {@link #run()} does, in the path's unit times seconds (GFLOP, images, Gcodes). */
        double amountPerRun();

        /** Starts (or does) one run; may return before the device is done. */
        void run();

        /** Waits until every run so far has finished on the device. */
        void finish();

        @Override
        void close();
    }
}
