package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * adaptive_avg_pool2d.cl against the CPU reference: global pooling (plane sizes 1, odd, prime,
 * 7 x 7), uniform pooling (12 x 12 to 6 x 6), the identity, repetition (1 x 1 and 2 x 3 to
 * 6 x 6) and overlapping windows, forward and backward, within 1e-6.
 */
class ClAdaptiveAvgPool2dTest {
    private static final AdaptivePool2dGeometry[] GEOMETRIES = {
        new AdaptivePool2dGeometry(2, 3, 1, 1, 1, 1),
        new AdaptivePool2dGeometry(2, 3, 13, 1, 1, 1),
        new AdaptivePool2dGeometry(2, 3, 509, 1, 1, 1),
        new AdaptivePool2dGeometry(4, 8, 7, 7, 1, 1),
        new AdaptivePool2dGeometry(2, 4, 12, 12, 6, 6),
        new AdaptivePool2dGeometry(2, 4, 6, 6, 6, 6),
        new AdaptivePool2dGeometry(2, 4, 1, 1, 6, 6),
        new AdaptivePool2dGeometry(2, 4, 2, 3, 6, 6),
        new AdaptivePool2dGeometry(3, 2, 7, 5, 3, 2),
        new AdaptivePool2dGeometry(1, 1, 13, 61, 5, 7),
    };

    @Test
    void forwardAndBackwardAgreeWithReference() {
        long seed = 1;
        for (AdaptivePool2dGeometry g : GEOMETRIES) {
            int in = (int) g.inputSize(), out = (int) g.outputSize();
            Parity.check("adaptive_avg_pool2d.cl forward " + g, new float[][] {new float[out], Parity.random(seed, in)},
                    (b, s) -> b.adaptiveAvgPool2dForward(s[0], s[1], g), 1e-6, 1e-5);
            Parity.check("adaptive_avg_pool2d.cl backward " + g,
                    new float[][] {Parity.random(seed + 1, in), Parity.random(seed + 2, out)},
                    (b, s) -> b.adaptiveAvgPool2dBackward(s[0], s[1], g), 1e-6, 1e-6);
            seed += 3;
        }
    }

    @Test
    void plantedBugFailsTheCheck() {
        // pooling one plane fewer (a launch that skips its tail) must fail
        AdaptivePool2dGeometry g = new AdaptivePool2dGeometry(2, 3, 7, 5, 3, 2);
        AdaptivePool2dGeometry short1 = new AdaptivePool2dGeometry(1, 5, 7, 5, 3, 2);
        float[][] buffers = {new float[(int) g.outputSize()], Parity.random(9, (int) g.inputSize())};
        float[] expected = Parity.run(Parity.cpu(), buffers, (b, s) -> b.adaptiveAvgPool2dForward(s[0], s[1], g))[0];
        float[] planted = Parity.run(OpenClTestSupport.backend(), buffers,
                (b, s) -> b.adaptiveAvgPool2dForward(s[0], s[1], short1))[0];
        assertThrows(AssertionFailedError.class, () -> Parity.assertClose("planted adaptive pooling", expected, planted,
                1e-6, 1e-5));
    }
}
