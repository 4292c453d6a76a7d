package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class EmbeddedDataTest {
    @Test
    void embeddedSubsetIsBalancedFashionMnist() throws IOException {
        DataSource s = DataSource.embeddedSubset();
        assertEquals(true, s.embedded());
        Dataset all = s.all();
        assertEquals(4000, all.size());
        assertEquals("1x28x28", all.shapeText());
        assertEquals(3000, s.trainPool().length);
        assertEquals(1000, s.testPool().length);
        int[] train = new int[10], test = new int[10];
        for (int i : s.trainPool()) train[all.classOf(i)]++;
        for (int i : s.testPool()) test[all.classOf(i)]++;
        for (int c = 0; c < 10; c++) {
            assertEquals(EmbeddedSubset.TRAIN_PER_CLASS, train[c], "class " + c);
            assertEquals(EmbeddedSubset.TEST_PER_CLASS, test[c], "class " + c);
        }
        // Real Fashion-MNIST statistics: the training-set mean is 0.2860, std 0.3530; a 3,000-image draw is close.
        Normalization n = Normalization.measure(all, s.trainPool());
        assertEquals(0.2860, n.mean()[0], 0.01);
        assertEquals(0.3530, n.std()[0], 0.01);
    }
}
