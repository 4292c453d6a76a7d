package org.deephash4j.app;

import java.io.IOException;
import java.nio.file.Files;
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
import org.deephash4j.index.CodeBatch;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.IndexSnapshot;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import org.deephash4j.search.BinaryCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Encodes images with a trained model into a code index folder ({@link CodeIndex}): a new index, or with
 * {@code --append} one more segment of an existing one. Each code is stored with its source (see
 * {@link IndexSources}) in the same atomic change.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode images into a code index folder (binary codes with ids and sources, memory-mapped segments).",
            "Examples: deephash encode --model runs/hashnet-48.safetensors --out db          (the split's database)",
            "          deephash encode --model runs/hashnet-48.safetensors --images photos/ --out photos",
            "          deephash encode --model runs/hashnet-48.safetensors --images more/ --out photos --append"})
final class EncodeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Checkpoint written by 'deephash train'.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Index folder to make (or to append to, with --append).")
    Path out;

    @Option(names = "--append", description = "Add the codes to the index folder --out as one new segment (ids must be new: "
            + "data set images keep their number as id; image files are numbered after the index's largest id).")
    boolean append;

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
        checkOut();
        Dataset data;
        int[] indices;
        List<IndexSources.Source> sources = new ArrayList<>();
        if (images != null) {
            List<Path> files = ImageFolderReader.imageFilesUnder(images);
            InputShape decode = info.preprocessing().decodeShape();
            data = ImageFolderReader.readUnlabelled(images.toString(), files, decode.channels(), decode.height(), decode.width());
            indices = Split.range(0, files.size());
            long first = append ? firstFreeId() : 0;
            for (int i = 0; i < files.size(); i++) {
                sources.add(new IndexSources.Source(first + i, files.get(i).toAbsolutePath().toString(), "", ""));
            }
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
            String identity = DatasetIdentity.of(data);
            for (int i : indices) {
                int c = data.classOf(i);
                sources.add(new IndexSources.Source(i, "data:" + i, c >= 0 ? data.classNames().get(c) : "", identity));
            }
        }
        long t0 = System.nanoTime();
        try (HashingModel m = HashingModel.load(checkpoint, model, deviceOption.open(), null)) {
            m.checkInput(data);
            BinaryCodes codes = m.encode(data, indices);
            long[] ids = new long[indices.length];
            String[] stored = new String[indices.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = sources.get(i).id();
                stored[i] = IndexSources.encode(sources.get(i));
            }
            CodeBatch batch = CodeBatch.of(BinaryCodes.fromWords(codes.bits(), codes.words(), ids)).withSources(stored);
            try (CodeIndex index = append ? CodeIndex.open(out) : CodeIndex.create(out, codes.bits())) {
                if (index.bits() != codes.bits()) {
                    throw new CommandFailure(ExitCode.BAD_INPUT, out + " holds " + index.bits() + "-bit codes but " + model
                            + " makes " + codes.bits() + "-bit codes");
                }
                try {
                    index.append(batch);
                } catch (IllegalArgumentException e) {
                    // an id already in the index, or side data unlike the index's
                    throw new CommandFailure(ExitCode.BAD_INPUT, "encode --append: " + e.getMessage(), e);
                }
                System.out.printf(Locale.ROOT, "encoded %d images into %s (%d-bit codes, %s) in %.1f s%n", indices.length, out,
                        codes.bits(), append ? "appended a segment: " + index.stats().segments() + " segments, "
                                + index.stats().live() + " codes" : "a new index", (System.nanoTime() - t0) / 1e9);
            }
        }
        return ExitCode.OK;
    }

    // Before the slow part: --out must be a new folder, or with --append an index folder.
    private void checkOut() {
        if (append) {
            if (!Files.isDirectory(out)) {
                throw new CommandFailure(ExitCode.BAD_INPUT, out + ": no index folder to append to (make one with encode --out without --append)");
            }
        } else if (Files.isRegularFile(out)) {
            throw new CommandFailure(ExitCode.BAD_INPUT, out + " is a file (a version-1 index?); encode writes an index folder: give a new name");
        } else if (CodeIndex.isIndexFolder(out)) {
            throw new CommandFailure(ExitCode.BAD_INPUT, out + " already holds an index: add to it with --append, or give a new folder");
        }
    }

    private long firstFreeId() throws IOException {
        try (CodeIndex index = CodeIndex.open(out); IndexSnapshot s = index.snapshot()) {
            return s.maxId().isPresent() ? s.maxId().getAsLong() + 1 : 0;
        }
    }
}
