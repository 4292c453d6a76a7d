package org.deephash4j.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deephash4j.backend.Backend;
import org.deephash4j.doctor.CheckResult;
import org.deephash4j.doctor.DoctorCheckProvider;
import org.deephash4j.doctor.HammingScanPath;
import org.deephash4j.doctor.HotPath;
import org.deephash4j.doctor.KernelCheck;
import org.deephash4j.doctor.KernelChecks;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.HammingKernels;
import org.deephash4j.search.LinearScan;
import org.deephash4j.search.Neighbors;

/**
 * What {@code deephash doctor} checks on an OpenCL device beyond the Backend kernels, registered
 * in {@code META-INF/services/org.deephash4j.doctor.DoctorCheckProvider}: the convolution's
 * other algorithm (im2col when direct is the default; its own kernels: im2col, col2im, the
 * channel permutations and the GEMM on scratch buffers), {@code hamming.cl} exactly against a
 * popcount in Java and {@code search.LinearScan}'s reference kernels, and the Hamming k-NN
 * timed as the engine's {@link HammingScanPath} is on the CPU.
 */
public final class ClDoctorChecks implements DoctorCheckProvider {

    @Override
    public List<KernelCheck> checks(Backend backend) {
        if (!(backend instanceof OpenClBackend cl)) return List.of();
        String other = cl.conv2d().algorithm().equals("direct") ? "im2col" : "direct";
        List<KernelCheck> checks = new ArrayList<>();
        for (KernelCheck check : KernelChecks.all()) {
            if (check.kernel().startsWith("conv2d")) checks.add(new OtherConvolution(check, other));
        }
        checks.add(new HammingCheck());
        return checks;
    }

    @Override
    public List<HotPath> hotPaths(Backend backend, boolean quick) {
        if (!(backend instanceof OpenClBackend)) return List.of();
        return List.of(new HammingPath());
    }

    /** A convolution check run with the algorithm that is not the default, then the default restored. */
    private record OtherConvolution(KernelCheck check, String algorithm) implements KernelCheck {
        @Override
        public String kernel() {
            return check.kernel() + " (" + algorithm + ")";
        }

        @Override
        public CheckResult run(Backend device, Backend reference) {
            ClConv2d conv = ((OpenClBackend) device).conv2d();
            boolean wasIm2col = conv.algorithm().equals("im2col");
            conv.useIm2col(algorithm.equals("im2col"));
            try {
                CheckResult r = check.run(device, reference);
                return new CheckResult(kernel(), r.cases(), r.failedCases(), r.maxDiff(), r.worstShare(), r.failure(),
                        r.seconds());
            } finally {
                conv.useIm2col(wasIm2col);
            }
        }
    }

    /**
     * hamming.cl exactly: distances against a popcount in Java and top-k against LinearScan with the
     * reference Hamming kernels, for 1, 7, 63, 64, 65, 128 and 200 bits, 1, 13 and 1031 codes, k of
     * 1, 10 and more than n.
     */
    private static final class HammingCheck implements KernelCheck {
        @Override
        public String kernel() {
            return "hamming (distances, top-k)";
        }

        @Override
        public CheckResult run(Backend device, Backend reference) {
            long start = System.nanoTime();
            OpenClBackend cl = (OpenClBackend) device;
            int cases = 0;
            int failed = 0;
            String failure = null;
            long seed = 1;
            for (int bits : new int[] {1, 7, 63, 64, 65, 128, 200}) {
                for (int n : new int[] {1, 13, 1031}) {
                    BinaryCodes db = random(seed++, n, bits);
                    BinaryCodes queries = random(seed++, 5, bits);
                    String what = "hamming bits=" + bits + " n=" + n;
                    cases++;
                    try (ClHamming hamming = new ClHamming(cl, db)) {
                        String bad = compare(hamming, db, queries, what);
                        if (bad != null) {
                            failed++;
                            if (failure == null) failure = bad;
                        }
                    } catch (RuntimeException | LinkageError e) {
                        failed++;
                        if (failure == null) failure = what + ": threw " + e;
                    }
                }
            }
            return new CheckResult(kernel(), cases, failed, failed == 0 ? 0 : Double.NaN, failed == 0 ? 0 : Double.NaN,
                    failure, (System.nanoTime() - start) / 1e9);
        }

        /** The first disagreement, or null. */
        private static String compare(ClHamming hamming, BinaryCodes db, BinaryCodes queries, String what) {
            int n = db.size();
            int[] d = hamming.distances(queries);
            for (int qi = 0; qi < queries.size(); qi++) {
                for (int i = 0; i < n; i++) {
                    int expected = db.distance(i, queries, qi);
                    if (d[qi * n + i] != expected) {
                        return what + " distances: query " + qi + " row " + i + ": " + d[qi * n + i] + " vs " + expected;
                    }
                }
            }
            LinearScan scan = new LinearScan(db, HammingKernels.reference());
            for (int k : new int[] {1, 10, n + 5}) {
                ClHamming.TopK top = hamming.topK(queries, k);
                int kk = top.k();
                for (int qi = 0; qi < queries.size(); qi++) {
                    Neighbors expected = scan.knn(queries, qi, k);
                    int[] rows = Arrays.copyOfRange(top.rows(), qi * kk, (qi + 1) * kk);
                    int[] dists = Arrays.copyOfRange(top.distances(), qi * kk, (qi + 1) * kk);
                    if (!Arrays.equals(expected.rows(), rows) || !Arrays.equals(expected.distances(), dists)) {
                        return what + " top-k k=" + k + " query " + qi + ": rows " + Arrays.toString(rows) + " distances "
                                + Arrays.toString(dists) + " vs " + Arrays.toString(expected.rows()) + " "
                                + Arrays.toString(expected.distances());
                    }
                }
            }
            return null;
        }

        private static BinaryCodes random(long seed, int n, int bits) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] v = new float[n * bits];
            for (int i = 0; i < v.length; i++) v[i] = r.nextBoolean() ? 1f : -1f;
            return BinaryCodes.fromSigns(v, bits);
        }
    }

    /** {@link HammingScanPath}'s work on the device: the same codes, queries and k, through ClHamming.topK. */
    private static final class HammingPath implements HotPath {
        @Override
        public String name() {
            return HammingScanPath.NAME;
        }

        @Override
        public String unit() {
            return "Gcodes/s";
        }

        @Override
        public Workload prepare(Backend backend) {
            ClHamming hamming = new ClHamming((OpenClBackend) backend, HammingScanPath.BITS,
                    HammingScanPath.randomWords(1, HammingScanPath.CODES), HammingScanPath.CODES);
            BinaryCodes queries = BinaryCodes.fromWords(HammingScanPath.BITS,
                    HammingScanPath.randomWords(2, HammingScanPath.QUERIES));
            return new Workload() {
                @Override
                public double amountPerRun() {
                    return (double) HammingScanPath.QUERIES * HammingScanPath.CODES / 1e9;
                }

                @Override
                public void run() {
                    hamming.topK(queries, HammingScanPath.K);   // reads the answer back: done when it returns
                }

                @Override
                public void finish() {
                }

                @Override
                public void close() {
                    hamming.close();
                }
            };
        }
    }
}
