package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.Storage;

/**
 * Runs one kernel on the OpenCL backend and on the CPU backend with its scalar reference
 * kernels ({@code -Ddeephash.cpu.kernels=reference}, set in kernels/pom.xml and here) on the
 * same buffers, then compares every buffer afterwards (outputs, and inputs a kernel updates in
 * place) within {@code atol + rtol * |expected|}. A failure names the kernel, the case, the
 * first bad index, both values and the largest difference.
 */
final class Parity {
    /** A kernel call on buffers s[0], s[1], ... of one backend. */
    interface Kernel {
        void run(Backend backend, Storage[] s);
    }

    static {
        if (System.getProperty("deephash.cpu.kernels") == null) System.setProperty("deephash.cpu.kernels", "reference");
    }

    private Parity() {
    }

    /** The CPU backend; its kernel set must be the reference one. */
    static Backend cpu() {
        Backend cpu = Backends.get("cpu");
        if (!cpu.deviceName().contains("reference")) {
            fail("the parity tests compare with the CPU reference kernels, but the CPU backend runs \""
                    + cpu.deviceName() + "\" (run with -Ddeephash.cpu.kernels=reference)");
        }
        return cpu;
    }

    /**
     * Runs {@code kernel} on both backends, each starting from copies of {@code buffers}, and
     * checks that every buffer ends equal within tolerance. Returns the OpenCL results.
     */
    static float[][] check(String what, float[][] buffers, Kernel kernel, double atol, double rtol) {
        OpenClBackend cl = OpenClTestSupport.backend();
        float[][] expected = run(cpu(), buffers, kernel);
        float[][] actual = run(cl, buffers, kernel);
        for (int b = 0; b < buffers.length; b++) {
            assertClose(what + " buffer " + b, expected[b], actual[b], atol, rtol);
        }
        return actual;
    }

    static float[][] run(Backend backend, float[][] buffers, Kernel kernel) {
        Storage[] s = new Storage[buffers.length];
        try {
            for (int i = 0; i < buffers.length; i++) s[i] = upload(backend, buffers[i]);
            kernel.run(backend, s);
            float[][] out = new float[buffers.length][];
            for (int i = 0; i < buffers.length; i++) out[i] = download(backend, s[i], buffers[i].length);
            return out;
        } finally {
            for (Storage storage : s) if (storage != null) storage.close();
        }
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

    /** n floats uniform in [lo, hi) from a fixed seed. */
    static float[] random(long seed, int n, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo + (hi - lo) * (float) r.nextDouble();
        return x;
    }

    static float[] random(long seed, int n) {
        return random(seed, n, -1f, 1f);
    }

    /** Fails at the first i with |actual - expected| > atol + rtol |expected| (NaN must match NaN). */
    static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values vs reference " + expected.length);
        }
        int first = -1;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean ok;
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                ok = Float.compare(e, a) == 0;
            } else {
                double diff = Math.abs((double) a - e);
                maxDiff = Math.max(maxDiff, diff);
                ok = diff <= atol + rtol * Math.abs(e);
            }
            if (!ok && first < 0) first = i;
        }
        if (first >= 0) {
            fail(what + ": [" + first + "] = " + actual[first] + " vs reference " + expected[first]
                    + " (max |diff| " + (float) maxDiff + ", atol " + atol + ", rtol " + rtol + ")");
        }
    }
}
