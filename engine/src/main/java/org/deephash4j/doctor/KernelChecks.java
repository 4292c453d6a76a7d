package org.deephash4j.doctor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The kernel checks {@code deephash doctor} runs on every device: one entry per {@link
 * org.deephash4j.backend.Backend} kernel, each a list of seeded cases at awkward sizes (1, odd
 * sizes, primes, 4/8/16 floats ± 1 for the vector widths, 64 ± 1 for the usual work-group size,
 * 509, and one large case) with the tolerance of that kernel's parity tests (the looser of the
 * CPU and OpenCL suites, so one table holds for every device). A new kernel is one more entry in
 * {@link #all()}; devices with kernels outside the Backend interface add theirs through
 * {@link DoctorCheckProvider}.
 */
public final class KernelChecks {
    /** Sizes that leave a tail for any vector width (4, 8, 16 floats) or work-group size (64). */
    static final int[] AWKWARD = {1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 61, 63, 64, 65, 127, 509};
    /** The large case of the element-wise kernels: a prime above 100,000. */
    static final int LARGE = 100_003;

    private KernelChecks() {
    }

    /** Fresh checks (each keeps its reference results, so one list serves several devices). */
    public static List<KernelCheck> all() {
        return List.of(
                KernelCheck.parity("copy", PointwiseCases::copy),
                KernelCheck.parity("fill", PointwiseCases::fill),
                KernelCheck.parity("gemm", MatrixCases::gemm),
                KernelCheck.parity("conv2dForward", MatrixCases::conv2dForward),
                KernelCheck.parity("conv2dBackwardData", MatrixCases::conv2dBackwardData),
                KernelCheck.parity("conv2dBackwardFilter", MatrixCases::conv2dBackwardFilter),
                KernelCheck.parity("maxPool2dForward", MatrixCases::maxPool2dForward),
                KernelCheck.parity("maxPool2dBackward", MatrixCases::maxPool2dBackward),
                KernelCheck.parity("avgPool2dForward", MatrixCases::avgPool2dForward),
                KernelCheck.parity("avgPool2dBackward", MatrixCases::avgPool2dBackward),
                KernelCheck.parity("unary", PointwiseCases::unary),
                KernelCheck.parity("unaryBackward", PointwiseCases::unaryBackward),
                KernelCheck.parity("binary", PointwiseCases::binary),
                KernelCheck.parity("broadcast", PointwiseCases::broadcast),
                KernelCheck.parity("affine", PointwiseCases::affine),
                KernelCheck.parity("axpy", PointwiseCases::axpy),
                KernelCheck.parity("sum", PointwiseCases::sum),
                KernelCheck.parity("softmaxCrossEntropy", PointwiseCases::softmaxCrossEntropy),
                KernelCheck.parity("softmaxCrossEntropyBackward", PointwiseCases::softmaxCrossEntropyBackward),
                KernelCheck.parity("dropoutMask", PointwiseCases::dropoutMask),
                KernelCheck.parity("sgdStep", PointwiseCases::sgdStep),
                KernelCheck.parity("adamStep", PointwiseCases::adamStep),
                KernelCheck.parity("batchNormTrainingForward", NormalizationCases::batchNormTrainingForward),
                KernelCheck.parity("batchNormForward", NormalizationCases::batchNormForward),
                KernelCheck.parity("batchNormBackward", NormalizationCases::batchNormBackward),
                KernelCheck.parity("adaptiveAvgPool2dForward", NormalizationCases::adaptiveAvgPool2dForward),
                KernelCheck.parity("adaptiveAvgPool2dBackward", NormalizationCases::adaptiveAvgPool2dBackward),
                new TrainStepCheck());
    }

    /** n floats uniform in [lo, hi) from {@code seed}. */
    static float[] random(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * (float) r.nextDouble();
        return x;
    }

    /** n floats uniform in [-1, 1) from {@code seed}. */
    static float[] random(long seed, int n) {
        return random(seed, n, -1f, 1f);
    }
}
