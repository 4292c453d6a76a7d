package org.deephash4j.bench;

import java.util.SplittableRandom;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;

/** Seeded inputs, uploads and the one-time result check the OpenCL benchmarks share. */
final class BenchData {
    private BenchData() {
    }

    /** n floats uniform in [-1, 1) from a fixed seed. */
    static float[] uniform(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    static Storage upload(Backend backend, float[] x) {
        Storage s = backend.allocate(x.length);
        backend.copyIn(s, 0, x, 0, x.length);
        return s;
    }

    static float[] download(Backend backend, Storage s, int n) {
        float[] x = new float[n];
        backend.copyOut(x, 0, s, 0, n);
        return x;
    }

    /** Throws (so the benchmark never posts a time) unless actual is within atol + rtol |expected| everywhere. */
    static void check(String what, float[] expected, float[] actual, double atol, double rtol) {
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            if (!(diff <= atol + rtol * Math.abs(expected[i]))) {
                throw new IllegalStateException(what + ": [" + i + "] = " + actual[i] + " vs CPU " + expected[i]
                        + "; not timing a wrong result");
            }
        }
    }
}
