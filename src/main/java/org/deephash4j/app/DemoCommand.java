package org.deephash4j.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.app.report.Montage;
import org.deephash4j.app.report.Plots;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.Split;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.eval.EvalResult;
import org.deephash4j.eval.Evaluator;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.model.HashingModel;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import org.deephash4j.train.Progress;
import org.deephash4j.train.TrainConfig;
import org.deephash4j.train.Trainer;
import org.deephash4j.zoo.Backbone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job: trains a method on the embedded Fashion-MNIST subset (or --data), evaluates it,
 * and writes a small report (table, precision-recall plots, a montage of search results).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a method on the embedded Fashion-MNIST subset, evaluate it and write a report (the main job).",
            "Takes a few minutes on 2 cores. Example: deephash demo --method DSDH --bits 32 --out demo-report"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--method", paramLabel = "NAME", description = "DLBHC, DHN, HashNet, DSDH or ExpH (default HashNet).")
    String method = "HashNet";

    @Option(names = "--bits", description = "Code length (default 32).")
    int bits = 32;

    @Option(names = "--epochs", description = "Training epochs (default 15).")
    int epochs = 15;

    @Option(names = "--seed", description = "Initialisation and shuffling seed (default 0).")
    long seed = 0;

    @Option(names = "--out", paramLabel = "DIR", description = "Report folder (default demo-report).")
    Path out = Path.of("demo-report");

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--data", paramLabel = "PATH", description = "Use this data folder instead of the embedded subset (see 'deephash train --help').")
    Path data;

    @Option(names = "--split-seed", description = "Seed of the split (default 0).")
    long splitSeed = 0;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        String methodName = HashingMethods.canonical(method);
        DataOptions options = new DataOptions();
        options.data = data;
        options.embedded = data == null;
        options.splitSeed = splitSeed;
        SplitDataset loaded = options.load();
        Dataset all = loaded.data();
        Split split = loaded.split();
        Backend backend = deviceOption.open();
        Backbone bb = Backbone.forInput(all.channels(), all.height(), all.width());
        HashingMethod hashing = HashingMethods.create(methodName, bits, all.labelsOf(split.train()));
        TrainConfig config = new TrainConfig(bb.id(), methodName, bits, epochs, 128, hashing.defaultLearningRate(), 0f, seed, splitSeed,
                deviceOption.device);
        System.out.println("deephash4j demo: " + methodName + ", " + bits + "-bit codes, " + bb.id() + " network, device "
                + backend.deviceName());
        System.out.println("data: " + loaded.origin() + ": " + split);
        Files.createDirectories(out);
        Path checkpoint = out.resolve(methodName.toLowerCase(Locale.ROOT) + "-" + bits + ".safetensors");
        try (HashingModel model = new HashingModel(backend, bb, hashing, loaded.normalization(), all.classNames(), seed)) {
            double trainSeconds = new Trainer(model, config, new Progress(System.err)).run(all, split.train(), checkpoint);
            Evaluator.Codes codes = Evaluator.encode(model, all, split);
            EvalResult r = Evaluator.evaluate(model, all, split, codes, 1000, 100);
            String table = EvalResult.table(List.of(r));
            System.out.println();
            System.out.print(table);
            Plots.write(r, out, "");
            writeMontage(all, split, codes, out.resolve("search-montage.png"));
            Files.writeString(out.resolve("eval.json"), r.toJson(String.format(Locale.ROOT, "\"train_seconds\":%.1f,\"split_seed\":%d",
                    trainSeconds, splitSeed)) + "\n", StandardCharsets.UTF_8);
            double total = (System.nanoTime() - t0) / 1e9;
            writeReport(out.resolve("report.md"), methodName, loaded, r, table, trainSeconds, total, backend.deviceName());
            System.out.printf(Locale.ROOT, "%ntrained in %s, total %s; report: %s (plots, search montage, checkpoint %s)%n",
                    Progress.duration(trainSeconds), Progress.duration(total), out.resolve("report.md"), checkpoint.getFileName());
        }
        return ExitCode.OK;
    }

    /** The first query of each class (up to 8) with its 8 nearest database images. */
    static void writeMontage(Dataset all, Split split, Evaluator.Codes codes, Path path) throws IOException {
        LinearScan scan = new LinearScan(codes.database());
        boolean[] seen = new boolean[all.classes()];
        List<Integer> picked = new ArrayList<>();         // rows of the query set
        for (int row = 0; row < split.query().length && picked.size() < 8; row++) {
            int c = all.classOf(split.query()[row]);
            if (c >= 0 && !seen[c]) {
                seen[c] = true;
                picked.add(row);
            }
        }
        int[] queries = new int[picked.size()];
        Neighbors[] hits = new Neighbors[picked.size()];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = split.query()[picked.get(i)];
            hits[i] = scan.knn(codes.queries(), picked.get(i), 8);
        }
        List<Montage.Row> rows = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) {
            List<Montage.Cell> cells = new ArrayList<>();
            for (int j = 0; j < hits[i].size(); j++) {
                int d = split.database()[hits[i].row(j)];
                cells.add(new Montage.Cell(all.rawImage(d), "d=" + hits[i].distance(j), all.classOf(d) == all.classOf(queries[i])));
            }
            rows.add(new Montage.Row(new Montage.Cell(all.rawImage(queries[i]), "query", null), cells));
        }
        Montage.writePng(rows, all.channels(), all.height(), all.width(), path);
    }

    private static void writeReport(Path path, String method, SplitDataset loaded, EvalResult r, String table,
                                    double trainSeconds, double totalSeconds, String device) throws IOException {
        String text = "# deephash4j demo report\n\n"
                + "- method: " + method + ", " + r.bits() + "-bit codes\n"
                + "- data: " + loaded.origin() + "; " + loaded.split() + "\n"
                + "- device: " + device + "\n"
                + String.format(Locale.ROOT, "- training time: %s; total: %s%n", Progress.duration(trainSeconds),
                        Progress.duration(totalSeconds))
                + "- ranking: Hamming distance, ties in database order; mAP over the whole database\n\n"
                + "```\n" + table + "```\n\n"
                + "![precision-recall](pr-curve.png)\n\n![within radius](pr-radius.png)\n\n"
                + "Search results (query in blue; green = same class, red = other class):\n\n![montage](search-montage.png)\n";
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}
