package org.deephash4j.search;

import org.deephash4j.backend.cpu.CpuKernelSets;

/**
 * The Hamming distance kernels the scans use. Two sets share this contract: {@link ReferenceHamming}
 * (scalar {@link Long#bitCount}, the truth) and {@code VectorHamming} (Vector API, {@code BIT_COUNT} on
 * {@code LongVector}). Tests run both on the same arrays; they must agree exactly.
 *
 * <p>Layout: the database is word-major ({@code columns[w][i]} = word w of row i) so a vector loads one word of
 * several consecutive rows at once; the query is one row-major code {@code query[qOff, qOff + words)}.
 */
public interface HammingKernels {
    /** {@code reference} or {@code vector}. */
    String name();

    /**
     * For rows i in [from, to): d_i = sum_w popcount(query[qOff + w] ^ columns[w][i]); writes
     * {@code out[i - from] = d_i}.
     */
    void distances(int[] out, long[] query, int qOff, long[][] columns, int from, int to);

    /**
     * For rows i in [from, to) with d_i &lt;= maxDistance, in row order: writes row i to {@code rows[c]} and d_i to
     * {@code dists[c]} for c = 0, 1, ...; returns the count c. {@code rows} and {@code dists} need room for
     * {@code to - from} entries.
     */
    int scan(int[] rows, int[] dists, long[] query, int qOff, long[][] columns, int from, int to, int maxDistance);

    /** The scalar reference set. */
    static HammingKernels reference() {
        return ReferenceHamming.INSTANCE;
    }

    /**
     * The Vector API set.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     */
    static HammingKernels vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("Vector API not available (start java with --add-modules "
                    + "jdk.incubator.vector)");
        }
        try {
            // Loaded by name so that this class links without the incubator module.
            return (HammingKernels) Class.forName("org.deephash4j.search.VectorHamming")
                    .getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load VectorHamming", e);
        }
    }

    /**
     * The vector set when the CPU backend runs its vector kernels, else the reference set: the choice
     * (and {@code -Ddeephash.cpu.kernels=reference|vector}) is {@link CpuKernelSets}'s.
     */
    static HammingKernels best() {
        return CpuKernelSets.vectorChosen() ? vector() : reference();
    }
}
