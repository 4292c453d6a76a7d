package org.deephash4j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deephash4j.index.CodeIndex;
import org.deephash4j.index.CodeSource;
import org.deephash4j.search.BinaryCodes;

/**
 * The codes of the index benchmarks, made on disk: n clustered 64-bit codes ({@link BenchCodes}'s definition:
 * 1,000 random centres, each code a centre with every bit flipped with probability 0.05; flips drawn by geometric
 * skips, so 100 million codes take seconds) with ids 0..n-1, written as one segment of a {@link CodeIndex} folder
 * with its multi-index tables, streamed (no heap copy of the codes). Queries are drawn the same way from another
 * seed and written raw beside the folder ({@code queries.u64}: little-endian uint64, bit j of a code at bit
 * 63 - j), which is what the faiss peer reads, together with the segment's codes section.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.deephash4j.bench.IndexCodes FOLDER N} makes an index of N codes in FOLDER (a new folder).
 */
final class IndexCodes implements CodeSource {
    static final int BITS = 64;
    static final int QUERIES = 1000;
    private static final long SEED = 18L;

    private final int n;
    private final long[] centres;
    private final SplittableRandom rnd;

    IndexCodes(int n, long seed) {
        this.n = n;
        SplittableRandom r = new SplittableRandom(seed);
        this.centres = new long[BenchCodes.CENTRES];
        SplittableRandom c = new SplittableRandom(SEED);
        for (int i = 0; i < centres.length; i++) centres[i] = c.nextLong();
        this.rnd = r;
    }

    /** One code: a random centre with each bit flipped with probability FLIP (gaps between flips geometric). */
    static long draw(long[] centres, SplittableRandom rnd) {
        long code = centres[rnd.nextInt(centres.length)];
        double logKeep = Math.log1p(-BenchCodes.FLIP);
        for (long bit = (long) Math.floor(Math.log(1 - rnd.nextDouble()) / logKeep); bit < BITS;
             bit += 1 + (long) Math.floor(Math.log(1 - rnd.nextDouble()) / logKeep)) {
            code ^= 1L << (63 - bit);
        }
        return code;
    }

    @Override
    public int bits() {
        return BITS;
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public void read(int from, int count, long[] words, long[] ids, int[] labels, String[] sources, float[] features) {
        for (int r = 0; r < count; r++) {
            words[r] = draw(centres, rnd);
            ids[r] = from + r;
        }
    }

    /** The benchmark queries (drawn like the codes, from another seed). */
    static BinaryCodes queries() {
        IndexCodes q = new IndexCodes(QUERIES, SEED + 1);
        long[] w = new long[QUERIES];
        for (int i = 0; i < QUERIES; i++) w[i] = draw(q.centres, q.rnd);
        return BinaryCodes.fromWords(BITS, w);
    }

    /** Makes the index of n codes (one segment with default tables) in a new folder; returns the seconds taken. */
    static double make(Path folder, int n) throws IOException {
        long start = System.nanoTime();
        try (CodeIndex index = CodeIndex.create(folder, BITS)) {
            index.append(new IndexCodes(n, SEED));
        }
        BinaryCodes q = queries();
        ByteBuffer b = ByteBuffer.allocate(8 * q.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < q.size(); i++) b.putLong(q.word(i, 0));
        Files.write(folder.resolveSibling(folder.getFileName() + ".queries.u64"), b.array());
        return (System.nanoTime() - start) / 1e9;
    }

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        double seconds = make(folder, n);
        System.out.printf("made %,d codes in %s in %.1f s%n", n, folder, seconds);
    }
}
