// hamming_codes.cl — exact Hamming search over word-major codes resident on the device (index segments).
// One chunk of n rows: word w of row i at codes[w * n + i], so the work-items of a group read consecutive words.
// Queries are row-major, `words` ulongs each. excluded: bit i of excluded[i / 64] set = row i is skipped (a
// deleted code, or one outside an id filter); read only when useExcluded != 0.
// hamming_histogram: hist[qi * (bits + 1) + d] += rows of the chunk at distance d from query qi; a work-group
//   counts in local memory first, then adds its non-zero bins with one atomic each.
// hamming_select: every row within bounds[qi] takes slot offsets[qi] + atomic_inc(&counts[qi]); the host has sized
//   the slots from the histogram (exact) and sorts each query's rows by (distance, row), so the order of the atomics
//   never shows.

__kernel void hamming_histogram(__global int* hist, __global const ulong* queries, __global const ulong* codes,
                                __global const ulong* excluded, int useExcluded, int q, int n, int words, int bits,
                                __local int* localHist) {
    const int i = get_global_id(0);
    const int qi = get_global_id(1);
    const int lid = get_local_id(0);
    const int lsize = get_local_size(0);
    for (int d = lid; d <= bits; d += lsize) localHist[d] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (i < n && qi < q && !(useExcluded != 0 && ((excluded[i >> 6] >> (i & 63)) & 1UL) != 0)) {
        const __global ulong* a = queries + (long) qi * words;
        int d = 0;
        for (int w = 0; w < words; w++) d += (int) popcount(a[w] ^ codes[(long) w * n + i]);
        if (d <= bits) atomic_inc(&localHist[d]);   // d > bits only for corrupted padding bits
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (qi < q) {
        for (int d = lid; d <= bits; d += lsize) {
            if (localHist[d] != 0) atomic_add(&hist[(long) qi * (bits + 1) + d], localHist[d]);
        }
    }
}

__kernel void hamming_select(__global int* rows, __global int* dists, __global int* counts,
                             __global const int* offsets, __global const int* bounds, __global const ulong* queries,
                             __global const ulong* codes, __global const ulong* excluded, int useExcluded, int q,
                             int n, int words, int base) {
    const int i = get_global_id(0);
    const int qi = get_global_id(1);
    if (i >= n || qi >= q) return;
    if (useExcluded != 0 && ((excluded[i >> 6] >> (i & 63)) & 1UL) != 0) return;
    const __global ulong* a = queries + (long) qi * words;
    int d = 0;
    for (int w = 0; w < words; w++) d += (int) popcount(a[w] ^ codes[(long) w * n + i]);
    if (d <= bounds[qi]) {
        const int slot = offsets[qi] + atomic_inc(&counts[qi]);
        rows[slot] = base + i;
        dists[slot] = d;
    }
}
