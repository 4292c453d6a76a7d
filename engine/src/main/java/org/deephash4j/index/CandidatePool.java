package org.deephash4j.index;

import java.util.Arrays;

/**
 * The candidates of one query across segments: (segment, row, id, distance), with a histogram of distances and,
 * per distance, the largest id seen, which is what k-NN needs to bound a scan: once {@code want} candidates lie
 * within tau, a code farther than tau can never be an answer, nor one at exactly tau whose id is larger than
 * every candidate's at tau (ties go to the smaller id). Answers are ordered by (distance, id).
 */
final class CandidatePool {
    private final int bits;
    private long[] ids = new long[256];
    private int[] dists = new int[256];
    private int[] segs = new int[256];
    private int[] rows = new int[256];
    private int count;
    private final int[] hist;
    private final long[] maxIdAt;

    CandidatePool(int bits) {
        this.bits = bits;
        this.hist = new int[bits + 1];
        this.maxIdAt = new long[bits + 1];
        Arrays.fill(maxIdAt, Long.MIN_VALUE);
    }

    void clear() {
        count = 0;
        Arrays.fill(hist, 0);
        Arrays.fill(maxIdAt, Long.MIN_VALUE);
    }

    int size() {
        return count;
    }

    void add(int seg, int row, long id, int d) {
        if (count == ids.length) grow(count * 2);
        ids[count] = id;
        dists[count] = d;
        segs[count] = seg;
        rows[count++] = row;
        hist[d]++;
        if (id > maxIdAt[d]) maxIdAt[d] = id;
    }

    private void grow(int capacity) {
        ids = Arrays.copyOf(ids, capacity);
        dists = Arrays.copyOf(dists, capacity);
        segs = Arrays.copyOf(segs, capacity);
        rows = Arrays.copyOf(rows, capacity);
    }

    /** Candidates at distance <= t. */
    int within(int t) {
        int c = 0;
        for (int d = 0; d <= Math.min(t, bits); d++) c += hist[d];
        return c;
    }

    /** The smallest t with at least {@code want} candidates within t, or bits when there are fewer. */
    int tau(int want) {
        int c = 0;
        for (int d = 0; d <= bits; d++) {
            c += hist[d];
            if (c >= want) return d;
        }
        return bits;
    }

    /**
     * The largest distance a code whose id is at least {@code nextId} can have and still be an answer: tau, or
     * tau - 1 when every candidate at tau has a smaller id; bits while fewer than {@code want} are known.
     * (-1 means nothing more can be an answer.)
     */
    int bound(int want, long nextId) {
        if (count < want) return bits;
        int t = tau(want);
        return maxIdAt[t] < nextId ? t - 1 : t;
    }

    /** The largest distance any further code can have and still be an answer (ids unknown). */
    int bound(int want) {
        return count < want ? bits : tau(want);
    }

    /** Keeps memory bounded: past 2 want + slack candidates, drops those beyond tau, then ties beyond want. */
    void compact(int want, int slack) {
        if (count <= 2L * want + slack) return;
        int t = tau(want);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (dists[i] <= t) {
                ids[kept] = ids[i];
                dists[kept] = dists[i];
                segs[kept] = segs[i];
                rows[kept++] = rows[i];
            }
        }
        count = kept;
        for (int d = t + 1; d <= bits; d++) {
            hist[d] = 0;
            maxIdAt[d] = Long.MIN_VALUE;
        }
        if (count > 2L * want + slack) sortAndTruncate(want);
    }

    /** Removes the candidates of segment {@code seg} (its search is restarted by another method). */
    void removeSegment(int seg) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (segs[i] != seg) {
                ids[kept] = ids[i];
                dists[kept] = dists[i];
                segs[kept] = segs[i];
                rows[kept++] = rows[i];
            }
        }
        count = kept;
        rebuildHistogram();
    }

    /** Drops every candidate added after the first {@code mark}. */
    void truncate(int mark) {
        count = mark;
        rebuildHistogram();
    }

    private void rebuildHistogram() {
        Arrays.fill(hist, 0);
        Arrays.fill(maxIdAt, Long.MIN_VALUE);
        for (int i = 0; i < count; i++) {
            hist[dists[i]]++;
            if (ids[i] > maxIdAt[dists[i]]) maxIdAt[dists[i]] = ids[i];
        }
    }

    /** Orders the candidates by (distance, id) and keeps the first {@code limit}. */
    void sortAndTruncate(int limit) {
        int[] start = new int[bits + 2];
        for (int i = 0; i < count; i++) start[dists[i] + 1]++;
        for (int d = 0; d <= bits; d++) start[d + 1] += start[d];
        int[] next = Arrays.copyOf(start, bits + 1);
        long[] sortedIds = new long[count];
        int[] payload = new int[count];
        for (int i = 0; i < count; i++) {
            int at = next[dists[i]]++;
            sortedIds[at] = ids[i];
            payload[at] = i;
        }
        long[] tmpIds = new long[count];
        int[] tmpPayload = new int[count];
        for (int d = 0; d <= bits; d++) sortById(sortedIds, payload, tmpIds, tmpPayload, start[d], start[d + 1]);
        int kept = Math.min(limit, count);
        int[] newDists = new int[Math.max(kept, 16)];
        int[] newSegs = new int[newDists.length];
        int[] newRows = new int[newDists.length];
        long[] newIds = new long[newDists.length];
        for (int j = 0; j < kept; j++) {
            int i = payload[j];
            newIds[j] = ids[i];
            newDists[j] = dists[i];
            newSegs[j] = segs[i];
            newRows[j] = rows[i];
        }
        ids = newIds;
        dists = newDists;
        segs = newSegs;
        rows = newRows;
        count = kept;
        rebuildHistogram();
    }

    /** Sorts keys[from, to) ascending, carrying payload (a merge sort; insertion sort below 32). */
    static void sortById(long[] keys, int[] payload, long[] tmpKeys, int[] tmpPayload, int from, int to) {
        if (to - from < 32) {
            for (int i = from + 1; i < to; i++) {
                long k = keys[i];
                int p = payload[i];
                int j = i - 1;
                while (j >= from && keys[j] > k) {
                    keys[j + 1] = keys[j];
                    payload[j + 1] = payload[j];
                    j--;
                }
                keys[j + 1] = k;
                payload[j + 1] = p;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        sortById(keys, payload, tmpKeys, tmpPayload, from, mid);
        sortById(keys, payload, tmpKeys, tmpPayload, mid, to);
        if (keys[mid - 1] <= keys[mid]) return;
        System.arraycopy(keys, from, tmpKeys, from, to - from);
        System.arraycopy(payload, from, tmpPayload, from, to - from);
        int a = from;
        int b = mid;
        for (int i = from; i < to; i++) {
            if (b >= to || (a < mid && tmpKeys[a] <= tmpKeys[b])) {
                keys[i] = tmpKeys[a];
                payload[i] = tmpPayload[a++];
            } else {
                keys[i] = tmpKeys[b];
                payload[i] = tmpPayload[b++];
            }
        }
    }

    /** Appends every candidate of {@code other}. */
    void addAll(CandidatePool other) {
        for (int i = 0; i < other.count; i++) add(other.segs[i], other.rows[i], other.ids[i], other.dists[i]);
    }

    /** The first {@code limit} candidates by (distance, id). */
    Hits hits(int limit) {
        sortAndTruncate(limit);
        return new Hits(Arrays.copyOf(ids, count), Arrays.copyOf(dists, count));
    }
}
