package org.deephash4j.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.deephash4j.backend.Backend;

/**
 * A {@link KernelCheck} made of {@link ParityCase}s. The cases are built once, and each case's
 * reference result is computed once and kept, so examining several devices runs the slow scalar
 * reference only once. Every case runs even after a failure, so the result counts them all; the
 * failure it reports is the first.
 */
final class ParityCheck implements KernelCheck {
    private final String kernel;
    private final Supplier<List<ParityCase>> source;
    private List<ParityCase> cases;
    private final List<Object> expected = new ArrayList<>();    // per case: float[][] buffers, or the exception
    private Backend expectedFrom;

    ParityCheck(String kernel, Supplier<List<ParityCase>> source) {
        this.kernel = kernel;
        this.source = source;
    }

    @Override
    public String kernel() {
        return kernel;
    }

    @Override
    public synchronized CheckResult run(Backend device, Backend reference) {
        long start = System.nanoTime();
        if (cases == null) cases = List.copyOf(source.get());
        if (expectedFrom != reference) {
            expected.clear();
            expectedFrom = reference;
        }
        int failed = 0;
        double maxDiff = cases.isEmpty() ? Double.NaN : 0;
        double worst = 0;
        String failure = null;
        for (int c = 0; c < cases.size(); c++) {
            ParityCase pc = cases.get(c);
            if (expected.size() <= c) expected.add(referenceResult(pc, reference));
            Object want = expected.get(c);
            if (want instanceof RuntimeException e) {
                failed++;
                if (failure == null) failure = pc.what() + ": the reference kernels threw " + e;
                continue;
            }
            float[][] wantBuffers = (float[][]) want;
            try {
                float[][] got = pc.runOn(device);
                boolean caseFailed = false;
                for (int b = 0; b < wantBuffers.length; b++) {
                    Agreement agreement = Agreement.of(wantBuffers[b], got[b], pc.atol(), pc.rtol());
                    maxDiff = Math.max(maxDiff, agreement.maxDiff());
                    worst = Math.max(worst, agreement.worstShare());
                    if (!agreement.agrees() && !caseFailed) {
                        caseFailed = true;
                        if (failure == null) {
                            failure = pc.what() + " buffer " + b + ": " + agreement.describe(pc.atol(), pc.rtol());
                        }
                    }
                }
                if (caseFailed) failed++;
            } catch (RuntimeException | LinkageError e) {
                failed++;
                if (failure == null) failure = pc.what() + ": threw " + e;
            }
        }
        return new CheckResult(kernel, cases.size(), failed, maxDiff, worst, failure, (System.nanoTime() - start) / 1e9);
    }

    private static Object referenceResult(ParityCase pc, Backend reference) {
        try {
            return pc.runOn(reference);
        } catch (RuntimeException e) {
            return e;
        }
    }
}
