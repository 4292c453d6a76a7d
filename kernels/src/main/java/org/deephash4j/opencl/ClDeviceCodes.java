package org.deephash4j.opencl;

import static org.jocl.CL.*;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deephash4j.backend.DeviceCodes;
import org.deephash4j.search.BinaryCodes;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * An index segment's codes on an OpenCL device ({@code hamming_codes.cl}), for exact Hamming search there: the
 * word-major codes are copied once, in chunks of at most {@code maxChunkBytes} (and the device's largest buffer),
 * each a multiple of 64 rows so that a chunk's exclusion bits are whole words of the segment's. A histogram runs
 * over every chunk; a selection sizes its output from the same histogram, so nothing is lost or reallocated.
 * Calls are serialised on the backend. Release with {@link #close()}.
 */
final class ClDeviceCodes implements DeviceCodes {
    private static final String FILE = "hamming_codes.cl";
    private static final int LOCAL = 64;

    private record Chunk(int base, int rows, cl_mem codes) {
    }

    private final OpenClBackend backend;
    private final int bits;
    private final int words;
    private final int n;
    private final List<Chunk> chunks = new ArrayList<>();
    private boolean closed;

    ClDeviceCodes(OpenClBackend backend, int bits, MemorySegment columns, int n, long maxChunkBytes) {
        this.backend = backend;
        this.bits = bits;
        this.words = BinaryCodes.wordsFor(bits);
        this.n = n;
        if (columns.byteSize() < 8L * words * n) {
            throw new IllegalArgumentException("uploadCodes: " + columns.byteSize() + " bytes for " + n + " codes of "
                    + bits + " bits (" + 8L * words * n + " expected)");
        }
        long limit = Math.min(maxChunkBytes, backend.device().maxAllocBytes());
        long rowsPerChunk = Math.min(limit / (8L * words), 1L << 27) / 64 * 64;   // a word slice stays under 1 GiB
        if (rowsPerChunk < 64) {
            throw new IllegalArgumentException("uploadCodes: a chunk of " + limit + " bytes cannot hold 64 codes of "
                    + bits + " bits");
        }
        synchronized (backend) {
            try {
                for (long base = 0; base < n; base += rowsPerChunk) {
                    int rows = (int) Math.min(rowsPerChunk, n - base);
                    cl_mem mem = backend.createBuffer(8L * words * rows, "index segment codes", CL_MEM_READ_ONLY);
                    chunks.add(new Chunk((int) base, rows, mem));
                    for (int w = 0; w < words; w++) {
                        ByteBuffer slice = direct(columns.asSlice(8 * ((long) w * n + base), 8L * rows));
                        write(mem, 8L * w * rows, slice, 8L * rows, "index segment codes");
                    }
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    /** A direct buffer over a segment slice (copied when the segment is on the heap). */
    private static ByteBuffer direct(MemorySegment slice) {
        ByteBuffer b = slice.asByteBuffer();
        if (b.isDirect()) return b;
        ByteBuffer copy = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(b);
        return copy.flip();
    }

    private void write(cl_mem mem, long offset, ByteBuffer src, long bytes, String purpose) {
        int status = clEnqueueWriteBuffer(backend.queue(), mem, CL_TRUE, offset, bytes, Pointer.to(src), 0, null, null);
        if (status != CL_SUCCESS) throw ClException.of(status, "clEnqueueWriteBuffer " + purpose);
    }

    private cl_mem upload(long[] data, String purpose) {
        cl_mem mem = backend.createBuffer(Math.max(1, data.length) * (long) Sizeof.cl_long, purpose, CL_MEM_READ_ONLY);
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

    private cl_mem upload(int[] data, String purpose) {
        cl_mem mem = backend.createBuffer(Math.max(1, data.length) * (long) Sizeof.cl_int, purpose, CL_MEM_READ_WRITE);
        if (data.length > 0) {
            int status = clEnqueueWriteBuffer(backend.queue(), mem, CL_TRUE, 0, (long) data.length * Sizeof.cl_int,
                    Pointer.to(data), 0, null, null);
            if (status != CL_SUCCESS) {
                clReleaseMemObject(mem);
                throw ClException.of(status, "clEnqueueWriteBuffer " + purpose);
            }
        }
        return mem;
    }

    private void read(cl_mem src, int[] dst) {
        if (dst.length == 0) return;
        int status = clEnqueueReadBuffer(backend.queue(), src, CL_TRUE, 0, (long) dst.length * Sizeof.cl_int,
                Pointer.to(dst), 0, null, null);
        if (status != CL_SUCCESS) throw ClException.of(status, "clEnqueueReadBuffer index search result");
    }

    /** The exclusion words of one chunk, one bit per row of it (a dummy word when nothing is excluded). */
    private static long[] excludedOf(long[] excluded, Chunk c) {
        if (excluded == null) return new long[1];
        long[] words = new long[(c.rows() + 63) >>> 6];
        int from = c.base() >>> 6;
        System.arraycopy(excluded, Math.min(from, excluded.length), words, 0,
                Math.max(0, Math.min(words.length, excluded.length - from)));
        return words;
    }

    private void check(long[] queries, int queryCount) {
        if (closed) throw new IllegalStateException("ClDeviceCodes has been closed");
        if (queryCount < 0 || queries.length < (long) queryCount * words) {
            throw new IllegalArgumentException("index search: " + queries.length + " query words for " + queryCount
                    + " queries of " + bits + " bits");
        }
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public void histogram(int[] hist, long[] queries, int queryCount, long[] excluded) {
        check(queries, queryCount);
        if (queryCount == 0 || n == 0) return;
        int[] counts = new int[queryCount * (bits + 1)];
        synchronized (backend) {
            cl_mem q = upload(Arrays.copyOf(queries, queryCount * words), "index search queries");
            cl_mem h = upload(counts, "index search histogram");
            try {
                for (Chunk c : chunks) {
                    cl_mem ex = upload(excludedOf(excluded, c), "index search exclusions");
                    try {
                        backend.kernel(FILE, "", "hamming_histogram").arg(h).arg(q).arg(c.codes()).arg(ex)
                                .arg(excluded == null ? 0 : 1).arg(queryCount).arg(c.rows()).arg(words).arg(bits)
                                .local(4L * (bits + 1)).run2(c.rows(), queryCount, LOCAL, 1);
                        backend.finish();   // the kernel is done before its exclusions are released
                    } finally {
                        clReleaseMemObject(ex);
                    }
                }
                read(h, counts);
            } finally {
                clReleaseMemObject(q);
                clReleaseMemObject(h);
            }
        }
        for (int i = 0; i < counts.length; i++) hist[i] += counts[i];
    }

    @Override
    public Selection select(long[] queries, int queryCount, int[] bounds, long[] excluded) {
        check(queries, queryCount);
        int[] hist = new int[queryCount * (bits + 1)];
        histogram(hist, queries, queryCount, excluded);
        int[] offsets = new int[queryCount + 1];
        for (int qi = 0; qi < queryCount; qi++) {
            long count = 0;
            for (int d = 0; d <= Math.min(bits, bounds[qi]); d++) count += hist[qi * (bits + 1) + d];
            if (offsets[qi] + count > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("index search: more than " + Integer.MAX_VALUE / 2
                        + " results for " + queryCount + " queries; search fewer queries at a time");
            }
            offsets[qi + 1] = (int) (offsets[qi] + count);
        }
        int total = offsets[queryCount];
        int[] rows = new int[total];
        int[] dists = new int[total];
        if (total > 0) {
            synchronized (backend) {
                cl_mem q = upload(Arrays.copyOf(queries, queryCount * words), "index search queries");
                cl_mem r = backend.createBuffer(4L * total, "index search rows", CL_MEM_WRITE_ONLY);
                cl_mem d = backend.createBuffer(4L * total, "index search distances", CL_MEM_WRITE_ONLY);
                cl_mem cnt = upload(new int[queryCount], "index search counters");
                cl_mem off = upload(Arrays.copyOf(offsets, queryCount), "index search offsets");
                cl_mem bnd = upload(Arrays.copyOf(bounds, queryCount), "index search bounds");
                try {
                    for (Chunk c : chunks) {
                        cl_mem ex = upload(excludedOf(excluded, c), "index search exclusions");
                        try {
                            backend.kernel(FILE, "", "hamming_select").arg(r).arg(d).arg(cnt).arg(off).arg(bnd).arg(q)
                                    .arg(c.codes()).arg(ex).arg(excluded == null ? 0 : 1).arg(queryCount).arg(c.rows())
                                    .arg(words).arg(c.base()).run2(c.rows(), queryCount, LOCAL, 1);
                            backend.finish();
                        } finally {
                            clReleaseMemObject(ex);
                        }
                    }
                    read(r, rows);
                    read(d, dists);
                } finally {
                    for (cl_mem m : new cl_mem[] {q, r, d, cnt, off, bnd}) clReleaseMemObject(m);
                }
            }
        }
        // (distance, row) order inside each query: one sort of packed longs.
        for (int qi = 0; qi < queryCount; qi++) {
            int from = offsets[qi];
            int to = offsets[qi + 1];
            long[] packed = new long[to - from];
            for (int j = from; j < to; j++) packed[j - from] = (long) dists[j] << 32 | rows[j];
            Arrays.sort(packed);
            for (int j = from; j < to; j++) {
                dists[j] = (int) (packed[j - from] >>> 32);
                rows[j] = (int) packed[j - from];
            }
        }
        return new Selection(offsets, rows, dists);
    }

    @Override
    public void close() {
        synchronized (backend) {
            if (closed) return;
            closed = true;
            for (Chunk c : chunks) clReleaseMemObject(c.codes());
            chunks.clear();
        }
    }

    /** Number of device buffers the codes were split into (tests force several). */
    int chunks() {
        return chunks.size();
    }
}
