package org.deephash4j.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The collapse rule against its definition in double, on both sides of the threshold, and the warning schedule. */
class CollapseRuleTest {
    private static final Backend CPU = Backends.cpu();

    /** mean over units of the across-batch standard deviation, divided by (1 + mean |z|): the rule's ratio. */
    private static double ratio(float[] z, int n, int bits) {
        double spread = 0, magnitude = 0;
        for (int k = 0; k < bits; k++) {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += z[i * bits + k];
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) var += (z[i * bits + k] - mean) * (z[i * bits + k] - mean);
            spread += Math.sqrt(var / n);
        }
        for (float v : z) magnitude += Math.abs(v);
        return (spread / bits) / (1 + magnitude / ((double) n * bits));
    }

    @Test
    void spreadThresholdOnBothSides() {
        Random r = new Random(8);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(6), bits = 1 + r.nextInt(5);
            float[] z = new float[n * bits];
            for (int i = 0; i < z.length; i++) z[i] = (float) (r.nextGaussian() * (1 + trial));
            z[0] = Math.abs(z[0]) + 0.5f;          // rows 0 and 1 differ in bit 0: more than one code
            z[bits] = -Math.abs(z[bits]) - 0.5f;
            double s = ratio(z, n, bits);
            assertTrue(new CollapseDetector("t", 1, s * (1 + 1e-6)).isCollapsed(z, n, bits), "just under the spread: trial " + trial);
            assertFalse(new CollapseDetector("t", 1, s * (1 - 1e-6)).isCollapsed(z, n, bits), "just over: trial " + trial);
        }
    }

    @Test
    void equalCodesCollapseAndZeroCountsAsPlus() {
        CollapseDetector d = new CollapseDetector("t", 1, 0);
        assertTrue(d.isCollapsed(new float[] {0, 5}, 2, 1), "0 and 5 are the same code (bit 1)");
        assertFalse(d.isCollapsed(new float[] {-1e-30f, 5}, 2, 1), "a negative output is the other code");
        assertFalse(d.isCollapsed(new float[] {3}, 1, 1), "one output is never a collapse");
        assertTrue(d.isCollapsed(new float[] {1, 2, 3, 4}, 2, 2), "two outputs with one code");
    }

    @Test
    void everyMethodsLossShowsItsOutputsToTheDetector() {
        org.deephash4j.data.Labels labels = org.deephash4j.data.Labels.single(new int[] {0, 1, 0, 1}, 2);
        for (String name : HashingMethods.NAMES) {
            HashHeadMethod m = (HashHeadMethod) HashingMethods.create(name, 4, labels);
            try (var head = m.head(CPU, 3, 1)) {
                var z = Tensors.fromArray(CPU, new float[16], 4, 4);          // every output equal: collapsed
                m.lossOnOutputs(z, labels, new int[] {0, 1, 2, 3});
                assertEquals(1, m.collapseDetector().collapsedBatches(), name);
            }
        }
    }

    @Test
    void checksEveryNthBatchAndWarnsAtMostOncePerHundredChecks() {
        List<String> warnings = new ArrayList<>();
        Handler h = new Handler() {
            @Override public void publish(LogRecord record) { warnings.add(record.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Logger log = Logger.getLogger(CollapseDetector.class.getName());
        log.addHandler(h);
        try {
            CollapseDetector d = new CollapseDetector("DHN", 3, 0);
            var same = Tensors.fromArray(CPU, new float[] {1, 1, 1, 1}, 2, 2);
            List<Boolean> seen = new ArrayList<>();
            for (int step = 0; step < 7; step++) seen.add(d.observe(same));
            assertEquals(List.of(true, false, false, true, false, false, true), seen);
            assertEquals(3, d.collapsedBatches());
            CollapseDetector every = new CollapseDetector("DHN", 1, 0);
            warnings.clear();
            for (int step = 0; step <= 200; step++) every.observe(same);
            assertEquals(3, warnings.size(), "steps 0, 100 and 200: " + warnings);
            assertTrue(warnings.get(1).startsWith("DHN: the codes of the batch at step 100 no longer differ (1 distinct code(s) in 2 outputs)"),
                    warnings.get(1));
        } finally {
            log.removeHandler(h);
        }
    }
}
