import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.IdxDataset;
import org.deephash4j.data.Labels;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Split;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.train.Progress;
import org.deephash4j.train.TrainConfig;
import org.deephash4j.train.Trainer;
import org.deephash4j.zoo.Backbone;

/**
 * Writes a DSDH training on full Fashion-MNIST as checkpoints, one per epoch, for
 * dsdh_lockstep.py: ck0 (the initial weights) and ck1 .. ckE, each with Adam's moments and
 * DSDH's bank and codes. Epoch e is a resume from ck(e-1), which Trainer makes exact, so the
 * files are the states of one uninterrupted run (README protocol: split 0 or --split-seed S,
 * 500 training images per class, batch 128, Adam at DSDH's default rate, CPU backend).
 *
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp 'src/target/deephash4j-app-0.1.0-SNAPSHOT.jar:src/target/lib/*' \
 *       bench/peers/DsdhCheckpoints.java BITS SEED EPOCHS DIR [SPLIT_SEED]
 */
public class DsdhCheckpoints {
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: DsdhCheckpoints BITS SEED EPOCHS DIR [SPLIT_SEED]");
            System.exit(2);
        }
        int bits = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        int epochs = Integer.parseInt(args[2]);
        Path dir = Files.createDirectories(Path.of(args[3]));
        long splitSeed = args.length > 4 ? Long.parseLong(args[4]) : 0;

        IdxDataset.Source source = IdxDataset.locateDefault(null);
        Dataset all = source.all();
        Split split = Split.perClass(all, source.testPool(), source.trainPool(), 100, 500, splitSeed, true);
        Backend backend = Backends.get("cpu");
        Labels trainLabels = all.labelsOf(split.train());
        Files.write(dir.resolve("train.txt"), Arrays.stream(split.train()).mapToObj(Integer::toString).toList());

        try (HashingModel model = newModel(backend, all, bits, trainLabels, seed)) {
            model.save(dir.resolve("ck0.safetensors"), Map.of());
        }
        float rate = HashingMethods.create("DSDH", bits, trainLabels).defaultLearningRate();
        for (int e = 1; e <= epochs; e++) {
            Path previous = dir.resolve("ck" + (e - 1) + ".safetensors");
            Path next = dir.resolve("ck" + e + ".safetensors");
            TrainConfig config = new TrainConfig("lenet", "DSDH", bits, e, 128, rate, 0f, seed, splitSeed, "cpu");
            if (e == 1) {
                try (HashingModel model = newModel(backend, all, bits, trainLabels, seed)) {
                    new Trainer(model, config, new Progress(System.err)).run(all, split.train(), next);
                }
            } else {
                Checkpoint saved = Checkpoint.read(previous);
                try (HashingModel model = HashingModel.load(saved, previous.toString(), backend, trainLabels)) {
                    new Trainer(model, config, new Progress(System.err)).resume(all, split.train(), saved, previous.toString(), next);
                }
            }
        }
    }

    private static HashingModel newModel(Backend backend, Dataset all, int bits, Labels trainLabels, long seed) {
        return new HashingModel(backend, Backbone.LENET, HashingMethods.create("DSDH", bits, trainLabels),
                Normalization.FASHION_MNIST, all.classNames(), seed);
    }
}
