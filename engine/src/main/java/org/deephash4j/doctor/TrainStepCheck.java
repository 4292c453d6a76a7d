package org.deephash4j.doctor;

import java.util.Locale;
import org.deephash4j.backend.Backend;

/**
 * The kernels together: {@value #STEPS} training steps of {@link LeNetHashStep} at batch
 * {@value #BATCH} from one seed, whose losses must equal the CPU reference kernels' within
 * {@code 1e-5 · (1 + |loss|)} at every step (ClTrainingParityTest's tolerance for its first 100
 * steps, where it measured at most 5e-7 on PoCL). This catches what single-kernel cases miss:
 * kernels that disagree only in sequence, buffers reused between launches, state left behind.
 */
final class TrainStepCheck implements KernelCheck {
    static final int STEPS = 3;
    static final int BATCH = 8;
    static final double TOLERANCE = 1e-5;
    private static final long SEED = 2026;

    private float[] expected;
    private Backend expectedFrom;

    @Override
    public String kernel() {
        return "train step (LeNet, HashNet, Adam)";
    }

    @Override
    public synchronized CheckResult run(Backend device, Backend reference) {
        long start = System.nanoTime();
        String what = "train step batch " + BATCH + " seed " + SEED;
        try {
            if (expected == null || expectedFrom != reference) {
                expected = losses(reference);
                expectedFrom = reference;
            }
            float[] actual = losses(device);
            double maxDiff = 0;
            double worst = 0;
            String failure = null;
            int failed = 0;
            for (int s = 0; s < STEPS; s++) {
                double diff = Math.abs((double) actual[s] - expected[s]);
                double allowed = TOLERANCE * (1 + Math.abs(expected[s]));
                boolean ok = diff <= allowed;   // false for NaN
                maxDiff = Math.max(maxDiff, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
                worst = Math.max(worst, ok ? diff / allowed : Double.POSITIVE_INFINITY);
                if (!ok) failed++;
                if (!ok && failure == null) {
                    failure = String.format(Locale.ROOT, "%s: step %d loss %s vs reference %s (tolerance %.3g)",
                            what, s + 1, actual[s], expected[s], allowed);
                }
            }
            return new CheckResult(kernel(), STEPS, failed, maxDiff, worst, failure, seconds(start));
        } catch (RuntimeException | LinkageError e) {
            return new CheckResult(kernel(), STEPS, STEPS, Double.NaN, Double.NaN, what + ": threw " + e, seconds(start));
        }
    }

    private static float[] losses(Backend backend) {
        float[] losses = new float[STEPS];
        try (LeNetHashStep step = new LeNetHashStep(backend, BATCH, SEED)) {
            for (int s = 0; s < STEPS; s++) losses[s] = step.step();
        }
        return losses;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
