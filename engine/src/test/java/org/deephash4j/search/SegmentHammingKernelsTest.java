package org.deephash4j.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * VectorSegmentHamming against ReferenceSegmentHamming on seeded random codes of awkward sizes (1, odd, primes,
 * lanes - 1, lanes, lanes + 1, a prime above 500, one large case), several word counts, unaligned starts and a
 * stride larger than the row count; integer kernels must agree exactly. A kernel that skips its tail must fail.
 */
class SegmentHammingKernelsTest {
    /** Codes word-major in off-heap memory with {@code stride} >= n rows per word (padding rows random too). */
    static MemorySegment columns(Arena arena, BinaryCodes c, long stride, Random rnd) {
        int words = c.wordsPerCode();
        MemorySegment s = arena.allocate(8 * stride * words, 64);
        for (int w = 0; w < words; w++) {
            for (long i = 0; i < stride; i++) {
                long v = i < c.size() ? c.word((int) i, w) : rnd.nextLong();
                s.set(SegmentHammingKernels.WORD, 8 * (w * stride + i), v);
            }
        }
        return s;
    }

    private static TreeSet<Integer> sizes() {
        int lanes = VectorSegmentHamming.lanes();
        TreeSet<Integer> s = new TreeSet<>();
        for (int n : new int[] {1, 2, 3, 7, 13, 31, 61, 127, 521, 100_003}) s.add(n);
        s.add(Math.max(1, lanes - 1));
        s.add(lanes);
        s.add(lanes + 1);
        s.add(2 * lanes - 1);
        s.add(2 * lanes + 1);
        return s;
    }

    /** The first disagreement between two kernel sets, described, or null when they agree everywhere. */
    static String firstMismatch(SegmentHammingKernels expected, SegmentHammingKernels actual) {
        Random rnd = new Random(4242);
        try (Arena arena = Arena.ofConfined()) {
            for (int bits : new int[] {1, 12, 64, 65, 128, 192, 256}) {
                for (int n : sizes()) {
                    if (n > 1000 && bits > 64) continue;
                    BinaryCodes db = RandomCodes.uniform(n, bits, rnd);
                    BinaryCodes q = RandomCodes.uniform(1, bits, rnd);
                    int words = db.wordsPerCode();
                    long stride = n + (n % 3);
                    MemorySegment cols = columns(arena, db, stride, rnd);
                    int from = n > 3 ? 1 : 0;       // an unaligned start too
                    int[] a = new int[n];
                    int[] b = new int[n];
                    expected.distances(a, q.data(), 0, cols, stride, words, from, n);
                    actual.distances(b, q.data(), 0, cols, stride, words, from, n);
                    for (int i = 0; i < n - from; i++) {
                        if (a[i] != b[i]) {
                            return actual.name() + "SegmentHamming.distances bits=" + bits + " n=" + n + ": d["
                                    + (i + from) + "] = " + b[i] + " vs " + expected.name() + " " + a[i];
                        }
                    }
                    for (int bound : new int[] {-1, 0, bits / 3, bits / 2, bits}) {
                        int[] ra = new int[n];
                        int[] da = new int[n];
                        int[] rb = new int[n];
                        int[] dbs = new int[n];
                        int ca = expected.scan(ra, da, q.data(), 0, cols, stride, words, from, n, bound);
                        int cb = actual.scan(rb, dbs, q.data(), 0, cols, stride, words, from, n, bound);
                        for (int i = 0; i < Math.min(ca, cb); i++) {
                            if (ra[i] != rb[i] || da[i] != dbs[i]) {
                                return actual.name() + "SegmentHamming.scan bits=" + bits + " n=" + n + " bound="
                                        + bound + ": hit " + i + " = row " + rb[i] + " d " + dbs[i] + " vs "
                                        + expected.name() + " row " + ra[i] + " d " + da[i];
                            }
                        }
                        if (ca != cb) {
                            return actual.name() + "SegmentHamming.scan bits=" + bits + " n=" + n + " bound=" + bound
                                    + ": " + cb + " hits vs " + expected.name() + " " + ca;
                        }
                    }
                }
            }
        }
        return null;
    }

    @Test
    void referenceAgreesWithBitByBitDistances() {
        Random rnd = new Random(7);
        try (Arena arena = Arena.ofConfined()) {
            for (int bits : new int[] {1, 63, 64, 65, 130}) {
                BinaryCodes db = RandomCodes.uniform(37, bits, rnd);
                BinaryCodes q = RandomCodes.uniform(1, bits, rnd);
                MemorySegment cols = columns(arena, db, 40, rnd);
                int[] d = new int[37];
                SegmentHammingKernels.reference().distances(d, q.data(), 0, cols, 40, db.wordsPerCode(), 0, 37);
                for (int i = 0; i < 37; i++) {
                    assertEquals(RandomCodes.slowDistance(db, i, q, 0), d[i], "ReferenceSegmentHamming bits=" + bits
                            + " row " + i);
                }
            }
        }
    }

    @Test
    void vectorMatchesReferenceExactly() {
        String mismatch = firstMismatch(SegmentHammingKernels.reference(), SegmentHammingKernels.vector());
        assertNull(mismatch, mismatch);
    }

    /** A kernel that skips the rows past its last full vector (a planted tail bug) must be caught. */
    @Test
    void aKernelThatSkipsItsTailFails() {
        SegmentHammingKernels vector = SegmentHammingKernels.vector();
        int lanes = VectorSegmentHamming.lanes();
        SegmentHammingKernels tailless = new SegmentHammingKernels() {
            @Override
            public String name() {
                return "tailless";
            }

            @Override
            public void distances(int[] out, long[] query, int qOff, MemorySegment columns, long stride, int words,
                                  int from, int to) {
                int end = from + (to - from) / lanes * lanes;
                vector.distances(out, query, qOff, columns, stride, words, from, end);
            }

            @Override
            public int scan(int[] rows, int[] dists, long[] query, int qOff, MemorySegment columns, long stride,
                            int words, int from, int to, int maxDistance) {
                int end = from + (to - from) / lanes * lanes;
                return vector.scan(rows, dists, query, qOff, columns, stride, words, from, end, maxDistance);
            }
        };
        String mismatch = firstMismatch(SegmentHammingKernels.reference(), tailless);
        assertNotNull(mismatch, "the tail-skipping kernel passed the parity check");
        assertTrue(mismatch.contains("bits=") && mismatch.contains("n="), mismatch);
    }

    /** The same parity check in forked JVMs with narrower lanes, so the tails differ. */
    @Test
    void vectorMatchesReferenceWithNarrowLanes() throws Exception {
        for (String bitSize : new String[] {"128", "256"}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules=jdk.incubator.vector", "-Ddeephash.vectorBitSize=" + bitSize, "-Xmx1g",
                    "-cp", System.getProperty("java.class.path"), SegmentHammingKernelsTest.class.getName())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "parity with " + bitSize + "-bit vectors failed:\n" + output);
            assertTrue(output.contains("lanes=" + Integer.parseInt(bitSize) / 64), output);
        }
    }

    /** Entry point of the forked parity check; exits 1 on a mismatch. */
    public static void main(String[] args) {
        String mismatch = firstMismatch(SegmentHammingKernels.reference(), SegmentHammingKernels.vector());
        if (mismatch != null) {
            System.out.println(mismatch);
            System.exit(1);
        }
        System.out.println("ok lanes=" + VectorSegmentHamming.lanes());
    }

    @Test
    void bestIsVectorWhenModulePresent() {
        assertEquals("vector", SegmentHammingKernels.best().name());
    }
}
