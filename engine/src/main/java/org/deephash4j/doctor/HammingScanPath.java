package org.deephash4j.doctor;

import java.util.SplittableRandom;
import org.deephash4j.backend.Backend;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.LinearScan;

/**
 * Exact k-NN by linear scan ({@code search.LinearScan}, best Hamming kernels, all processors)
 * over {@value #CODES} random {@value #BITS}-bit codes: {@value #QUERIES} queries per run,
 * k = {@value #K}; the rate is codes compared per second, in billions (Gcodes/s = queries · codes
 * per run / 1e9). The scan is CPU code, so this path runs on the CPU backend; a device with its
 * own Hamming search times it under the same {@link #NAME} (OpenCL's provider does), so the
 * ratio divides by this path's CPU figure.
 */
public final class HammingScanPath implements HotPath {
    public static final int CODES = 1_000_000;
    public static final int BITS = 64;
    public static final int QUERIES = 16;
    public static final int K = 100;
    public static final String NAME = "hamming k-NN, " + CODES / 1_000_000 + "M codes of " + BITS + " bits, " + QUERIES
            + " queries, k=" + K;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unit() {
        return "Gcodes/s";
    }

    @Override
    public boolean runsOn(Backend backend) {
        return backend.name().equals("cpu");
    }

    /** {@code n} random codes of {@link #BITS} bits, packed as BinaryCodes words, from {@code seed}. */
    public static long[] randomWords(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] words = new long[n * BinaryCodes.wordsFor(BITS)];
        for (int i = 0; i < words.length; i++) words[i] = r.nextLong();
        return words;
    }

    @Override
    public Workload prepare(Backend backend) {
        LinearScan scan = new LinearScan(BinaryCodes.fromWords(BITS, randomWords(1, CODES)));
        BinaryCodes queries = BinaryCodes.fromWords(BITS, randomWords(2, QUERIES));
        return new Workload() {
            @Override
            public double amountPerRun() {
                return (double) QUERIES * CODES / 1e9;
            }

            @Override
            public void run() {
                scan.knnBatch(queries, K);
            }

            @Override
            public void finish() {   // the scan is done when knnBatch returns
            }

            @Override
            public void close() {
            }
        };
    }
}
