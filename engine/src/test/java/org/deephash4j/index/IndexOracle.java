package org.deephash4j.index;

import java.util.Random;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.Neighbors;
import org.deephash4j.search.RandomCodes;

/** Brute force over a snapshot's live codes (copied out), the oracle every index search is compared with. */
final class IndexOracle {
    private IndexOracle() {
    }

    /** The live codes a search with {@code filter} may return. */
    static BinaryCodes candidates(IndexSnapshot s, IdFilter filter) {
        BinaryCodes live = s.liveCodes();
        if (filter == null) return live;
        int[] rows = new int[live.size()];
        int c = 0;
        for (int i = 0; i < live.size(); i++) if (filter.contains(live.id(i))) rows[c++] = i;
        return live.select(java.util.Arrays.copyOf(rows, c));
    }

    static Hits knn(BinaryCodes candidates, BinaryCodes queries, int q, int k) {
        return hits(RandomCodes.bruteKnn(candidates, queries, q, k));
    }

    static Hits radius(BinaryCodes candidates, BinaryCodes queries, int q, int r) {
        return hits(RandomCodes.bruteRadius(candidates, queries, q, r));
    }

    static Hits hits(Neighbors n) {
        return new Hits(n.ids(), n.distances());
    }

    /** Ids start + step * i in a shuffled order (so segments' id ranges interleave). */
    static long[] shuffledIds(int n, long start, long step, Random rnd) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = start + step * i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return ids;
    }
}
