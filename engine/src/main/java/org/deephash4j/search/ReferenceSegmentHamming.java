package org.deephash4j.search;

import java.lang.foreign.MemorySegment;

/**
 * Scalar Hamming kernels over a segment: d = sum over words of {@link Long#bitCount}(q_w XOR c_w), one row at a
 * time. The truth {@code VectorSegmentHamming} is checked against.
 */
final class ReferenceSegmentHamming implements SegmentHammingKernels {
    static final ReferenceSegmentHamming INSTANCE = new ReferenceSegmentHamming();

    private ReferenceSegmentHamming() {
    }

    @Override
    public String name() {
        return "reference";
    }

    /** Distance from the query to row i. */
    static int distance(long[] query, int qOff, MemorySegment columns, long stride, int words, long i) {
        int d = 0;
        for (int w = 0; w < words; w++) d += Long.bitCount(query[qOff + w] ^ columns.get(WORD, 8 * (w * stride + i)));
        return d;
    }

    @Override
    public void distances(int[] out, long[] query, int qOff, MemorySegment columns, long stride, int words,
                          int from, int to) {
        for (int i = from; i < to; i++) out[i - from] = distance(query, qOff, columns, stride, words, i);
    }

    @Override
    public int scan(int[] rows, int[] dists, long[] query, int qOff, MemorySegment columns, long stride, int words,
                    int from, int to, int maxDistance) {
        int c = 0;
        for (int i = from; i < to; i++) {
            int d = distance(query, qOff, columns, stride, words, i);
            if (d <= maxDistance) {
                rows[c] = i;
                dists[c++] = d;
            }
        }
        return c;
    }
}
