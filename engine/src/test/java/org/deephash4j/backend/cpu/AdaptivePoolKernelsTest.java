package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * VectorAdaptiveAvgPool2d against the reference, forward and backward: global pooling of planes
 * of every awkward size, uniform pooling (AlexNet's 12 x 12 to 6 x 6), the identity, repetition
 * (1 x 1 and 2 x 2 to 6 x 6, AlexNet at 63 to 127 pixels), overlapping windows (7 x 5 to 3 x 2)
 * and one large case (ResNet-18's last map at 224 x 224, batch 32).
 */
class AdaptivePoolKernelsTest {
    private final CpuKernels reference = new ReferenceKernels();
    private final CpuKernels vector = new VectorKernels();

    static List<AdaptivePool2dGeometry> geometries() {
        List<AdaptivePool2dGeometry> list = new ArrayList<>();
        for (int s : KernelParity.awkwardSizes()) list.add(new AdaptivePool2dGeometry(2, 3, s, 1, 1, 1));
        list.add(new AdaptivePool2dGeometry(2, 3, 7, 7, 1, 1));
        list.add(new AdaptivePool2dGeometry(1, 2, KernelParity.LANES + 1, KernelParity.LANES - 1, 1, 1));
        list.add(new AdaptivePool2dGeometry(2, 4, 12, 12, 6, 6));
        list.add(new AdaptivePool2dGeometry(2, 4, 6, 6, 6, 6));
        list.add(new AdaptivePool2dGeometry(2, 4, 1, 1, 6, 6));
        list.add(new AdaptivePool2dGeometry(2, 4, 2, 3, 6, 6));
        list.add(new AdaptivePool2dGeometry(3, 2, 7, 5, 3, 2));
        list.add(new AdaptivePool2dGeometry(1, 1, 13, 61, 5, 7));
        list.add(new AdaptivePool2dGeometry(32, 512, 7, 7, 1, 1));
        return list;
    }

    @Test
    void forwardAndBackwardAgree() {
        Random random = new Random(81L);
        for (AdaptivePool2dGeometry g : geometries()) {
            int in = (int) g.inputSize(), out = (int) g.outputSize();
            float[] x = KernelParity.uniform(random, in, -1, 1);
            float[] expected = new float[out];
            float[] actual = KernelParity.uniform(random, out, -9, 9);
            reference.adaptiveAvgPool2dForward(expected, x, g);
            vector.adaptiveAvgPool2dForward(actual, x, g);
            KernelParity.assertClose("VectorAdaptiveAvgPool2d forward " + g, expected, actual, 1e-6, 1e-5);

            float[] dy = KernelParity.uniform(random, out, -1, 1);
            float[] expectedGrad = new float[in];
            float[] actualGrad = KernelParity.uniform(random, in, -9, 9);
            reference.adaptiveAvgPool2dBackward(expectedGrad, dy, g);
            vector.adaptiveAvgPool2dBackward(actualGrad, dy, g);
            KernelParity.assertClose("VectorAdaptiveAvgPool2d backward " + g, expectedGrad, actualGrad, 1e-6, 1e-6);
        }
    }

    @Test
    void plantedBugFailsTheCheck() {
        // A global pooling that drops the last position of each plane (a skipped tail) must fail.
        AdaptivePool2dGeometry g = new AdaptivePool2dGeometry(2, 3, KernelParity.LANES + 1, 1, 1, 1);
        Random random = new Random(82L);
        float[] x = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
        float[] truncated = x.clone();
        for (int plane = 0; plane < 6; plane++) truncated[plane * g.inHeight() + g.inHeight() - 1] = 0f;
        float[] expected = new float[6];
        float[] broken = new float[6];
        reference.adaptiveAvgPool2dForward(expected, x, g);
        vector.adaptiveAvgPool2dForward(broken, truncated, g);
        assertThrows(AssertionError.class, () -> KernelParity.assertClose("planted", expected, broken, 1e-6, 1e-5));
    }
}
