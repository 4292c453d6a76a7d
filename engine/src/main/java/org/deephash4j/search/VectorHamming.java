package org.deephash4j.search;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API Hamming kernels: XOR one word of {@code L} consecutive rows with the broadcast query word,
 * {@code BIT_COUNT} per lane (VPOPCNTQ on AVX-512 VPOPCNTDQ), sum over words, compare with the bound. Same
 * contract as {@link ReferenceHamming}; rows past the last full vector go through the scalar tail.
 */
final class VectorHamming implements HammingKernels {
    static final VectorHamming INSTANCE = new VectorHamming();

    // -Ddeephash.vectorBitSize=128|256|512 forces narrower lanes (tests of the tails); default: preferred.
    private static final VectorSpecies<Long> L = species();

    private VectorHamming() {
    }

    /** The lanes: the preferred species, or the one {@code -Ddeephash.vectorBitSize} forces. */
    static VectorSpecies<Long> species() {
        String forced = System.getProperty("deephash.vectorBitSize");
        if (forced == null) return LongVector.SPECIES_PREFERRED;
        return switch (forced) {
            case "128" -> LongVector.SPECIES_128;
            case "256" -> LongVector.SPECIES_256;
            case "512" -> LongVector.SPECIES_512;
            default -> throw new IllegalArgumentException("-Ddeephash.vectorBitSize=" + forced
                    + ": expected 128, 256 or 512");
        };
    }

    /** Number of long lanes (tests pick awkward sizes around it). */
    static int lanes() {
        return L.length();
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void distances(int[] out, long[] query, int qOff, long[][] columns, int from, int to) {
        int words = columns.length;
        int lanes = L.length();
        int i = from;
        long[] tmp = new long[lanes];
        for (; i <= to - lanes; i += lanes) {
            LongVector d = distanceVector(query, qOff, columns, words, i);
            d.intoArray(tmp, 0);
            for (int l = 0; l < lanes; l++) out[i - from + l] = (int) tmp[l];
        }
        for (; i < to; i++) {
            int d = 0;
            for (int w = 0; w < words; w++) d += Long.bitCount(query[qOff + w] ^ columns[w][i]);
            out[i - from] = d;
        }
    }

    private static LongVector distanceVector(long[] query, int qOff, long[][] columns, int words, int i) {
        LongVector d = LongVector.fromArray(L, columns[0], i).lanewise(VectorOperators.XOR, query[qOff])
                .lanewise(VectorOperators.BIT_COUNT);
        for (int w = 1; w < words; w++) {
            d = d.add(LongVector.fromArray(L, columns[w], i).lanewise(VectorOperators.XOR, query[qOff + w])
                    .lanewise(VectorOperators.BIT_COUNT));
        }
        return d;
    }

    @Override
    public int scan(int[] rows, int[] dists, long[] query, int qOff, long[][] columns, int from, int to,
                    int maxDistance) {
        int words = columns.length;
        int lanes = L.length();
        int c = 0;
        int i = from;
        if (words == 1) {
            // The common 64-bit case: one load, XOR, popcount and compare per vector; hits are rare once the
            // k-NN bound has tightened, so the mask is almost always empty.
            long[] col = columns[0];
            LongVector q = LongVector.broadcast(L, query[qOff]);
            for (; i <= to - lanes; i += lanes) {
                LongVector d = LongVector.fromArray(L, col, i).lanewise(VectorOperators.XOR, q)
                        .lanewise(VectorOperators.BIT_COUNT);
                VectorMask<Long> hit = d.compare(VectorOperators.LE, maxDistance);
                if (hit.anyTrue()) c = emit(rows, dists, c, hit.toLong(), i, query, qOff, columns);
            }
        } else if (words == 2) {
            long[] col0 = columns[0];
            long[] col1 = columns[1];
            LongVector q0 = LongVector.broadcast(L, query[qOff]);
            LongVector q1 = LongVector.broadcast(L, query[qOff + 1]);
            for (; i <= to - lanes; i += lanes) {
                LongVector d = LongVector.fromArray(L, col0, i).lanewise(VectorOperators.XOR, q0)
                        .lanewise(VectorOperators.BIT_COUNT)
                        .add(LongVector.fromArray(L, col1, i).lanewise(VectorOperators.XOR, q1)
                                .lanewise(VectorOperators.BIT_COUNT));
                VectorMask<Long> hit = d.compare(VectorOperators.LE, maxDistance);
                if (hit.anyTrue()) c = emit(rows, dists, c, hit.toLong(), i, query, qOff, columns);
            }
        } else {
            for (; i <= to - lanes; i += lanes) {
                LongVector d = distanceVector(query, qOff, columns, words, i);
                VectorMask<Long> hit = d.compare(VectorOperators.LE, maxDistance);
                if (hit.anyTrue()) c = emit(rows, dists, c, hit.toLong(), i, query, qOff, columns);
            }
        }
        for (; i < to; i++) {
            int d = 0;
            for (int w = 0; w < words; w++) d += Long.bitCount(query[qOff + w] ^ columns[w][i]);
            if (d <= maxDistance) {
                rows[c] = i;
                dists[c++] = d;
            }
        }
        return c;
    }

    /**
     * Appends the lanes set in {@code mask} (lowest lane first, so row order is kept), recomputing their distances
     * with scalar popcounts. NOTE: passing the distance vector here instead would make it escape, and C2 then
     * boxes it on every iteration once a hit has been profiled (measured: 6x slower scans of 32-bit codes).
     */
    private static int emit(int[] rows, int[] dists, int c, long mask, int base, long[] query, int qOff,
                            long[][] columns) {
        while (mask != 0) {
            int row = base + Long.numberOfTrailingZeros(mask);
            int d = 0;
            for (int w = 0; w < columns.length; w++) d += Long.bitCount(query[qOff + w] ^ columns[w][row]);
            rows[c] = row;
            dists[c++] = d;
            mask &= mask - 1;
        }
        return c;
    }
}
