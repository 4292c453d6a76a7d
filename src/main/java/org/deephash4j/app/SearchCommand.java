package org.deephash4j.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.deephash4j.app.report.Montage;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.ImageLoader;
import org.deephash4j.data.InputShape;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.Hits;
import org.deephash4j.index.IndexSnapshot;
import org.deephash4j.index.SearchMethod;
import org.deephash4j.index.SearchOptions;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.model.ModelInfo;
import org.deephash4j.model.QueryImage;
import org.deephash4j.search.BinaryCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Searches a code index (a folder, memory-mapped; or a version-1 file) by an image, by the codes of a query index,
 * by a code given in hex or by the code of an id in the index: the k nearest codes or every code within a radius,
 * by the method and on the device asked; prints the results and writes a montage.
 */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the nearest codes by Hamming distance (exact: every method gives brute force's answer, ties by id).",
            "Examples: deephash search --index db --model runs/hashnet-48.safetensors --image shoe.png",
            "          deephash search --index db --queries q --limit 5 --montage results.png",
            "          deephash search --index big --query-id 42 --radius 2 --method mih --montage none",
            "          deephash search --index big --code 8f00ffee01234567 -k 100 --method scan --device opencl:0"})
final class SearchCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "PATH", description = "Index folder written by 'deephash encode' (or a version-1 index file).")
    Path index;

    @Option(names = "--image", paramLabel = "FILE", description = "Query image (needs --model).")
    Path image;

    @Option(names = "--model", paramLabel = "FILE", description = "Checkpoint that encodes the query image.")
    Path model;

    @Option(names = "--queries", paramLabel = "PATH", description = "Index of query codes (from 'deephash encode --set query').")
    Path queries;

    @Option(names = "--code", paramLabel = "HEX", description = "Query code in hex: ceil(bits/4) digits, the first digit holding bits 0..3 (bit 0 its highest).")
    String code;

    @Option(names = "--query-id", paramLabel = "ID", split = ",",
            description = "Query with the code of this id of the index (several: 1,2,3; one search each, timed apart).")
    List<Long> queryIds;

    @Option(names = "--limit", description = "With --queries: search the first N queries (default 5).")
    int limit = 5;

    @Option(names = "-k", description = "Results per query (default 10); with --radius, how many of them to print.")
    int k = 10;

    @Option(names = "--radius", paramLabel = "R", description = "Every code within Hamming distance R instead of the k nearest.")
    Integer radius;

    @Option(names = "--method", paramLabel = "NAME", description = "auto (default: the cheaper by the index's cost model), scan or mih (multi-index hashing).")
    String method = "auto";

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
        int given = (image != null ? 1 : 0) + (queries != null ? 1 : 0) + (code != null ? 1 : 0) + (queryIds != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give one query: --image FILE (with --model), --queries PATH, --code HEX or --query-id ID");
        }
        if (k < 1) throw new IllegalArgumentException("-k " + k + ": expected at least 1");
        if (limit < 1) throw new IllegalArgumentException("--limit " + limit + ": expected at least 1 query");
        if (radius != null && radius < 0) throw new IllegalArgumentException("--radius " + radius + ": expected at least 0");
        SearchMethod searchMethod = SearchMethod.parse(method);
        Backend device = deviceOption.open();
        try (CodeIndex db = IndexCommand.open(index); IndexSnapshot snapshot = db.snapshot()) {
            return search(db, snapshot, device, SearchOptions.defaults().withMethod(searchMethod).withDevice(device));
        }
    }

    private int search(CodeIndex db, IndexSnapshot snapshot, Backend device, SearchOptions options) throws IOException {
        IndexSources.Lookup dbSources = IndexSources.of(index, snapshot);
        IndexSources.Lookup qSources = id -> Optional.empty();
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
            checkBits(info.bits(), model + " makes", db.bits());
            decode = info.preprocessing().decodeShape();
            splitSeed = info.splitSeed();
            try (HashingModel m = HashingModel.load(c, model, device, null)) {
                QueryImage query = QueryImage.load(image, m, policy);
                for (String note : query.notes()) System.out.println(note);
                q = m.encode(query.asDataset(image.toString()), new int[] {0});
                channels = query.shape().channels();
                height = query.shape().height();
                width = query.shape().width();
                queryCells.add(new Montage.Cell(query.pixels(), "query", null));
            }
        } else if (queries != null) {
            try (CodeIndex qi = IndexCommand.open(queries); IndexSnapshot qs = qi.snapshot()) {
                checkBits(qi.bits(), queries + " holds", db.bits());
                q = qs.liveCodes();
                // read now: the lookup reads the query index's snapshot, closed below
                IndexSources.Lookup lookup = IndexSources.of(queries, qs);
                Map<Long, IndexSources.Source> first = new HashMap<>();
                for (int row = 0; row < Math.min(limit, q.size()); row++) lookup.get(q.id(row)).ifPresent(s -> first.put(s.id(), s));
                qSources = id -> Optional.ofNullable(first.get(id));
            }
        } else if (code != null) {
            q = QueryCode.parse(code, db.bits());
        } else {
            int words = BinaryCodes.wordsFor(db.bits());
            long[] w = new long[queryIds.size() * words];
            long[] ids = new long[queryIds.size()];
            for (int i = 0; i < ids.length; i++) {
                long id = queryIds.get(i);
                BinaryCodes c = snapshot.code(id).orElseThrow(() -> new CommandFailure(ExitCode.BAD_INPUT,
                        "--query-id " + id + ": " + index + " holds no live code with this id"));
                for (int j = 0; j < words; j++) w[i * words + j] = c.word(0, j);
                ids[i] = id;
            }
            q = BinaryCodes.fromWords(db.bits(), w, ids);
            qSources = dbSources;
        }
        int nq = queries != null ? Math.min(limit, q.size()) : queryIds != null ? q.size() : 1;
        System.out.printf(Locale.ROOT, "index %s: %d codes of %d bits in %d segment%s; method %s on %s%n", index, snapshot.size(),
                snapshot.bits(), snapshot.segments(), snapshot.segments() == 1 ? "" : "s",
                options.method().name().toLowerCase(Locale.ROOT), device.name());
        Dataset data = null;
        String dataIdentity = null;
        boolean wantPixels = !montage.equals("none");
        List<Montage.Row> rows = new ArrayList<>();
        for (int row = 0; row < nq; row++) {
            long t0 = System.nanoTime();
            Hits hits = radius != null ? snapshot.radius(q, row, radius, options)
                    : snapshot.knn(q, row, (int) Math.min(k, Math.max(1, snapshot.size())), options);
            double ms = (System.nanoTime() - t0) / 1e6;
            IndexSources.Source qs = queryIds != null || queries != null ? qSources.get(q.id(row)).orElse(null) : null;
            String what = image != null ? image.toString() : code != null ? "code " + code
                    : "id " + q.id(row) + (qs == null ? "" : " " + qs.source() + " " + qs.label());
            String found = radius != null ? hits.size() + " codes within distance " + radius : hits.size() + " nearest";
            System.out.printf(Locale.ROOT, "query %s: %s in %.3f ms%n", what, found, ms);
            int shown = Math.min(k, hits.size());
            for (int j = 0; j < shown; j++) {
                IndexSources.Source s = dbSources.get(hits.id(j)).orElse(null);
                System.out.printf(Locale.ROOT, "  %3d  id %-8d  distance %3d%s%n", j + 1, hits.id(j), hits.distance(j),
                        s == null ? "" : "  " + s.source() + (s.label().isEmpty() ? "" : "  " + s.label()));
            }
            if (shown < hits.size()) System.out.printf(Locale.ROOT, "  ... %d more (-k to print more)%n", hits.size() - shown);
            if (wantPixels) {
                List<IndexSources.Source> drawn = new ArrayList<>();
                if (qs != null) drawn.add(qs);
                for (int j = 0; j < shown; j++) dbSources.get(hits.id(j)).ifPresent(drawn::add);
                if (data == null && drawn.stream().anyMatch(IndexSources.Source::fromDataset)) {
                    data = dataOptions.load(splitSeed, decode).data();
                    dataIdentity = DatasetIdentity.of(data);
                }
                for (IndexSources.Source s : drawn) checkSameDataset(s, dataIdentity);
                // A query image is shown at the data set's size when the results are images of the data set.
                Montage.Cell qc = image == null ? cell(qs, data, "query", channels, height, width, null)
                        : data == null ? queryCells.getFirst()
                        : new Montage.Cell(ImageLoader.load(image, data.channels(), data.height(), data.width()), "query", null);
                List<Montage.Cell> cells = new ArrayList<>();
                for (int j = 0; j < shown; j++) {
                    IndexSources.Source s = dbSources.get(hits.id(j)).orElse(null);
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

    // A data:i source names image i of the data set it was encoded from; drawing image i of another is refused.
    private void checkSameDataset(IndexSources.Source s, String loaded) {
        if (!s.fromDataset() || s.dataset().isEmpty()) return;     // a file, or a version-1 side file (no identity kept)
        if (!s.dataset().equals(loaded)) {
            throw new CommandFailure(ExitCode.BAD_INPUT, "id " + s.id() + " is " + s.source() + " of data set "
                    + DatasetIdentity.describe(s.dataset()) + " but the data set loaded for the montage is "
                    + DatasetIdentity.describe(loaded) + "; give the data set the index was encoded from (--data, --embedded) "
                    + "or --montage none");
        }
    }

    // Pixels of a source at the size of the data set (data:i) or of the model input (a file).
    private static Montage.Cell cell(IndexSources.Source s, Dataset data, String caption, int c, int h, int w, Boolean relevant)
            throws IOException {
        if (s == null) return null;
        if (s.fromDataset()) {
            int i = s.datasetIndex();
            if (data == null || i < 0 || i >= data.size()) return null;
            return new Montage.Cell(data.rawImage(i), caption, relevant);
        }
        Path p = Path.of(s.source());
        if (!Files.exists(p)) return null;
        return new Montage.Cell(ImageLoader.load(p, data != null ? data.channels() : c, data != null ? data.height() : h,
                data != null ? data.width() : w), caption, relevant);
    }
}
