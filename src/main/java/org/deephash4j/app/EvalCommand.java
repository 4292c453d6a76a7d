package org.deephash4j.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.app.report.Plots;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.eval.EvalResult;
import org.deephash4j.eval.Evaluator;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Evaluates a checkpoint: mAP, mAP@k, precision within radius 2, precision@k, precision-recall curves. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained model on the split's queries against its database (Hamming ranking, ties in database order).",
            "Example: deephash eval --model runs/hashnet-48.safetensors --plots runs/plots"})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Checkpoint written by 'deephash train'.")
    Path model;

    @Option(names = "--bits", description = "Fail unless the checkpoint has this code length.")
    Integer bits;

    @Option(names = "--map-k", description = "k of mAP@k (default 1000).")
    int mapK = 1000;

    @Option(names = "--precision-k", description = "k of precision@k (default 100).")
    int precisionK = 100;

    @Option(names = "--json", description = "Print the figures as one JSON object instead of a table.")
    boolean json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write pr-curve.png and pr-radius.png into this folder.")
    Path plots;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    DeviceOption deviceOption;

    @Override
    public Integer call() throws Exception {
        Checkpoint checkpoint = Checkpoint.read(model);
        ModelInfo info = ModelInfo.of(checkpoint, model);
        SplitDataset loaded = dataOptions.load(info.splitSeed(), info.preprocessing().decodeShape());
        try (HashingModel m = HashingModel.load(checkpoint, model, deviceOption.open(), null)) {
            if (bits != null && bits != m.bits()) {
                throw new CommandFailure(ExitCode.BAD_INPUT, model + " holds " + m.bits() + "-bit codes but --bits " + bits + " was asked");
            }
            m.checkInput(loaded.data());
            EvalResult r = Evaluator.evaluate(m, loaded.data(), loaded.split(), mapK, precisionK);
            if (json) {
                System.out.println(r.toJson(String.format(Locale.ROOT, "\"split_seed\":%d,\"data\":\"%s\"", loaded.split().seed(),
                        loaded.origin().replace("\\", "\\\\").replace("\"", "\\\""))));
            } else {
                System.out.println("data: " + loaded.origin() + ": " + loaded.split());
                System.out.print(EvalResult.table(List.of(r)));
            }
            if (plots != null) {
                Files.createDirectories(plots);
                Plots.write(r, plots, "");
                if (!json) System.out.println("plots: " + plots.resolve("pr-curve.png") + ", " + plots.resolve("pr-radius.png"));
            }
        }
        return ExitCode.OK;
    }
}
