package org.deephash4j.doctor;

import static org.deephash4j.doctor.KernelChecks.random;

import java.util.ArrayList;
import java.util.List;
import org.deephash4j.backend.AdaptivePool2dGeometry;

/**
 * The doctor's cases for batch normalisation and adaptive average pooling (see {@link KernelChecks}),
 * at the tolerances of BatchNormKernelsTest and AdaptivePoolKernelsTest: a per-channel sum over
 * M = batch · spatial elements gets {@code atol = 1e-6 + 1e-8 · M}.
 */
final class NormalizationCases {
    /** {batch, channels, spatial}: one element, odd and prime sizes, lanes ± 1, a ResNet-like map. */
    private static final int[][] BATCH_NORM = {
        {1, 1, 1}, {2, 3, 5}, {3, 7, 15}, {1, 17, 17}, {4, 5, 49}, {5, 2, 63}, {2, 13, 127}, {3, 64, 65}, {8, 64, 196},
    };

    private static final AdaptivePool2dGeometry[] ADAPTIVE = {
        new AdaptivePool2dGeometry(1, 1, 1, 1, 1, 1),
        new AdaptivePool2dGeometry(2, 3, 7, 5, 1, 1),         // global average pooling
        new AdaptivePool2dGeometry(3, 2, 13, 11, 6, 6),       // uneven windows that overlap
        new AdaptivePool2dGeometry(2, 5, 6, 6, 6, 6),         // identity
        new AdaptivePool2dGeometry(1, 4, 1, 1, 6, 6),         // one pixel spread over 6 x 6 (AlexNet at 64 x 64)
        new AdaptivePool2dGeometry(4, 17, 7, 7, 1, 1),        // ResNet-18's last map at 224 x 224
        new AdaptivePool2dGeometry(8, 64, 28, 28, 3, 5),
    };

    private NormalizationCases() {
    }

    private static double sumAtol(int[] s) {
        return 1e-6 + 1e-8 * s[0] * s[2];
    }

    static List<ParityCase> batchNormTrainingForward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 800;
        for (int[] s : BATCH_NORM) {
            int n = s[0], c = s[1], sp = s[2];
            float[][] buffers = {new float[n * c * sp], new float[c], new float[c], random(seed, n * c * sp, -3f, 5f),
                random(seed + 1, c, 0.5f, 1.5f), random(seed + 2, c)};
            cases.add(new ParityCase("batchNormTrainingForward batch=" + n + " channels=" + c + " spatial=" + sp, buffers,
                    (b, st) -> b.batchNormTrainingForward(st[0], st[1], st[2], st[3], st[4], st[5], 1e-5f, n, c, sp),
                    1e-5, 1e-5));
            seed += 3;
        }
        return cases;
    }

    static List<ParityCase> batchNormForward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 850;
        for (int[] s : BATCH_NORM) {
            int n = s[0], c = s[1], sp = s[2];
            float[][] buffers = {new float[n * c * sp], random(seed, n * c * sp, -3f, 5f), random(seed + 1, c),
                random(seed + 2, c, 0.1f, 2f), random(seed + 3, c, 0.5f, 1.5f), random(seed + 4, c)};
            cases.add(new ParityCase("batchNormForward batch=" + n + " channels=" + c + " spatial=" + sp, buffers,
                    (b, st) -> b.batchNormForward(st[0], st[1], st[2], st[3], st[4], st[5], 1e-5f, n, c, sp), 1e-6, 1e-6));
            seed += 5;
        }
        return cases;
    }

    static List<ParityCase> batchNormBackward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 900;
        for (int[] s : BATCH_NORM) {
            int n = s[0], c = s[1], sp = s[2];
            for (boolean batchStatistics : new boolean[] {true, false}) {
                float[][] buffers = {new float[n * c * sp], new float[c], new float[c], random(seed, n * c * sp),
                    random(seed + 1, n * c * sp, -3f, 5f), random(seed + 2, c), random(seed + 3, c, 0.1f, 2f),
                    random(seed + 4, c, 0.5f, 1.5f)};
                cases.add(new ParityCase("batchNormBackward " + (batchStatistics ? "batch statistics" : "fixed statistics")
                        + " batch=" + n + " channels=" + c + " spatial=" + sp, buffers,
                        (b, st) -> b.batchNormBackward(st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7], 1e-5f,
                                batchStatistics, n, c, sp),
                        Math.max(2e-6, sumAtol(s)), 1e-5));
                seed += 5;
            }
        }
        return cases;
    }

    static List<ParityCase> adaptiveAvgPool2dForward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 1000;
        for (AdaptivePool2dGeometry g : ADAPTIVE) {
            int in = g.batch() * g.channels() * g.inHeight() * g.inWidth();
            int out = g.batch() * g.channels() * g.outHeight() * g.outWidth();
            float[][] buffers = {new float[out], random(seed++, in)};
            cases.add(new ParityCase("adaptiveAvgPool2dForward " + g, buffers,
                    (b, st) -> b.adaptiveAvgPool2dForward(st[0], st[1], g), 1e-6, 1e-5));
        }
        return cases;
    }

    static List<ParityCase> adaptiveAvgPool2dBackward() {
        List<ParityCase> cases = new ArrayList<>();
        long seed = 1100;
        for (AdaptivePool2dGeometry g : ADAPTIVE) {
            int in = g.batch() * g.channels() * g.inHeight() * g.inWidth();
            int out = g.batch() * g.channels() * g.outHeight() * g.outWidth();
            float[][] buffers = {random(seed, in), random(seed + 1, out)};
            cases.add(new ParityCase("adaptiveAvgPool2dBackward " + g, buffers,
                    (b, st) -> b.adaptiveAvgPool2dBackward(st[0], st[1], g), 1e-6, 1e-6));
            seed += 2;
        }
        return cases;
    }
}
