package org.deephash4j.hashing;

import static org.deephash4j.hashing.TestSupport.*;
import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every loss runs at K = 8 ... 128 and its value agrees with its oracle there. */
class BitLengthsTest {

    @Test
    void everyLossWorksFrom8To128Bits() {
        int n = 16;
        Labels all = randomLabels(2, 40, 5);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = 2 * i;
        Labels y = all.subset(idx);
        for (int k : new int[] {8, 12, 24, 32, 48, 64, 128}) {
            double[] z = randn(k, n * k, 1);
            ExpH exph = ExpH.builder(k, 5).stage1Epochs(0).stage2Epochs(0).build();
            Dlbhc dlbhc = new Dlbhc(k, 5);
            dlbhc.head(backend(), 3, 1);
            List<HashHeadMethod> methods = List.of(new Dhn(k), new HashNet(k), Dsdh.create(k, all), exph, dlbhc);
            for (HashHeadMethod m : methods) {
                Tensor zt = leaf(z, n, k);
                Tensor loss = m.lossOnOutputs(zt, y, idx);
                float value = loss.item();
                assertTrue(Float.isFinite(value), m.name() + " K=" + k + ": loss " + value);
                float[] grad = gradientOf(loss, zt);
                assertEquals(n * k, grad.length);
                for (float g : grad) assertTrue(Float.isFinite(g), m.name() + " K=" + k + ": gradient " + g);
            }
            assertClose("DHN K=" + k, DhnTest.oracle(z, y, n, k, 0.3, 1), new Dhn(k).lossOnOutputs(leaf(z, n, k), y, null).item(), 1e-5, 1e-4);
            assertClose("HashNet K=" + k, HashNetTest.oracle(z, y, null, null, n, k, 10.0 / k, 1),
                    new HashNet(k).lossOnOutputs(leaf(z, n, k), y, null).item(), 1e-5, 1e-4);
            assertClose("ExpH K=" + k, ExpHTest.oracle(z, y, n, k, ExpH.DEFAULT_GAMMA, true),
                    exph.lossOnOutputs(leaf(z, n, k), y, null).item(), 1e-5, 1e-4);
        }
    }
}
