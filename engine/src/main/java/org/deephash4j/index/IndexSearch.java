package org.deephash4j.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.deephash4j.backend.DeviceCodes;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.MappedMultiIndex;
import org.deephash4j.search.SearchThreads;
import org.deephash4j.search.SegmentHammingKernels;

/**
 * Exact k-NN and radius search over one {@link Version}: every segment's live codes (tombstones honoured), only
 * ids in the filter when there is one, answers in (distance, id) order, whatever the method and however the codes
 * are spread over segments.
 *
 * <p>Per query and segment a plan is chosen ({@link SearchMethod}, {@link CostModel}):
 * <ul>
 *   <li>scan: the segment's mapped codes through {@link SegmentHammingKernels} in blocks; for k-NN each block's
 *       bound comes from the candidates so far ({@link CandidatePool#bound(int, long)}), as in
 *       {@code search.LinearScan};</li>
 *   <li>probe: multi-index steps t = 0, 1, ... ({@link MappedMultiIndex.Prober#step}); k-NN runs step t on every
 *       probed segment before step t + 1 and stops once {@code k} candidates lie within t, because after step t every
 *       probed segment has reported every code within t; a segment whose probing work passes its budget has its
 *       candidates removed and is scanned instead;</li>
 *   <li>lookup: with a small id filter, each filter id is found by binary search in the segment's ids and its code
 *       compared directly.</li>
 * </ul>
 * k-NN scans segments before probing, so that probing starts with a bound. A batch is spread over queries; a
 * query that is scanned alone is spread over chunks of rows (each chunk keeps its own k best, merged in chunk
 * order), so the answer never depends on the thread count.
 *
 * <p>With an OpenCL device ({@link SearchOptions#device()}, method scan or auto), the scan runs there: per-query
 * distance histograms over every segment give the k-th distance D, then the device returns the rows within D,
 * which the host orders by (distance, id); the method mih still probes on the CPU.
 */
final class IndexSearch {
    static final int BLOCK = 4096;
    static final int CHUNK = 1 << 20;

    private enum Plan { SCAN, PROBE, LOOKUP }

    private final Version version;
    private final SearchOptions options;
    private final SegmentHammingKernels kernels;
    private final IdFilter filter;
    private final int bits;
    private final int words;
    private final int segments;

    IndexSearch(Version version, SearchOptions options, SegmentHammingKernels kernels) {
        this.version = version;
        this.options = options;
        this.kernels = kernels;
        this.filter = options.filter();
        this.bits = version.bits();
        this.words = BinaryCodes.wordsFor(bits);
        this.segments = version.segmentCount();
    }

    private void check(String op, BinaryCodes queries) {
        if (queries.bits() != bits) {
            throw new IllegalArgumentException(op + ": the index holds " + bits + "-bit codes but the queries have "
                    + queries.bits() + " bits");
        }
    }

    Hits[] knn(BinaryCodes queries, int k) {
        check("knn", queries);
        if (k < 1) throw new IllegalArgumentException("knn: k = " + k + ", expected >= 1");
        if (useDevice()) {
            Hits[] onDevice = deviceSearch(queries, k, -1);
            if (onDevice != null) return onDevice;
        }
        long[] q = queries.words();
        Hits[] out = new Hits[queries.size()];
        if (out.length > 1 && new Worker().scanOnly(q, 0)) return blockedScan(q, out.length, k, -1);
        if (queries.size() < options.threads() && options.threads() > 1) {
            Worker w = new Worker();
            for (int i = 0; i < out.length; i++) {
                out[i] = w.scanOnly(q, i * words) ? parallelScan(q, i * words, k, -1) : w.knn(q, i * words, k);
            }
            return out;
        }
        SearchThreads.forEach(out.length, options.threads(), () -> {
            Worker w = new Worker();
            return i -> out[i] = w.knn(q, i * words, k);
        });
        return out;
    }

