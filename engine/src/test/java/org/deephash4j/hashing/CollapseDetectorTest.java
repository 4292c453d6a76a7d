package org.deephash4j.hashing;

import static org.deephash4j.hashing.TestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

class CollapseDetectorTest {

    @Test
    void flagsBatchesWhoseCodesNoLongerDiffer() {
        CollapseDetector d = new CollapseDetector("test", 1, CollapseDetector.DEFAULT_MIN_SPREAD);
        Tensor healthy = Tensors.fromArray(backend(), toFloat(randn(1, 16 * 12, 1)), 16, 12);
        assertFalse(d.observe(healthy));
        float[] same = new float[16 * 12];
        for (int i = 0; i < same.length; i++) same[i] = (i % 12) % 2 == 0 ? 0.3f : -0.2f;   // every row the same code
        assertTrue(d.observe(Tensors.fromArray(backend(), same, 16, 12)));
        float[] nearlyEqual = toFloat(randn(2, 16 * 12, 1e-7));                           // distinct signs, no spread
        assertTrue(d.isCollapsed(nearlyEqual, 16, 12));
        assertFalse(d.isCollapsed(toFloat(randn(3, 16 * 12, 1e-2)), 16, 12));
        assertEquals(1, d.collapsedBatches());
    }

    @Test
    void checksOnlyEveryNthBatch() {
        CollapseDetector d = new CollapseDetector("test", 3, CollapseDetector.DEFAULT_MIN_SPREAD);
        Tensor zero = Tensors.zeros(backend(), 4, 8);
        assertTrue(d.observe(zero));
        assertFalse(d.observe(zero));
        assertFalse(d.observe(zero));
        assertTrue(d.observe(zero));
        assertEquals(2, d.collapsedBatches());
        assertThrows(IllegalArgumentException.class, () -> new CollapseDetector("x", 0, 1e-4));
    }

    @Test
    void aMethodFeedsItsDetector() {
        Dhn dhn = new Dhn(8);
        Tensor zero = Tensors.zeros(backend(), 4, 8);
        dhn.lossOnOutputs(zero, randomLabels(1, 4, 2), null);
        assertEquals(1, dhn.collapseDetector().collapsedBatches());
    }
}
