package org.deephash4j.search;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Hamming kernels over codes held in a {@link MemorySegment} (a memory-mapped index segment, or off-heap or heap
 * memory): the contract of {@link HammingKernels} with the word-major columns in one segment instead of
 * {@code long[][]}. Two sets: {@link ReferenceSegmentHamming} (scalar, the truth) and {@code VectorSegmentHamming}
 * (Vector API, loads straight from the segment); tests run both on the same segments and they must agree exactly.
 *
 * <p>Layout: word w of row i is the little-endian int64 at byte {@code 8 * (w * stride + i)} of {@code columns}
 * (stride >= the number of rows), so one word of consecutive rows is contiguous. Rows are ints: a segment holds at
 * most 2^31 - 1 codes. The query is one row-major code {@code query[qOff, qOff + words)}.
 */
public interface SegmentHammingKernels {
    /** Little-endian int64 as the index files store it (aligned: sections start at multiples of 64 bytes). */
    ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** {@code reference} or {@code vector}. */
    String name();

    /** For rows i in [from, to): {@code out[i - from] = sum_w popcount(query[qOff + w] ^ word w of row i)}. */
    void distances(int[] out, long[] query, int qOff, MemorySegment columns, long stride, int words, int from, int to);

    /**
     * For rows i in [from, to) with d_i &lt;= maxDistance, in row order: row i to {@code rows[c]}, d_i to
     * {@code dists[c]}, c = 0, 1, ...; returns the count. {@code rows} and {@code dists} need room for
     * {@code to - from} entries.
     */
    int scan(int[] rows, int[] dists, long[] query, int qOff, MemorySegment columns, long stride, int words,
             int from, int to, int maxDistance);

    /** The scalar reference set. */
    static SegmentHammingKernels reference() {
        return ReferenceSegmentHamming.INSTANCE;
    }

    /**
     * The Vector API set.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     */
    static SegmentHammingKernels vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("Vector API not available (start java with --add-modules "
                    + "jdk.incubator.vector)");
        }
        try {
            // Loaded by name so that this class links without the incubator module.
            return (SegmentHammingKernels) Class.forName("org.deephash4j.search.VectorSegmentHamming")
                    .getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load VectorSegmentHamming", e);
        }
    }

    /**
     * The vector set when the Vector API module is present, else the reference set;
     * {@code -Ddeephash.search.kernels=reference|vector} forces one (as for {@link HammingKernels#best()}).
     */
    static SegmentHammingKernels best() {
        return HammingKernels.best().name().equals("vector") ? vector() : reference();
    }
}
