package org.deephash4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.IdxDataset;
import org.deephash4j.data.Normalization;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.model.HashingModel;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;

/** The run's settings: their limits, the metadata round trip and the with-methods. */
class TrainConfigTest {
    private static final TrainConfig C = new TrainConfig("lenet", "DSDH", 1, 1, 2, 0.5f, 0f, 9, 4, "cpu");

    @Test
    void smallestLegalValuesAndTheFirstIllegalOnes() {
        assertEquals(1, C.bits());
        assertEquals(2, C.batchSize());
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("lenet", "DSDH", 0, 1, 2, 0.5f, 0f, 9, 4, "cpu"));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("lenet", "DSDH", 1, 0, 2, 0.5f, 0f, 9, 4, "cpu"));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("lenet", "DSDH", 1, 1, 1, 0.5f, 0f, 9, 4, "cpu"));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("lenet", "DSDH", 1, 1, 2, 0f, 0f, 9, 4, "cpu"));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("lenet", "DSDH", 1, 1, 2, Float.NaN, 0f, 9, 4, "cpu"));
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig("lenet", "DSDH", 1, 1, 2, 0.5f, -1e-9f, 9, 4, "cpu"));
    }

    @Test
    void metadataRoundTrip() {
        Map<String, String> m = C.toMetadata();
        assertEquals("4", m.get("split.seed"));
        assertEquals(C, TrainConfig.fromMetadata(m));
        Map<String, String> missing = new HashMap<>(m);
        missing.remove("train.batch");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromMetadata(missing)).getMessage()
                .contains("no 'train.batch'"));
        Map<String, String> bad = new HashMap<>(m);
        bad.put("bits", "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromMetadata(bad)).getMessage()
                .contains("bad number"));
    }

    @Test
    void withMethodsChangeOneField() {
        assertEquals(new TrainConfig("lenet", "DSDH", 1, 7, 2, 0.5f, 0f, 9, 4, "cpu"), C.withEpochs(7));
        assertEquals(new TrainConfig("lenet", "DSDH", 1, 1, 2, 0.25f, 0f, 9, 4, "cpu"), C.withLearningRate(0.25f));
        assertEquals(new TrainConfig("lenet", "DSDH", 1, 1, 2, 0.5f, 0f, 9, 11, "cpu"), C.withSplitSeed(11));
        try (HashingModel m = new HashingModel(Backends.cpu(), Backbone.LENET, HashingMethods.forEncoding("DHN", 12, 10),
                Normalization.FASHION_MNIST, IdxDataset.FASHION_MNIST_CLASSES, 3)) {
            assertEquals(new TrainConfig("lenet", "DHN", 12, 20, 128, m.method().defaultLearningRate(), 0f, 3, 0, "cpu"),
                    TrainConfig.defaults(m));
        }
    }
}
