package org.deephash4j.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deephash4j.app.report.Montage;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.ImageLoader;
import org.deephash4j.data.InputShape;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.io.IndexFile;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import org.deephash4j.model.QueryImage;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Searches a code index by an image file or by the codes of a query index; prints the top results and writes a montage. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the nearest codes by Hamming distance (exact scan, ties by id).",
            "Examples: deephash search --index db.dhi --model runs/hashnet-48.safetensors --image shoe.png",
            "          deephash search --index db.dhi --queries q.dhi --limit 5 --montage results.png"})
final class SearchCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "FILE", description = "Index written by 'deephash encode'.")
    Path index;

    @Option(names = "--image", paramLabel = "FILE", description = "Query image (needs --model).")
    Path image;

    @Option(names = "--model", paramLabel = "FILE", description = "Checkpoint that encodes the query image.")
    Path model;

    @Option(names = "--queries", paramLabel = "FILE", description = "Index of query codes (from 'deephash encode --set query').")
    Path queries;

    @Option(names = "--limit", description = "With --queries: search the first N queries (default 5).")
    int limit = 5;

    @Option(names = "-k", description = "Results per query (default 10).")
    int k = 10;

    @Option(names = "--polarity", paramLabel = "WHAT", description = "A query image whose ground is the reverse of the training "
            + "images' (a dark object on white for a model trained on bright objects on black): invert (default), refuse or keep.")
    String polarity = "invert";

    @Option(names = "--montage", paramLabel = "FILE", description = "PNG montage of queries and results (default search-montage.png; 'none' to skip).")
    String montage = "search-montage.png";

    @Mixin
    DataOptions dataOptions;

    @Mixin
    DeviceOption deviceOption;

    @Override
    public Integer call() throws Exception {
        if ((image == null) == (queries == null)) throw new IllegalArgumentException("give either --image FILE (with --model) or --queries FILE");
        if (k < 1) throw new IllegalArgumentException("-k " + k + ": expected at least 1");
        if (limit < 1) throw new IllegalArgumentException("--limit " + limit + ": expected at least 1 query");
        IndexFile db = IndexFile.read(index);
        Map<Long, IndexSources.Source> dbSources = IndexSources.read(index);
        BinaryCodes q;
        List<Montage.Cell> queryCells = new ArrayList<>();
        int channels = 1, height = 28, width = 28;
        InputShape decode = null;
        long splitSeed = 0;
        if (image != null) {
            if (model == null) throw new IllegalArgumentException("--image needs --model to encode the image");
            QueryImage.Polarity policy = polarityPolicy();
            Checkpoint c = Checkpoint.read(model);
            ModelInfo info = ModelInfo.of(c, model);
            checkBits(info.bits(), model + " makes", db.codes().bits());
            decode = info.preprocessing().decodeShape();
            splitSeed = info.splitSeed();
            try (HashingModel m = HashingModel.load(c, model, deviceOption.open(), null)) {
                QueryImage query = QueryImage.load(image, m, policy);
                for (String note : query.notes()) System.out.println(note);
                q = m.encode(query.asDataset(image.toString()), new int[] {0});
                channels = query.shape().channels();
                height = query.shape().height();
                width = query.shape().width();
                queryCells.add(new Montage.Cell(query.pixels(), "query", null));
            }
        } else {
            IndexFile qi = IndexFile.read(queries);
            checkBits(qi.codes().bits(), queries + " holds", db.codes().bits());
            q = qi.codes();
        }
        int nq = image != null ? 1 : Math.min(limit, q.size());
        LinearScan scan = new LinearScan(db.codes());
        Dataset data = null;
        boolean wantPixels = !montage.equals("none");
        List<Montage.Row> rows = new ArrayList<>();
        Map<Long, IndexSources.Source> qSources = queries != null ? IndexSources.read(queries) : Map.of();
        long[] dbIds = db.codes().ids();
        long[] qIds = q.ids();
        for (int row = 0; row < nq; row++) {
            Neighbors hits = scan.knn(q, row, Math.min(k, db.codes().size()));
            IndexSources.Source qs = qSources.get(qIds[row]);
            System.out.println("query " + (image != null ? image : "id " + qIds[row] + (qs == null ? "" : " " + qs.source() + " " + qs.label())));
            for (int j = 0; j < hits.size(); j++) {
                IndexSources.Source s = dbSources.get(hits.id(j));
                System.out.printf(Locale.ROOT, "  %3d  id %-8d  distance %3d  %s%n", j + 1, hits.id(j), hits.distance(j),
                        s == null ? "" : s.source() + (s.label().isEmpty() ? "" : "  " + s.label()));
            }
            if (wantPixels) {
                if (data == null && needsData(dbSources, qs)) data = dataOptions.load(splitSeed, decode).data();
                // A query image is shown at the data set's size when the results are images of the data set.
                Montage.Cell qc = image == null ? cell(qs, data, "query", channels, height, width, null)
                        : data == null ? queryCells.getFirst()
                        : new Montage.Cell(ImageLoader.load(image, data.channels(), data.height(), data.width()), "query", null);
                List<Montage.Cell> cells = new ArrayList<>();
                for (int j = 0; j < hits.size(); j++) {
                    IndexSources.Source s = dbSources.get(hits.id(j));
                    Boolean relevant = qs != null && s != null && !qs.label().isEmpty() ? qs.label().equals(s.label()) : null;
                    Montage.Cell c = cell(s, data, "d=" + hits.distance(j), channels, height, width, relevant);
                    if (c != null) cells.add(c);
                }
                if (qc != null) rows.add(new Montage.Row(qc, cells));
            }
        }
        if (wantPixels && !rows.isEmpty()) {
            int ch = data != null ? data.channels() : channels, h = data != null ? data.height() : height, w = data != null ? data.width() : width;
            Montage.writePng(rows, ch, h, w, Path.of(montage));
            System.out.println("montage: " + montage);
        }
        return ExitCode.OK;
    }

    private QueryImage.Polarity polarityPolicy() {
        try {
            return QueryImage.Polarity.valueOf(polarity.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--polarity '" + polarity + "': expected invert, refuse or keep");
        }
    }

    private static void checkBits(int bits, String what, int indexBits) {
        if (bits != indexBits) {
            throw new CommandFailure(ExitCode.BAD_INPUT, what + " " + bits + "-bit codes but the index holds " + indexBits + "-bit codes");
        }
    }

    private static boolean needsData(Map<Long, IndexSources.Source> sources, IndexSources.Source query) {
        if (query != null && query.source().startsWith("data:")) return true;
        for (IndexSources.Source s : sources.values()) if (s.source().startsWith("data:")) return true;
        return false;
    }

    // Pixels of a source at the size of the data set (data:i) or of the model input (a file).
    private static Montage.Cell cell(IndexSources.Source s, Dataset data, String caption, int c, int h, int w, Boolean relevant)
            throws IOException {
        if (s == null) return null;
        if (s.source().startsWith("data:")) {
            int i = Integer.parseInt(s.source().substring(5));
            if (data == null || i >= data.size()) return null;
            return new Montage.Cell(data.rawImage(i), caption, relevant);
        }
        Path p = Path.of(s.source());
        if (!Files.exists(p)) return null;
        return new Montage.Cell(ImageLoader.load(p, data != null ? data.channels() : c, data != null ? data.height() : h,
                data != null ? data.width() : w), caption, relevant);
    }
}
