package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** VectorHamming against ReferenceHamming on awkward sizes; integer kernels must match exactly. */
class HammingKernelsTest {
    private static long[][] columns(BinaryCodes c) {
        long[][] cols = new long[c.wordsPerCode()][c.size()];
        for (int i = 0; i < c.size(); i++) for (int w = 0; w < c.wordsPerCode(); w++) cols[w][i] = c.word(i, w);
        return cols;
    }

    private static TreeSet<Integer> sizes() {
        int lanes = VectorHamming.lanes();
        TreeSet<Integer> s = new TreeSet<>();
        for (int n : new int[] {1, 2, 3, 7, 13, 31, 61, 127, 521, 4099}) s.add(n);
        s.add(Math.max(1, lanes - 1));
        s.add(lanes);
        s.add(lanes + 1);
        s.add(2 * lanes + 1);
        return s;
    }

    @Test
    void vectorMatchesReferenceExactly() {
        checkParity();
    }

    /** The same parity check in forked JVMs with narrower lanes (-Ddeephash.vectorBitSize), so tails differ. */
    @Test
    void vectorMatchesReferenceWithNarrowLanes() throws Exception {
        for (String bitSize : new String[] {"128", "256"}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules=jdk.incubator.vector", "-Ddeephash.vectorBitSize=" + bitSize,
                    "-cp", System.getProperty("java.class.path"), HammingKernelsTest.class.getName())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "parity with " + bitSize + "-bit vectors failed:\n" + output);
            assertTrue(output.contains("lanes=" + Integer.parseInt(bitSize) / 64), output);
        }
    }

    /** Entry point of the forked parity check; exits 1 on a mismatch. */
    public static void main(String[] args) {
        try {
            checkParity();
            System.out.println("ok lanes=" + VectorHamming.lanes());
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    static void checkParity() {
        HammingKernels ref = HammingKernels.reference();
        HammingKernels vec = HammingKernels.vector();
        Random rnd = new Random(42);
        for (int bits : new int[] {1, 12, 32, 64, 65, 128, 192, 256}) {
            for (int n : sizes()) {
                BinaryCodes db = RandomCodes.uniform(n, bits, rnd);
                BinaryCodes q = RandomCodes.uniform(1, bits, rnd);
                long[][] cols = columns(db);
                int from = n > 3 ? 1 : 0;      // an unaligned start too
                int[] a = new int[n];
                int[] b = new int[n];
                ref.distances(a, q.data(), 0, cols, from, n);
                vec.distances(b, q.data(), 0, cols, from, n);
                for (int i = 0; i < n - from; i++) {
                    if (a[i] != b[i]) fail("VectorHamming.distances bits=" + bits + " n=" + n + ": d[" + (i + from)
                            + "] = " + b[i] + " vs reference " + a[i]);
                    int slow = RandomCodes.slowDistance(db, i + from, q, 0);
                    if (a[i] != slow) fail("ReferenceHamming bits=" + bits + " n=" + n + " row " + (i + from));
                }
                for (int bound : new int[] {-1, 0, bits / 3, bits / 2, bits}) {
                    int[] ra = new int[n];
                    int[] da = new int[n];
                    int[] rb = new int[n];
                    int[] dbs = new int[n];
                    int ca = ref.scan(ra, da, q.data(), 0, cols, from, n, bound);
                    int cb = vec.scan(rb, dbs, q.data(), 0, cols, from, n, bound);
                    assertEquals(ca, cb, "VectorHamming.scan count bits=" + bits + " n=" + n + " bound=" + bound);
                    int expected = 0;
                    for (int i = from; i < n; i++) if (a[i - from] <= bound) expected++;
                    assertEquals(expected, ca, "ReferenceHamming.scan count");
                    for (int i = 0; i < ca; i++) {
                        if (ra[i] != rb[i] || da[i] != dbs[i]) {
                            fail("VectorHamming.scan bits=" + bits + " n=" + n + " bound=" + bound + ": hit " + i
                                    + " = row " + rb[i] + " d " + dbs[i] + " vs reference row " + ra[i] + " d " + da[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void bestIsVectorWhenModulePresent() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector
        assertEquals("vector", HammingKernels.best().name());
    }
}
