package org.deephash4j.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Labels;
import org.deephash4j.nn.Module;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Every method's smallest legal settings are accepted and the first illegal ones refused, by message
 * (mutation testing found these limits unpinned: a check moved by one passed every test).
 */
class MethodLimitsTest {
    private static final Backend CPU = Backends.cpu();
    private static final Labels TWO = Labels.single(new int[] {0, 1, 1}, 2);

    @Test
    void oneBitTwoClassesAndStepOneAreLegal() {
        for (String name : HashingMethods.NAMES) assertEquals(1, HashingMethods.create(name, 1, TWO).bits(), name);
        assertEquals(8, new Dlbhc(8, 2).bits());
        ExpH.builder(8, 2).build();
        HashNet h = HashNet.builder(8).stepSize(1).gamma(0).power(0).build();
        h.setIteration(0);
        assertEquals(0, h.iteration());
        Dsdh.builder(8, TWO).dccSweeps(1).eta(0).build();
        new Dhn(8, 0, 1e-30);
        try (Module head = new Dhn(8).head(CPU, 1, 1)) {
            assertTrue(head.parameters().size() > 0, "a head over one feature");
        }
    }

    @Test
    void theFirstIllegalValuesAreRefusedByName() {
        assertMessage("DLBHC: classes = 1, expected >= 2", () -> new Dlbhc(8, 1));
        assertMessage("ExpH: classes = 1, expected >= 2", () -> ExpH.builder(8, 1).build());
        assertMessage("HashNet: stepSize = 0, expected >= 1", () -> HashNet.builder(8).stepSize(0).build());
        assertMessage("HashNet: iteration = -1, expected >= 0", () -> HashNet.builder(8).build().setIteration(-1));
        assertMessage("DSDH: dccSweeps = 0, expected >= 1", () -> Dsdh.builder(8, TWO).dccSweeps(0).build());
        assertMessage("DHN: bits (K) = 0, expected K >= 1", () -> new Dhn(0));
        assertMessage("DHN: innerProductScale = 0.0, expected a finite value > 0", () -> new Dhn(8, 1, 0));
        assertMessage("DHN: lambda = -1.0E-300, expected a finite value >= 0", () -> new Dhn(8, -1e-300, 1));
        assertMessage("hash head: featureSize = 0, expected >= 1", () -> new Dhn(8).head(CPU, 0, 1));
    }

    @Test
    void aTrainingIndexEqualToTheSetSizeIsRefused() {
        HashNet h = HashNet.builder(4).pairing(HashNet.Pairing.BANK).trainingLabels(TWO).build();
        try (Module head = h.head(CPU, 3, 1)) {
            Tensor z = Tensors.fromArray(CPU, new float[] {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.8f}, 2, 4);
            assertMessage("HashNet: training index 3 is outside [0, 3)", () -> h.lossOnOutputs(z, Labels.single(new int[] {0, 1}, 2),
                    new int[] {0, 3}));
            assertTrue(Float.isFinite(h.lossOnOutputs(z, Labels.single(new int[] {0, 1}, 2), new int[] {0, 2}).item()));
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
