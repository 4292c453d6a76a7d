package org.deephash4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.DataSource;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Split;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.metrics.MeanAveragePrecision;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import org.deephash4j.train.Progress;
import org.deephash4j.train.TrainConfig;
import org.deephash4j.train.Trainer;
import org.deephash4j.zoo.Backbone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java API example, line for line, on the embedded subset with small sizes. */
class ReadmeApiTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleRuns() throws Exception {
        Backend cpu = Backends.cpu();
        SplitDataset d = DataSource.embeddedSubset().split(5, 10, 0, true);
        Dataset data = d.data();
        Split split = d.split();
        HashingMethod method = HashingMethods.create("HashNet", 48, data.labelsOf(split.train()));
        try (HashingModel model = new HashingModel(cpu, Backbone.LENET, method, Normalization.FASHION_MNIST, data.classNames(), 0)) {
            TrainConfig config = new TrainConfig("lenet", "HashNet", 48, 1, 128, 1e-3f, 0f, 0, 0, "cpu");
            new Trainer(model, config, new Progress(new PrintStream(new ByteArrayOutputStream())))
                    .run(data, split.train(), dir.resolve("hashnet-48.safetensors"));
            BinaryCodes db = model.encode(data, split.database());
            BinaryCodes q = model.encode(data, split.query());
            Neighbors top10 = new LinearScan(db).knn(q, 0, 10);
            double map = MeanAveragePrecision.compute(q, data.labelsOf(split.query()), db,
                    data.labelsOf(split.database()));
            assertEquals(10, top10.size());
            assertTrue(map > 0 && map <= 1, "mAP " + map);
        }
        try (HashingModel again = HashingModel.load(dir.resolve("hashnet-48.safetensors"), cpu, null)) {
            assertEquals(48, again.bits());
            assertEquals("HashNet", again.method().name());
        }
    }
}
