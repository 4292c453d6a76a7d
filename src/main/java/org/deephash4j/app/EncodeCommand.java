package org.deephash4j.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.ImageFolderReader;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Split;
import org.deephash4j.data.SplitDataset;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.io.IndexFile;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import org.deephash4j.search.BinaryCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Encodes images with a trained model into a code index file. */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode images into a code index (binary codes with ids; see IndexFile).",
            "Examples: deephash encode --model runs/hashnet-48.safetensors --out db.dhi          (the split's database)",
            "          deephash encode --model runs/hashnet-48.safetensors --images photos/ --out photos.dhi"})
final class EncodeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Checkpoint written by 'deephash train'.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Index file to write (e.g. codes.dhi).")
    Path out;

    @Option(names = "--images", paramLabel = "DIR", description = "Encode every image file under this folder (sorted by path) instead of a data set.")
    Path images;

    @Option(names = "--set", description = "Which images of the data set: database (default), query, train or all.")
    String set = "database";

    @Mixin
    DataOptions dataOptions;

    @Mixin
    DeviceOption deviceOption;

    @Override
    public Integer call() throws Exception {
        Checkpoint checkpoint = Checkpoint.read(model);
        ModelInfo info = ModelInfo.of(checkpoint, model);
        Dataset data;
        int[] indices;
        List<IndexSources.Source> sources = new ArrayList<>();
        if (images != null) {
            List<Path> files = ImageFolderReader.imageFilesUnder(images);
            InputShape decode = info.preprocessing().decodeShape();
            data = ImageFolderReader.readUnlabelled(images.toString(), files, decode.channels(), decode.height(), decode.width());
            indices = Split.range(0, files.size());
            for (int i = 0; i < files.size(); i++) sources.add(new IndexSources.Source(i, files.get(i).toAbsolutePath().toString(), ""));
        } else {
            SplitDataset loaded = dataOptions.load(info.splitSeed(), info.preprocessing().decodeShape());
            data = loaded.data();
            Split split = loaded.split();
            indices = switch (set.toLowerCase(Locale.ROOT)) {
                case "database" -> split.database();
                case "query" -> split.query();
                case "train" -> split.train();
                case "all" -> Split.range(0, data.size());
                default -> throw new IllegalArgumentException("--set '" + set + "': expected database, query, train or all");
            };
            for (int i : indices) {
                int c = data.classOf(i);
                sources.add(new IndexSources.Source(i, "data:" + i, c >= 0 ? data.classNames().get(c) : ""));
            }
        }
        long t0 = System.nanoTime();
        try (HashingModel m = HashingModel.load(checkpoint, model, deviceOption.open(), null)) {
            m.checkInput(data);
            BinaryCodes codes = m.encode(data, indices);
            long[] ids = new long[indices.length];
            for (int i = 0; i < ids.length; i++) ids[i] = sources.get(i).id();
            new IndexFile(BinaryCodes.fromWords(codes.bits(), codes.words(), ids)).write(out);
            IndexSources.write(out, sources);
            System.out.printf(Locale.ROOT, "encoded %d images into %s (%d-bit codes) in %.1f s%n", indices.length, out, codes.bits(),
                    (System.nanoTime() - t0) / 1e9);
        }
        return ExitCode.OK;
    }
}
