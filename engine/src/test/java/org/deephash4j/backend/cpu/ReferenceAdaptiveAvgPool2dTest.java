package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deephash4j.autograd.Oracles;
import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.testing.ArrayAsserts;
import org.deephash4j.testing.FiniteDifferences;
import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceAdaptiveAvgPool2d against the double oracle of PyTorch's windows (forward at atol
 * 1e-6, rtol 1e-5; backward against central finite differences at atol 1e-4, rtol 1e-3), and the
 * windows themselves against values worked out by hand from PyTorch's start / end formulas.
 */
class ReferenceAdaptiveAvgPool2dTest {
    private static final AdaptivePool2dGeometry[] GEOMETRIES = {
        new AdaptivePool2dGeometry(2, 3, 5, 4, 1, 1),     // global
        new AdaptivePool2dGeometry(1, 2, 12, 6, 6, 6),    // uniform rows, identity columns
        new AdaptivePool2dGeometry(2, 1, 1, 1, 6, 6),     // repetition
        new AdaptivePool2dGeometry(1, 2, 2, 3, 6, 6),
        new AdaptivePool2dGeometry(2, 2, 7, 5, 3, 2),     // overlapping windows
        new AdaptivePool2dGeometry(1, 1, 13, 4, 5, 3),
    };

    @Test
    void forwardAndBackward() {
        long seed = 700;
        for (AdaptivePool2dGeometry g : GEOMETRIES) {
            float[] x = TestArrays.uniform(seed++, (int) g.inputSize(), -1, 1);
            float[] r = TestArrays.uniform(seed++, (int) g.outputSize(), -1, 1);
            float[] y = new float[(int) g.outputSize()];
            ReferenceAdaptiveAvgPool2d.forward(y, x, g);
            assertClose("ReferenceAdaptiveAvgPool2d.forward " + g, oracle(g, ArrayAsserts.toDouble(x)), y, 1e-6, 1e-5);
            float[] gradInput = TestArrays.uniform(seed, (int) g.inputSize(), 5, 6);   // must be overwritten
            ReferenceAdaptiveAvgPool2d.backward(gradInput, r, g);
            assertClose("ReferenceAdaptiveAvgPool2d.backward " + g, FiniteDifferences.gradient(
                    v -> FiniteDifferences.weightedSum(oracle(g, v), r), ArrayAsserts.toDouble(x)), gradInput, 1e-4, 1e-3);
        }
    }

    private static double[] oracle(AdaptivePool2dGeometry g, double[] x) {
        return Oracles.adaptiveAvgPool2d(x, g.batch(), g.channels(), g.inHeight(), g.inWidth(), g.outHeight(), g.outWidth());
    }

    @Test
    void windowsArePyTorchs() {
        // 7 -> 3: floor(i * 7 / 3) .. ceil((i + 1) * 7 / 3): [0, 3), [2, 5), [4, 7) (neighbours overlap by one)
        AdaptivePool2dGeometry g = new AdaptivePool2dGeometry(1, 1, 7, 2, 3, 6);
        int[][] rows = {{0, 3}, {2, 5}, {4, 7}};
        for (int i = 0; i < 3; i++) {
            assertEquals(rows[i][0], g.rowStart(i), "rowStart(" + i + ")");
            assertEquals(rows[i][1], g.rowEnd(i), "rowEnd(" + i + ")");
        }
        // 2 -> 6: each input column serves three outputs: [0, 1) three times, then [1, 2) three times
        for (int j = 0; j < 6; j++) {
            assertEquals(j / 3, g.colStart(j), "colStart(" + j + ")");
            assertEquals(j / 3 + 1, g.colEnd(j), "colEnd(" + j + ")");
        }
    }
}
