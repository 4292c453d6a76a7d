package org.deephash4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.DataSource;
import org.deephash4j.data.Dataset;
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

/**
 * deephash4j from a user's own project: train HashNet with 32-bit codes on the engine's embedded
 * Fashion-MNIST subset, save the model, encode the database and the queries, search, print the top
 * results of three queries and the mAP, then load the model back and check it makes the same codes.
 * Run with {@code mvn verify} in this folder (after {@code mvn install} in the repository root).
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) throws IOException {
        Path modelFile = Path.of(args.length > 0 ? args[0] : "quickstart.safetensors");
        Backend cpu = Backends.cpu();

        // 3,000 training and 1,000 test images shipped in the engine jar; 50 queries and 100 training
        // images per class, drawn with seed 0; every image but the queries is the database.
        SplitDataset d = DataSource.embeddedSubset().split(50, 100, 0, true);
        Dataset data = d.data();
        Split split = d.split();
        System.out.println("data: " + d.origin() + ": " + split);

        HashingMethod method = HashingMethods.create("HashNet", 32, data.labelsOf(split.train()));
        try (HashingModel model = new HashingModel(cpu, Backbone.LENET, method, d.normalization(), data.classNames(), 0)) {
            TrainConfig config = TrainConfig.defaults(model).withEpochs(3);
            new Trainer(model, config, new Progress(System.err)).run(data, split.train(), null);
            model.save(modelFile, config.toMetadata());

            BinaryCodes database = model.encode(data, split.database());     // bit k = (z_k >= 0)
            BinaryCodes queries = model.encode(data, split.query());
            LinearScan scan = new LinearScan(database);                     // exact, ties in database order
            for (int q = 0; q < 3; q++) {
                Neighbors top = scan.knn(queries, q, 5);
                String[] found = new String[top.size()];
                for (int j = 0; j < top.size(); j++) {
                    int image = split.database()[(int) top.id(j)];          // ids are rows of the database
                    found[j] = data.classNames().get(data.classOf(image)) + " (d=" + top.distance(j) + ")";
                }
                String asked = data.classNames().get(data.classOf(split.query()[q]));
                System.out.println("query " + q + " (" + asked + "): " + String.join(", ", found));
            }
            double map = MeanAveragePrecision.compute(queries, data.labelsOf(split.query()), database,
                    data.labelsOf(split.database()));
            System.out.printf("mAP over %d database images: %.4f%n", database.size(), map);

            try (HashingModel loaded = HashingModel.load(modelFile, cpu, null)) {
                BinaryCodes again = loaded.encode(data, split.query());
                if (!Arrays.equals(again.words(), queries.words())) {
                    throw new IllegalStateException("the model loaded from " + modelFile + " encodes the queries differently");
                }
                System.out.println("reloaded " + modelFile + ": " + loaded.method().name() + ", " + loaded.bits()
                        + " bits, same codes for all " + again.size() + " queries");
            }
            if (map < 0.3) throw new IllegalStateException("mAP " + map + " is far below what 3 epochs reach (about 0.45); something is wrong");
        }
    }
}
