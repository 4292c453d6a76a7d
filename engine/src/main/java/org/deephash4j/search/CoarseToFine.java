package org.deephash4j.search;

import java.util.Arrays;

/**
 * Coarse-to-fine retrieval (Lin, Yang, Hsiao, Chen, "Deep Learning of Binary Hash Codes for Fast Image
 * Retrieval", CVPR-W 2015, DLBHC section 3.3): a coarse step takes every database code within Hamming radius r
 * of the query code, widening r from {@code radius} one step at a time until at least {@code minCandidates}
 * codes qualify (or r = bits); a fine step re-ranks those candidates by the Euclidean distance between their
 * stored float features (DLBHC: the F7 activations) and the query's, ties by id, and keeps the top k.
 *
 * <p>Features are [n, dim] row-major, one row per code. The coarse step uses the linear scan (one pass gives
 * the distance histogram, so the widened radius costs nothing extra) or, when given, a
 * {@link MultiIndexHashing} index (one radius search per widening step; the answer is the same).
 * Distances are computed in double over the float features. Immutable; safe for concurrent readers.
 */
public final class CoarseToFine {
    private final BinaryCodes codes;
    private final float[] features;
    private final int dim;
    private final LinearScan scan;
    private final MultiIndexHashing index;

    /** One fine-ranked answer: rows in order of (Euclidean distance, id). */
    public record Result(int[] rows, long[] ids, int[] hamming, double[] euclidean, int radius, int candidates) {
        public int size() {
            return rows.length;
        }
    }

    /** Coarse step by linear scan. */
    public CoarseToFine(BinaryCodes codes, float[] features, int dim) {
        this(codes, features, dim, null);
    }

    /** Coarse step by multi-index hashing (built over the same codes). */
    public CoarseToFine(BinaryCodes codes, float[] features, int dim, MultiIndexHashing index) {
        if (dim < 1 || (long) codes.size() * dim != features.length) {
            throw new IllegalArgumentException("CoarseToFine: features hold " + features.length + " floats, expected ["
                    + codes.size() + ", " + dim + "] (one row per code)");
        }
        if (index != null && index.codes() != codes) {
            throw new IllegalArgumentException("CoarseToFine: the multi-index was built over other codes");
        }
        this.codes = codes;
        this.features = features.clone();
        this.dim = dim;
        this.index = index;
        this.scan = index == null ? new LinearScan(codes) : null;
    }

    public int featureDim() {
        return dim;
    }

    /**
     * Top k of query row {@code row} (code) with feature {@code queryFeatures[row * dim, (row + 1) * dim)}.
     *
     * @param radius        the starting Hamming radius (inclusive)
     * @param minCandidates widen the radius until at least this many candidates (capped at n)
     */
    public Result search(BinaryCodes queries, int row, float[] queryFeatures, int radius, int minCandidates, int k) {
        codes.requireSameBits("CoarseToFine.search", queries);
        if (queryFeatures.length != (long) queries.size() * dim) {
            throw new IllegalArgumentException("CoarseToFine.search: query features hold " + queryFeatures.length
                    + " floats, expected [" + queries.size() + ", " + dim + "]");
        }
        if (radius < 0 || minCandidates < 0 || k < 1) {
            throw new IllegalArgumentException("CoarseToFine.search: radius = " + radius + ", minCandidates = "
                    + minCandidates + ", k = " + k + "; expected radius >= 0, minCandidates >= 0, k >= 1");
        }
        int want = Math.min(minCandidates, codes.size());
        int bits = codes.bits();
        int[] rows;
        int[] hamming;
        int r = Math.min(radius, bits);
        if (index != null) {
            Neighbors coarse = index.radius(queries, row, r);
            while (coarse.size() < want && r < bits) coarse = index.radius(queries, row, ++r);
            rows = coarse.rows();
            hamming = coarse.distances();
        } else {
            int[] d = new int[codes.size()];
            scan.distances(queries, row, d);
            int[] hist = new int[bits + 1];
            for (int x : d) hist[x]++;
            int within = 0;
            for (int x = 0; x <= r; x++) within += hist[x];
            while (within < want && r < bits) within += hist[++r];
            rows = new int[within];
            hamming = new int[within];
            int c = 0;
            for (int i = 0; i < d.length; i++) {
                if (d[i] <= r) {
                    rows[c] = i;
                    hamming[c++] = d[i];
                }
            }
        }
        return fine(rows, hamming, queryFeatures, row * dim, r, k);
    }

    /** {@link #search} for every query row on {@code threads} workers; the answer does not depend on threads. */
    public Result[] searchBatch(BinaryCodes queries, float[] queryFeatures, int radius, int minCandidates, int k,
                                int threads) {
        Result[] out = new Result[queries.size()];
        SearchThreads.forEach(out.length, threads,
                () -> i -> out[i] = search(queries, i, queryFeatures, radius, minCandidates, k));
        return out;
    }

    private Result fine(int[] rows, int[] hamming, float[] q, int qOff, int r, int k) {
        int m = rows.length;
        double[] dist = new double[m];
        Integer[] order = new Integer[m];
        long[] ids = codes.idArray();
        for (int c = 0; c < m; c++) {
            double s = 0;
            int off = rows[c] * dim;
            for (int j = 0; j < dim; j++) {
                double diff = (double) features[off + j] - q[qOff + j];
                s += diff * diff;
            }
            dist[c] = Math.sqrt(s);
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> {
            int byDistance = Double.compare(dist[a], dist[b]);
            if (byDistance != 0) return byDistance;
            int byId = Long.compare(ids[rows[a]], ids[rows[b]]);
            return byId != 0 ? byId : Integer.compare(rows[a], rows[b]);
        });
        int top = Math.min(k, m);
        int[] outRows = new int[top];
        long[] outIds = new long[top];
        int[] outHamming = new int[top];
        double[] outEuclid = new double[top];
        for (int i = 0; i < top; i++) {
            int c = order[i];
            outRows[i] = rows[c];
            outIds[i] = ids[rows[c]];
            outHamming[i] = hamming[c];
            outEuclid[i] = dist[c];
        }
        return new Result(outRows, outIds, outHamming, outEuclid, r, m);
    }
}
