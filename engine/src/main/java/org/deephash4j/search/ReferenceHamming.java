package org.deephash4j.search;

/**
 * Scalar Hamming kernels: d(a, b) = sum over words of {@link Long#bitCount}(a_w XOR b_w). The truth the
 * vector kernels are checked against; the loops are the obvious ones, with a plain 1-word case because the
 * JIT then keeps the query word in a register.
 */
final class ReferenceHamming implements HammingKernels {
    static final ReferenceHamming INSTANCE = new ReferenceHamming();

    private ReferenceHamming() {
    }

    @Override
    public String name() {
        return "reference";
    }

    /** popcount(a[aOff..aOff+words) XOR b[bOff..bOff+words)) for two row-major codes. */
    static int distance(long[] a, int aOff, long[] b, int bOff, int words) {
        int d = 0;
        for (int w = 0; w < words; w++) d += Long.bitCount(a[aOff + w] ^ b[bOff + w]);
        return d;
    }

    @Override
    public void distances(int[] out, long[] query, int qOff, long[][] columns, int from, int to) {
        int words = columns.length;
        for (int i = from; i < to; i++) {
            int d = 0;
            for (int w = 0; w < words; w++) d += Long.bitCount(query[qOff + w] ^ columns[w][i]);
            out[i - from] = d;
        }
    }

    @Override
    public int scan(int[] rows, int[] dists, long[] query, int qOff, long[][] columns, int from, int to,
                    int maxDistance) {
        int words = columns.length;
        int c = 0;
        if (words == 1) {
            long q = query[qOff];
            long[] col = columns[0];
            for (int i = from; i < to; i++) {
                int d = Long.bitCount(q ^ col[i]);
                if (d <= maxDistance) {
                    rows[c] = i;
                    dists[c++] = d;
                }
            }
            return c;
        }
        for (int i = from; i < to; i++) {
            int d = 0;
            for (int w = 0; w < words; w++) d += Long.bitCount(query[qOff + w] ^ columns[w][i]);
            if (d <= maxDistance) {
                rows[c] = i;
                dists[c++] = d;
            }
        }
        return c;
    }
}
