package org.deephash4j.search;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API Hamming kernels reading a segment directly: one word of L consecutive rows per load
 * ({@code LongVector.fromMemorySegment}, little-endian), XOR with the broadcast query word, {@code BIT_COUNT} per
 * lane, sum over words, compare with the bound. Same contract as {@link ReferenceSegmentHamming}; rows past the
 * last full vector go through the scalar tail. The 64-bit case unrolls two vectors per iteration so two loads are
 * in flight (a mapped segment streams from memory, not cache).
 */
final class VectorSegmentHamming implements SegmentHammingKernels {
    static final VectorSegmentHamming INSTANCE = new VectorSegmentHamming();

    // the lanes of VectorHamming (-Ddeephash.vectorBitSize forces narrower ones for the tests of the tails)
    private static final VectorSpecies<Long> L = VectorHamming.species();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private VectorSegmentHamming() {
    }

    /** Number of long lanes (tests pick awkward sizes around it). */
    static int lanes() {
        return L.length();
    }

    @Override
    public String name() {
        return "vector";
    }

    private static LongVector distanceVector(long[] query, int qOff, MemorySegment columns, long stride, int words,
                                             long i) {
        LongVector d = LongVector.fromMemorySegment(L, columns, 8 * i, LE).lanewise(VectorOperators.XOR, query[qOff])
                .lanewise(VectorOperators.BIT_COUNT);
        for (int w = 1; w < words; w++) {
            d = d.add(LongVector.fromMemorySegment(L, columns, 8 * (w * stride + i), LE)
                    .lanewise(VectorOperators.XOR, query[qOff + w]).lanewise(VectorOperators.BIT_COUNT));
        }
        return d;
    }

    @Override
    public void distances(int[] out, long[] query, int qOff, MemorySegment columns, long stride, int words,
                          int from, int to) {
        int lanes = L.length();
        long[] tmp = new long[lanes];
        int i = from;
        for (; i <= to - lanes; i += lanes) {
            distanceVector(query, qOff, columns, stride, words, i).intoArray(tmp, 0);
            for (int l = 0; l < lanes; l++) out[i - from + l] = (int) tmp[l];
        }
        for (; i < to; i++) out[i - from] = ReferenceSegmentHamming.distance(query, qOff, columns, stride, words, i);
    }

    @Override
    public int scan(int[] rows, int[] dists, long[] query, int qOff, MemorySegment columns, long stride, int words,
                    int from, int to, int maxDistance) {
        int lanes = L.length();
        int c = 0;
        int i = from;
        if (words == 1) {
            LongVector q = LongVector.broadcast(L, query[qOff]);
            for (; i <= to - 2 * lanes; i += 2 * lanes) {
                LongVector d0 = LongVector.fromMemorySegment(L, columns, 8L * i, LE).lanewise(VectorOperators.XOR, q)
                        .lanewise(VectorOperators.BIT_COUNT);
                LongVector d1 = LongVector.fromMemorySegment(L, columns, 8L * (i + lanes), LE)
                        .lanewise(VectorOperators.XOR, q).lanewise(VectorOperators.BIT_COUNT);
                VectorMask<Long> hit0 = d0.compare(VectorOperators.LE, maxDistance);
                VectorMask<Long> hit1 = d1.compare(VectorOperators.LE, maxDistance);
                if (hit0.or(hit1).anyTrue()) {
                    c = emit(rows, dists, c, hit0.toLong(), i, query, qOff, columns, stride, 1);
                    c = emit(rows, dists, c, hit1.toLong(), i + lanes, query, qOff, columns, stride, 1);
                }
            }
            for (; i <= to - lanes; i += lanes) {
                LongVector d = LongVector.fromMemorySegment(L, columns, 8L * i, LE).lanewise(VectorOperators.XOR, q)
                        .lanewise(VectorOperators.BIT_COUNT);
                VectorMask<Long> hit = d.compare(VectorOperators.LE, maxDistance);
                if (hit.anyTrue()) c = emit(rows, dists, c, hit.toLong(), i, query, qOff, columns, stride, 1);
            }
        } else {
            for (; i <= to - lanes; i += lanes) {
                LongVector d = distanceVector(query, qOff, columns, stride, words, i);
                VectorMask<Long> hit = d.compare(VectorOperators.LE, maxDistance);
                if (hit.anyTrue()) c = emit(rows, dists, c, hit.toLong(), i, query, qOff, columns, stride, words);
            }
        }
        for (; i < to; i++) {
            int d = ReferenceSegmentHamming.distance(query, qOff, columns, stride, words, i);
            if (d <= maxDistance) {
                rows[c] = i;
                dists[c++] = d;
            }
        }
        return c;
    }

    /**
     * Appends the lanes set in {@code mask} (lowest lane first, so row order is kept), recomputing their distances
     * in scalar code: passing the distance vector here would make it escape (see {@code VectorHamming.emit}).
     */
    private static int emit(int[] rows, int[] dists, int c, long mask, int base, long[] query, int qOff,
                            MemorySegment columns, long stride, int words) {
        while (mask != 0) {
            int row = base + Long.numberOfTrailingZeros(mask);
            rows[c] = row;
            dists[c++] = ReferenceSegmentHamming.distance(query, qOff, columns, stride, words, row);
            mask &= mask - 1;
        }
        return c;
    }
}
