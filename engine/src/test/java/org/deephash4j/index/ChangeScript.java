package org.deephash4j.index;

import java.io.IOException;
import java.util.Random;
import java.util.TreeMap;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.search.RandomCodes;

/**
 * A deterministic sequence of changes for the concurrency and kill tests: the change made to an index at
 * generation g depends only on g and on the live codes then, so the content of every generation can be replayed
 * in memory ({@link Model}) and compared with what a reader finds.
 * <pre>
 * g % 4 == 1, 2   append 300 codes with ids g * 1,000,000 + i (clustered 64-bit codes drawn from seed g)
 * g % 4 == 3      delete 60 live ids drawn with seed g
 * g % 4 == 0      compact (there are always two new segments and deletions since the last one)
 * </pre>
 * Each change moves the generation by exactly one.
 */
final class ChangeScript {
    static final int BITS = 64;
    static final int APPEND = 300;
    static final int DELETE = 60;

    private ChangeScript() {
    }

    static BinaryCodes appended(long g) {
        Random rnd = new Random(g);
        long[] ids = new long[APPEND];
        for (int i = 0; i < APPEND; i++) ids[i] = g * 1_000_000L + i;
        return RandomCodes.clustered(APPEND, BITS, 4, 0.06, rnd).withIds(ids);
    }

    static long[] deleted(long g, long[] liveIds) {
        Random rnd = new Random(g);
        long[] ids = new long[DELETE];
        for (int i = 0; i < DELETE; i++) ids[i] = liveIds[rnd.nextInt(liveIds.length)];
        return ids;
    }

    /** Applies the change of the index's current generation; returns the new generation. */
    static long step(CodeIndex index) throws IOException {
        long g;
        long[] live;
        try (IndexSnapshot s = index.snapshot()) {
            g = s.generation();
            live = g % 4 == 3 ? s.liveCodes().ids() : null;
        }
        switch ((int) (g % 4)) {
            case 1, 2 -> index.append(CodeBatch.of(appended(g)));
            case 3 -> index.delete(deleted(g, sortedCopy(live)));
            default -> index.compact();
        }
        try (IndexSnapshot s = index.snapshot()) {
            if (s.generation() != g + 1) {
                throw new IllegalStateException("change at generation " + g + " led to " + s.generation());
            }
            return s.generation();
        }
    }

    static long[] sortedCopy(long[] ids) {
        long[] s = ids.clone();
        java.util.Arrays.sort(s);
        return s;
    }

    /** The live codes of each generation, replayed in memory. */
    static final class Model {
        private final TreeMap<Long, Long> live = new TreeMap<>();   // id -> 64-bit code
        private long generation = 1;

        long generation() {
            return generation;
        }

        void advanceTo(long g) {
            while (generation < g) {
                switch ((int) (generation % 4)) {
                    case 1, 2 -> {
                        BinaryCodes c = appended(generation);
                        for (int i = 0; i < c.size(); i++) live.put(c.id(i), c.word(i, 0));
                    }
                    case 3 -> {
                        long[] ids = new long[live.size()];
                        int i = 0;
                        for (long id : live.keySet()) ids[i++] = id;
                        for (long id : deleted(generation, ids)) live.remove(id);
                    }
                    default -> { }
                }
                generation++;
            }
        }

        /** The live codes in id order. */
        BinaryCodes codes() {
            long[] words = new long[live.size()];
            long[] ids = new long[live.size()];
            int i = 0;
            for (var e : live.entrySet()) {
                ids[i] = e.getKey();
                words[i++] = e.getValue();
            }
            return BinaryCodes.fromWords(BITS, words, ids);
        }
    }

    /** Sorts a snapshot's live codes by id, for comparison with the model. */
    static BinaryCodes byId(BinaryCodes codes) {
        Integer[] order = new Integer[codes.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Long.compare(codes.id(a), codes.id(b)));
        int[] rows = new int[order.length];
        for (int i = 0; i < rows.length; i++) rows[i] = order[i];
        return codes.select(rows);
    }
}
