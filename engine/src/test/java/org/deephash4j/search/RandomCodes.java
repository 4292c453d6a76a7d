package org.deephash4j.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Seeded test codes and the brute-force oracle every search is compared with. */
public final class RandomCodes {
    private RandomCodes() {
    }

    /** n uniformly random codes of {@code bits} bits. */
    public static BinaryCodes uniform(int n, int bits, Random rnd) {
        float[] v = new float[n * bits];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextBoolean() ? 1f : -1f;
        return BinaryCodes.fromSigns(v, bits);
    }

    /** n codes, each one of {@code centres} random centres with every bit flipped with probability p. */
    public static BinaryCodes clustered(int n, int bits, int centres, double p, Random rnd) {
        boolean[][] c = new boolean[centres][bits];
        for (boolean[] row : c) for (int j = 0; j < bits; j++) row[j] = rnd.nextBoolean();
        float[] v = new float[n * bits];
        for (int i = 0; i < n; i++) {
            boolean[] centre = c[rnd.nextInt(centres)];
            for (int j = 0; j < bits; j++) v[i * bits + j] = (centre[j] ^ (rnd.nextDouble() < p)) ? 1f : -1f;
        }
        return BinaryCodes.fromSigns(v, bits);
    }

    /** Distance by comparing bit by bit through the public accessor (independent of every kernel). */
    public static int slowDistance(BinaryCodes a, int i, BinaryCodes b, int j) {
        int d = 0;
        for (int x = 0; x < a.bits(); x++) if (a.bit(i, x) != b.bit(j, x)) d++;
        return d;
    }

    /** Brute force: every database row with distance <= maxDistance, sorted by (distance, id, row). */
    public static Neighbors bruteForce(BinaryCodes db, BinaryCodes queries, int q, int maxDistance, int limit) {
        List<int[]> all = new ArrayList<>();
        for (int i = 0; i < db.size(); i++) {
            int d = 0;
            for (int w = 0; w < db.wordsPerCode(); w++) d += Long.bitCount(db.word(i, w) ^ queries.word(q, w));
            if (d <= maxDistance) all.add(new int[] {i, d});
        }
        all.sort(Comparator.<int[]>comparingInt(e -> e[1]).thenComparingLong(e -> db.id(e[0]))
                .thenComparingInt(e -> e[0]));
        int m = Math.min(limit, all.size());
        int[] rows = new int[m];
        long[] ids = new long[m];
        int[] dists = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = all.get(i)[0];
            ids[i] = db.id(rows[i]);
            dists[i] = all.get(i)[1];
        }
        return new Neighbors(rows, ids, dists);
    }

    public static Neighbors bruteKnn(BinaryCodes db, BinaryCodes queries, int q, int k) {
        return bruteForce(db, queries, q, Integer.MAX_VALUE, k);
    }

    public static Neighbors bruteRadius(BinaryCodes db, BinaryCodes queries, int q, int r) {
        return bruteForce(db, queries, q, r, Integer.MAX_VALUE);
    }

    /** Ids 0..n-1 shuffled (ids not in row order). */
    public static long[] shuffledIds(int n, Random rnd) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = 1000L * i + 7;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return ids;
    }

    /** n codes drawn from a pool of {@code distinct} codes (many exact duplicates). */
    public static BinaryCodes withDuplicates(int n, int bits, int distinct, Random rnd) {
        BinaryCodes pool = uniform(distinct, bits, rnd);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = rnd.nextInt(distinct);
        return pool.select(rows).withIds(BinaryCodes.sequentialIds(n));
    }
}
