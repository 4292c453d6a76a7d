package org.deephash4j.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.app.report.LineChart;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.eval.EvalResult;
import org.deephash4j.eval.Evaluator;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.model.HashingModel;
import org.deephash4j.train.Progress;
import org.deephash4j.train.TrainConfig;
import org.deephash4j.train.Trainer;
import org.deephash4j.zoo.Backbone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's reproduction table: every method at every code length on one split, trained with
 * the protocol's settings (LeNet-sized network, Adam, batch 128, inputs normalised by 0.2860 /
 * 0.3530), evaluated by mAP over the whole database and precision within Hamming radius 2.
 * Appends one JSON line per run to {@code results.jsonl} and writes {@code table.md} and
 * {@code precision-r2-by-bits.png} in the output folder.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train and evaluate every method at every code length (the README's reproduction table).",
            "Default protocol on full Fashion-MNIST: 1,000 queries (100/class, test set), 5,000 training images (500/class), "
                    + "the other 69,000 images as database."})
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--methods", split = ",", description = "Methods (default DLBHC,DHN,HashNet,DSDH,ExpH).")
    List<String> methods = HashingMethods.NAMES;

    @Option(names = "--bits", split = ",", description = "Code lengths (default 12,24,32,48).")
    List<Integer> bitsList = List.of(12, 24, 32, 48);

    @Option(names = "--epochs", description = "Epochs over the training images (default 20).")
    int epochs = 20;

    @Option(names = "--lr", description = "Adam learning rate for every method (default: each method's own, "
            + "1e-3, or 1e-4 for DHN and DSDH, which collapse to one code at 1e-3).")
    Float lr;

    @Option(names = "--seed", description = "Initialisation seed (default 0).")
    long seed = 0;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default runs/reproduce).")
    Path out = Path.of("runs", "reproduce");

    @Mixin
    DataOptions dataOptions;

    @Mixin
    DeviceOption deviceOption;

    @Override
    public Integer call() throws Exception {
        List<String> names = new ArrayList<>();
        for (String m : methods) names.add(HashingMethods.canonical(m));
        SplitDataset loaded = dataOptions.load();
        Dataset all = loaded.data();
        Backbone bb = Backbone.forInput(all.channels(), all.height(), all.width());
        Backend backend = deviceOption.open();
        Normalization norm = loaded.normalization();
        Files.createDirectories(out);
        System.out.println("data: " + loaded.origin() + ": " + loaded.split() + "; normalisation " + norm);
        if (loaded.origin().startsWith("embedded")) {
            System.out.println("note: full Fashion-MNIST not found (install dataset-fashion-mnist or give --data); "
                    + "these runs use the embedded subset and are not the README protocol");
        }
        List<EvalResult> results = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (String name : names) {
            for (int bits : bitsList) {
                HashingMethod method = HashingMethods.create(name, bits, all.labelsOf(loaded.split().train()));
                float rate = lr != null ? lr : method.defaultLearningRate();
                TrainConfig config = new TrainConfig(bb.id(), name, bits, epochs, 128, rate, 0f, seed, dataOptions.splitSeed(0),
                        deviceOption.device);
                Path checkpoint = out.resolve(name.toLowerCase(Locale.ROOT) + "-" + bits + ".safetensors");
                System.out.println("== " + name + " " + bits + " bits, Adam lr " + rate);
                try (HashingModel model = new HashingModel(backend, bb, method, norm, all.classNames(), seed)) {
                    double t = new Trainer(model, config, new Progress(System.err)).run(all, loaded.split().train(), checkpoint);
                    EvalResult r = Evaluator.evaluate(model, all, loaded.split(), 1000, 100);
                    results.add(r);
                    seconds.add(t);
                    System.out.print(EvalResult.table(List.of(r)));
                    Files.writeString(out.resolve("results.jsonl"), r.toJson(String.format(Locale.ROOT,
                                    "\"train_seconds\":%.1f,\"epochs\":%d,\"split_seed\":%d,\"device\":\"%s\"", t, epochs,
                                    dataOptions.splitSeed(0), deviceOption.device)) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
        }
        String table = markdown(results, seconds);
        Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(table);
        LineChart chart = new LineChart("Precision within Hamming radius 2", "bits", "precision", 0, 64, 0, 1).xDivisions(4);
        for (String name : names) {
            List<EvalResult> rs = results.stream().filter(r -> r.method().equals(name)).toList();
            double[] x = rs.stream().mapToDouble(EvalResult::bits).toArray();
            double[] y = rs.stream().mapToDouble(EvalResult::precisionRadius2).toArray();
            chart.add(new LineChart.Series(name, x, y));
        }
        chart.writePng(out.resolve("precision-r2-by-bits.png"));
        return ExitCode.OK;
    }

    static String markdown(List<EvalResult> results, List<Double> seconds) {
        StringBuilder b = new StringBuilder("| method | bits | mAP | precision r<=2 | training time |\n|---|---|---|---|---|\n");
        for (int i = 0; i < results.size(); i++) {
            EvalResult r = results.get(i);
            b.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %s |%n", r.method(), r.bits(), r.map(), r.precisionRadius2(),
                    Progress.duration(seconds.get(i))));
        }
        return b.toString();
    }
}