    Hits[] radius(BinaryCodes queries, int radius) {
        check("radius", queries);
        if (radius < 0) throw new IllegalArgumentException("radius: radius = " + radius + ", expected >= 0");
        int r = Math.min(radius, bits);
        if (useDevice()) {
            Hits[] onDevice = deviceSearch(queries, -1, r);
            if (onDevice != null) return onDevice;
        }
        long[] q = queries.words();
        Hits[] out = new Hits[queries.size()];
        if (out.length > 1 && new Worker().scanOnlyRadius(q, 0, r)) return blockedScan(q, out.length, -1, r);
        if (queries.size() < options.threads() && options.threads() > 1) {
            Worker w = new Worker();
            for (int i = 0; i < out.length; i++) {
                out[i] = w.scanOnlyRadius(q, i * words, r) ? parallelScan(q, i * words, -1, r)
                        : w.radius(q, i * words, r);
            }
            return out;
        }
        SearchThreads.forEach(out.length, options.threads(), () -> {
            Worker w = new Worker();
            return i -> out[i] = w.radius(q, i * words, r);
        });
        return out;
    }

    // ---------------------------------------------------------------- scans of many rows or many queries

    private record Chunk(int segment, int from, int to) {
    }

    private List<Chunk> chunks(int rows) {
        List<Chunk> chunks = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            if (version.live(s) == 0) continue;
            int n = version.segment(s).size();
            for (int from = 0; from < n; from += rows) chunks.add(new Chunk(s, from, Math.min(n, from + rows)));
        }
        return chunks;
    }

    /**
     * A batch of scanned queries: each worker takes the queries i with i % workers = its number and reads every
     * block of rows once for all of them (512 KiB of codes, which stay in the core's L2 cache while each query scans
     * them), so memory is read once per worker, not once per query. k-NN (k > 0) or radius r (k < 0).
     */
    private Hits[] blockedScan(long[] q, int count, int k, int r) {
        int groups = Math.min(options.threads(), count);
        Hits[] out = new Hits[count];
        List<Chunk> blocks = chunks(Math.max(BLOCK, (1 << 19) / (8 * words)));
        SearchThreads.forEach(groups, groups, () -> g -> {
            int members = (count - g + groups - 1) / groups;
            Worker[] ws = new Worker[members];
            for (int j = 0; j < members; j++) ws[j] = new Worker();
            for (Chunk c : blocks) {
                for (int j = 0; j < members; j++) {
                    int qOff = (g + j * groups) * words;
                    if (k > 0) {
                        ws[j].scanKnn(c.segment(), q, qOff, k, c.from(), c.to());
                    } else {
                        ws[j].scanRadius(c.segment(), q, qOff, r, c.from(), c.to());
                    }
                }
            }
            for (int j = 0; j < members; j++) out[g + j * groups] = ws[j].pool.hits(k > 0 ? k : Integer.MAX_VALUE);
        });
        return out;
    }

    /** k-NN (k > 0) or radius (k < 0) of one query by scanning chunks in parallel. */
    private Hits parallelScan(long[] q, int qOff, int k, int r) {
        long rows = 0;
        for (int s = 0; s < segments; s++) rows += version.segment(s).size();
        // Four chunks per worker at least (balance), and no fewer rows than CHUNK (each chunk's pool starts empty).
        List<Chunk> chunks = chunks((int) Math.max(CHUNK, Math.min(Integer.MAX_VALUE, rows / (4L * options.threads()))));
        CandidatePool[] results = new CandidatePool[chunks.size()];
        SearchThreads.forEach(chunks.size(), options.threads(), () -> {
            Worker w = new Worker();
            return i -> {
                Chunk c = chunks.get(i);
                w.pool.clear();
                if (k > 0) {
                    w.scanKnn(c.segment(), q, qOff, k, c.from(), c.to());
                    w.pool.sortAndTruncate(k);
                } else {
                    w.scanRadius(c.segment(), q, qOff, r, c.from(), c.to());
                }
                CandidatePool copy = new CandidatePool(bits);
                copy.addAll(w.pool);
                results[i] = copy;
            };
        });
        CandidatePool all = new CandidatePool(bits);
        for (CandidatePool p : results) {
            all.addAll(p);
            if (k > 0) all.compact(k, BLOCK);
        }
        return all.hits(k > 0 ? k : Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------- one thread's search

    /** One worker's scratch: the candidate pool, block buffers, probers; also the sink of probed candidates. */
    private final class Worker implements MappedMultiIndex.CandidateSink {
        final CandidatePool pool = new CandidatePool(bits);
        final int[] blockRows = new int[BLOCK];
        final int[] blockDists = new int[BLOCK];
        final MappedMultiIndex.Prober[] probers = new MappedMultiIndex.Prober[segments];
        final long[] code = new long[words];
        int sinkSegment;
        Segment sinkCodes;
        Tombstones sinkTombstones;

        @Override
        public void accept(int row, int d) {
            if (Integer.compareUnsigned(row, sinkCodes.size()) >= 0) throw corruptTables(sinkSegment, row);
            if (sinkTombstones.isDeleted(row)) return;
            long id = sinkCodes.id(row);
            if (filter != null && !filter.contains(id)) return;
            pool.add(sinkSegment, row, id, d);
        }

        /** The tables' checksums are read only by verify(); a row out of range is caught here. */
        private UncheckedIOException corruptTables(int s, int row) {
            java.nio.file.Path file = version.segment(s).path().resolveSibling(
                    IndexFormat.multiIndexName(version.files(s).number()));
            return new UncheckedIOException(new org.deephash4j.io.FormatException(file, "rows", 0, "row " + row
                    + " of a segment of " + version.segment(s).size() + " codes (the tables are corrupted; "
                    + "CodeIndex.verify() checks them)"));
        }

        private void sinkTo(int s) {
            sinkSegment = s;
            sinkCodes = version.segment(s);
            sinkTombstones = version.tombstones(s);
        }

        private MappedMultiIndex tables(int s) {
            try {
                return version.files(s).tables();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private MappedMultiIndex.Prober prober(int s) {
            if (probers[s] == null) probers[s] = tables(s).prober();
            return probers[s];
        }

        /** Filter ids inside segment s's id range. */
        private int filterIdsIn(int s) {
            Segment seg = version.segment(s);
            long[] ids = filter.sorted();
            int from = lowerBound(ids, seg.minId());
            int to = lowerBound(ids, seg.maxId() == Long.MAX_VALUE ? Long.MAX_VALUE : seg.maxId() + 1);
            if (seg.maxId() == Long.MAX_VALUE) to = ids.length;
            return to - from;
        }

        private double scanCost(int s) {
            return CostModel.scan(version.segment(s).size(), words);
        }

        private boolean lookupPays(int s, double alternative) {
            return filter != null && options.method() == SearchMethod.AUTO
                    && CostModel.lookup(filterIdsIn(s), version.segment(s).size()) < alternative;
        }

        private boolean probes(int s) {
            return options.method() != SearchMethod.SCAN && version.files(s).hasTables();
        }

        /** True when every segment would be scanned for this k-NN query (then chunks may run in parallel). */
        boolean scanOnly(long[] q, int qOff) {
            for (int s = 0; s < segments; s++) {
                if (version.live(s) == 0) continue;
                if (probes(s) || lookupPays(s, scanCost(s))) return false;
            }
            return true;
        }

        boolean scanOnlyRadius(long[] q, int qOff, int r) {
            for (int s = 0; s < segments; s++) {
                if (version.live(s) == 0) continue;
                if (planRadius(s, r) != Plan.SCAN) return false;
            }
            return true;
        }

        private Plan planRadius(int s, int r) {
            double scan = scanCost(s);
            if (probes(s)) {
                MappedMultiIndex mi = tables(s);
                double probes = 0;
                for (int t = 0; t <= r; t++) probes += mi.probes(t);
                double probing = CostModel.probing(probes, 0);
                if (options.method() == SearchMethod.MIH) return Plan.PROBE;
                if (lookupPays(s, Math.min(scan, probing))) return Plan.LOOKUP;
                return probing < scan ? Plan.PROBE : Plan.SCAN;
            }
            return lookupPays(s, scan) ? Plan.LOOKUP : Plan.SCAN;
        }

        private double budget(int s) {
            return (options.method() == SearchMethod.MIH ? CostModel.FORCED_PROBING_LIMIT : 1) * scanCost(s);
        }

        Hits radius(long[] q, int qOff, int r) {
            pool.clear();
            for (int s = 0; s < segments; s++) {
                if (version.live(s) == 0) continue;
                Plan plan = planRadius(s, r);
                if (plan == Plan.LOOKUP) {
                    lookup(s, q, qOff, r, -1);
                } else if (plan == Plan.PROBE) {
                    int mark = pool.size();
                    if (!probeRadius(s, q, qOff, r)) {
                        pool.truncate(mark);
                        scanRadius(s, q, qOff, r, 0, version.segment(s).size());
                    }
                } else {
                    scanRadius(s, q, qOff, r, 0, version.segment(s).size());
                }
            }
            return pool.hits(Integer.MAX_VALUE);
        }

        /** Probing steps 0..r of segment s; false (candidates to be discarded) if the work passes the budget. */
        private boolean probeRadius(int s, long[] q, int qOff, int r) {
            MappedMultiIndex mi = tables(s);
            MappedMultiIndex.Prober p = prober(s);
            sinkTo(s);
            double budget = budget(s);
            double work = 0;
            for (int t = 0; t <= r; t++) {
                work += CostModel.probing(mi.probes(t), 0);
                if (work > budget) return false;
                work += CostModel.probing(0, p.step(q, qOff, t, r, this));
                if (work > budget) return false;
            }
            return true;
        }

        void scanRadius(int s, long[] q, int qOff, int r, int from, int to) {
            Segment seg = version.segment(s);
            Tombstones dead = version.tombstones(s);
            for (int b = from; b < to; b += BLOCK) {
                int e = Math.min(to, b + BLOCK);
                int c = kernels.scan(blockRows, blockDists, q, qOff, seg.codes(), seg.size(), words, b, e, r);
                addHits(s, seg, dead, c);
            }
        }

        private void addHits(int s, Segment seg, Tombstones dead, int c) {
            for (int j = 0; j < c; j++) {
                int row = blockRows[j];
                if (dead.isDeleted(row)) continue;
                long id = seg.id(row);
                if (filter != null && !filter.contains(id)) continue;
                pool.add(s, row, id, blockDists[j]);
            }
        }

        /** Rows [from, to) of segment s for the k-NN pool, each block bounded by what can still be an answer. */
        void scanKnn(int s, long[] q, int qOff, int want, int from, int to) {
            Segment seg = version.segment(s);
            Tombstones dead = version.tombstones(s);
            for (int b = from; b < to; b += BLOCK) {
                int bound = pool.bound(want, seg.id(b));
                if (bound < 0) break;     // ids only grow along the segment: nothing later can be an answer
                int e = Math.min(to, b + BLOCK);
                int c = kernels.scan(blockRows, blockDists, q, qOff, seg.codes(), seg.size(), words, b, e, bound);
                addHits(s, seg, dead, c);
                pool.compact(want, BLOCK);
            }
        }

        /** Each filter id in segment s: found by binary search, compared directly (radius r, or k-NN when want > 0). */
        private void lookup(int s, long[] q, int qOff, int r, int want) {
            Segment seg = version.segment(s);
            Tombstones dead = version.tombstones(s);
            long[] ids = filter.sorted();
            for (int i = lowerBound(ids, seg.minId()); i < ids.length && ids[i] <= seg.maxId(); i++) {
                int row = seg.rowOf(ids[i]);
                if (row < 0 || dead.isDeleted(row)) continue;
                seg.code(row, code, 0);
                int d = 0;
                for (int w = 0; w < words; w++) d += Long.bitCount(q[qOff + w] ^ code[w]);
                int bound = want > 0 ? pool.bound(want) : r;
                if (d <= bound) pool.add(s, row, ids[i], d);
                if (want > 0) pool.compact(want, BLOCK);
            }
        }

        Hits knn(long[] q, int qOff, int k) {
            pool.clear();
            boolean[] probed = new boolean[segments];
            int probedCount = 0;
            long exact = 0;
            for (int s = 0; s < segments; s++) {
                if (version.live(s) == 0 || !probes(s) || lookupPays(s, scanCost(s))) continue;
                probed[s] = true;
                probedCount++;
                if (options.method() == SearchMethod.AUTO) exact += prober(s).exactMatches(q, qOff);
            }
            if (options.method() == SearchMethod.AUTO && probedCount > 0 && exact < k) {
                // Fewer than k codes share even one substring with the query: the k-th neighbour is far (random
                // codes), where probing costs more than the scan.
                Arrays.fill(probed, false);
                probedCount = 0;
            }
            // Scans and lookups first, so that probing starts with a bound.
            for (int s = 0; s < segments; s++) {
                if (version.live(s) == 0 || probed[s]) continue;
                if (lookupPays(s, scanCost(s))) {
                    lookup(s, q, qOff, bits, k);
                } else {
                    scanKnn(s, q, qOff, k, 0, version.segment(s).size());
                }
            }
            if (probedCount > 0) probeKnn(probed, q, qOff, k);
            return pool.hits(k);
        }

        private void probeKnn(boolean[] probed, long[] q, int qOff, int k) {
            double[] work = new double[segments];
            for (int t = 0; t <= bits; t++) {
                int maxDistance = pool.bound(k);
                if (t > maxDistance) break;   // every code within maxDistance was reached by step maxDistance
                boolean any = false;
                for (int s = 0; s < segments; s++) {
                    if (!probed[s]) continue;
                    MappedMultiIndex mi = tables(s);
                    work[s] += CostModel.probing(mi.probes(t), 0);
                    if (work[s] <= budget(s)) {
                        sinkTo(s);
                        work[s] += CostModel.probing(0, prober(s).step(q, qOff, t, maxDistance, this));
                    }
                    if (work[s] > budget(s)) {
                        probed[s] = false;
                        pool.removeSegment(s);
                        scanKnn(s, q, qOff, k, 0, version.segment(s).size());
                    } else {
                        any = true;
                    }
                }
                pool.compact(k, BLOCK);
                if (!any || pool.within(t) >= k) break;
            }
        }
    }

    private static int lowerBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---------------------------------------------------------------- on a device

    private boolean useDevice() {
        return options.device() != null && options.method() != SearchMethod.MIH;
    }

    /** Rows a device must skip in segment s: deleted ones and, with a filter, those outside it; null if none. */
    private long[] excluded(int s) {
        Segment seg = version.segment(s);
        Tombstones dead = version.tombstones(s);
        int n = seg.size();
        if (filter == null && dead.deleted() == 0) return null;
        long[] mask = new long[(n + 63) >>> 6];
        if (filter != null) {
            Arrays.fill(mask, -1L);
            if ((n & 63) != 0) mask[mask.length - 1] = -1L >>> (64 - (n & 63));
            long[] ids = filter.sorted();
            for (int i = lowerBound(ids, seg.minId()); i < ids.length && ids[i] <= seg.maxId(); i++) {
                int row = seg.rowOf(ids[i]);
                if (row >= 0) mask[row >>> 6] &= ~(1L << row);
            }
        }
        long[] dead64 = dead.words();
        for (int w = 0; w < dead64.length && w < mask.length; w++) mask[w] |= dead64[w];
        return mask;
    }

    /** k-NN (k > 0) or radius r (k < 0) of every query on the device; null if it has no Hamming kernels. */
    private Hits[] deviceSearch(BinaryCodes queries, int k, int r) {
        int nq = queries.size();
        long[] q = queries.words();
        List<Integer> used = new ArrayList<>();
        List<DeviceCodes> codes = new ArrayList<>();
        List<long[]> masks = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            if (version.live(s) == 0) continue;
            Optional<DeviceCodes> d = version.files(s).deviceCodes(options.device());
            if (d.isEmpty()) return null;     // a backend without Hamming kernels (the CPU's): search on the CPU
            used.add(s);
            codes.add(d.get());
            masks.add(excluded(s));
        }
        int[] bounds = new int[nq];
        if (k > 0) {
            int[] hist = new int[nq * (bits + 1)];
            for (int i = 0; i < used.size(); i++) codes.get(i).histogram(hist, q, nq, masks.get(i));
            for (int qi = 0; qi < nq; qi++) {
                int c = 0;
                int d = 0;
                while (d < bits && (c += hist[qi * (bits + 1) + d]) < k) d++;
                bounds[qi] = d;
            }
        } else {
            Arrays.fill(bounds, r);
        }
        CandidatePool[] pools = new CandidatePool[nq];
        for (int qi = 0; qi < nq; qi++) pools[qi] = new CandidatePool(bits);
        for (int i = 0; i < used.size(); i++) {
            int s = used.get(i);
            Segment seg = version.segment(s);
            DeviceCodes.Selection sel = codes.get(i).select(q, nq, bounds, masks.get(i));
            for (int qi = 0; qi < nq; qi++) {
                for (int j = sel.offsets()[qi]; j < sel.offsets()[qi + 1]; j++) {
                    int row = sel.rows()[j];
                    pools[qi].add(s, row, seg.id(row), sel.distances()[j]);
                }
                if (k > 0) pools[qi].compact(k, BLOCK);
            }
        }
        Hits[] out = new Hits[nq];
        for (int qi = 0; qi < nq; qi++) out[qi] = pools[qi].hits(k > 0 ? k : Integer.MAX_VALUE);
        return out;
    }
}
