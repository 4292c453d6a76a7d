package org.deephash4j.opencl;

import static org.jocl.CL.*;

import org.deephash4j.search.BinaryCodes;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * Exact Hamming search on an OpenCL device ({@code hamming.cl}): a database of packed codes
 * (the {@link BinaryCodes} layout, row-major words) uploaded once into a read-only buffer, then
 * all distances from a batch of queries (one work-item per query × row, popcount of XOR) and
 * the k nearest rows of each query, in (distance, row) order, by a counting sort over the
 * distances 0..bits. Rows are ids when the database ids are 0..n-1 (as
 * {@code BinaryCodes.fromWords(bits, words)} gives), so the answer is {@code search.LinearScan}'s.
 * Release with {@link #close()}.
 */
public final class ClHamming implements AutoCloseable {
    private static final String FILE = "hamming.cl";
    private static final int LOCAL = 64;

    /** The k nearest rows of each query: rows[qi * k + j] and distances[qi * k + j], j &lt; k. */
    public record TopK(int queries, int k, int[] rows, int[] distances) {
    }

    private final OpenClBackend backend;
    private final int bits;
    private final int words;
    private final int n;
    private cl_mem codes;

    /** Uploads the database codes. */
    public ClHamming(OpenClBackend backend, BinaryCodes database) {
        this(backend, database.bits(), database.words(), database.size());
    }

    /** Uploads n codes of {@code bits} bits packed as in {@link BinaryCodes} (ceil(bits / 64) words per code). */
    public ClHamming(OpenClBackend backend, int bits, long[] words, int n) {
        int w = BinaryCodes.wordsFor(bits);
        if (bits < 1 || n < 0 || words.length != (long) n * w) {
            throw new IllegalArgumentException("ClHamming: " + words.length + " words for " + n + " codes of " + bits
                    + " bits; expected " + ((long) n * w) + " (" + w + " words per code)");
        }
        this.backend = backend;
        this.bits = bits;
        this.words = w;
        this.n = n;
        this.codes = upload(words, "ClHamming database");
    }

    public int size() {
        return n;
    }

    /** d[qi * n + i] = Hamming distance between query qi and database row i, for queries packed like the database. */
    public int[] distances(BinaryCodes queries) {
        check(queries);
        int q = queries.size();
        int[] out = new int[q * n];
        if (q == 0 || n == 0) return out;
        synchronized (backend) {
            cl_mem qs = upload(queries.words(), "ClHamming queries");
            cl_mem d = backend.createBuffer((long) q * n * Sizeof.cl_int, "ClHamming distances");
            try {
                launchDistances(d, qs, q);
                read(d, Pointer.to(out), (long) out.length * Sizeof.cl_int);
            } finally {
                clReleaseMemObject(qs);
                clReleaseMemObject(d);
            }
        }
        return out;
    }

    /** The min(k, n) nearest database rows of every query, in (distance, row) order. */
    public TopK topK(BinaryCodes queries, int k) {
        check(queries);
        if (k < 1) throw new IllegalArgumentException("ClHamming.topK: k = " + k + " must be >= 1");
        int q = queries.size();
        int kk = Math.min(k, n);
        int[] rows = new int[q * kk];
        int[] dists = new int[q * kk];
        if (q == 0 || kk == 0) return new TopK(q, kk, rows, dists);
        synchronized (backend) {
            cl_mem qs = upload(queries.words(), "ClHamming queries");
            cl_mem d = backend.createBuffer((long) q * n * Sizeof.cl_int, "ClHamming distances");
            cl_mem hist = backend.createBuffer((long) q * (bits + 1) * Sizeof.cl_int, "ClHamming histogram");
            cl_mem r = backend.createBuffer((long) q * kk * Sizeof.cl_int, "ClHamming rows", CL_MEM_WRITE_ONLY);
            cl_mem dd = backend.createBuffer((long) q * kk * Sizeof.cl_int, "ClHamming top distances", CL_MEM_WRITE_ONLY);
            try {
                launchDistances(d, qs, q);
                backend.kernel(FILE, "", "hamming_top_k").arg(r).arg(dd).arg(hist).arg(d).arg(q).arg(n).arg(bits)
                        .arg(kk).run1(q, 1);
                read(r, Pointer.to(rows), (long) rows.length * Sizeof.cl_int);
                read(dd, Pointer.to(dists), (long) dists.length * Sizeof.cl_int);
            } finally {
                for (cl_mem m : new cl_mem[] {qs, d, hist, r, dd}) clReleaseMemObject(m);
            }
        }
        return new TopK(q, kk, rows, dists);
    }

    private void launchDistances(cl_mem out, cl_mem queries, int q) {
        backend.kernel(FILE, "", "hamming_distances").arg(out).arg(queries).arg(codes).arg(q).arg(n).arg(words)
                .run2(n, q, LOCAL, 1);
    }

    private void check(BinaryCodes queries) {
        if (codes == null) throw new IllegalStateException("ClHamming has been closed");
        if (queries.bits() != bits) {
            throw new IllegalArgumentException("ClHamming: the database holds " + bits + "-bit codes but the queries have "
                    + queries.bits() + " bits");
        }
    }

    private cl_mem upload(long[] data, String purpose) {
        long bytes = Math.max(1, (long) data.length) * Sizeof.cl_long;
        cl_mem mem = backend.createBuffer(bytes, purpose, CL_MEM_READ_ONLY);
        if (data.length > 0) {
            int status = clEnqueueWriteBuffer(backend.queue(), mem, CL_TRUE, 0, (long) data.length * Sizeof.cl_long,
                    Pointer.to(data), 0, null, null);
            if (status != CL_SUCCESS) {
                clReleaseMemObject(mem);
                throw ClException.of(status, "clEnqueueWriteBuffer " + purpose);
            }
        }
        return mem;
    }

    private void read(cl_mem src, Pointer dst, long bytes) {
        int status = clEnqueueReadBuffer(backend.queue(), src, CL_TRUE, 0, bytes, dst, 0, null, null);
        if (status != CL_SUCCESS) throw ClException.of(status, "clEnqueueReadBuffer ClHamming result");
    }

    @Override
    public void close() {
        if (codes != null) {
            clReleaseMemObject(codes);
            codes = null;
        }
    }
}
