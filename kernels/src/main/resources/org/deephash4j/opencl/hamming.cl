// hamming.cl — Hamming distances between packed binary codes, and exact top-k.
// Codes are row-major words (search.BinaryCodes layout: ceil(bits / 64) ulongs per code, padding bits zero).
// hamming_distances: one work-item per (database row i, query qi): out[qi, i] = sum_w popcount(q_w XOR c_w).
// hamming_top_k: one work-item per query; distances are integers 0..bits, so a counting sort over
//   them gives the k nearest rows in (distance, row) order in two passes over n, with no comparisons:
//   pass 1 counts rows per distance (hist), which becomes the first output slot of each distance;
//   pass 2 walks rows in order and places each in its distance's next slot if that slot is < k.

__kernel void hamming_distances(__global int* out, __global const ulong* queries, __global const ulong* codes,
                                int q, int n, int words) {
    const int i = get_global_id(0);
    const int qi = get_global_id(1);
    if (i >= n || qi >= q) return;
    const __global ulong* a = queries + (long) qi * words;
    const __global ulong* b = codes + (long) i * words;
    int d = 0;
    for (int w = 0; w < words; w++) d += (int) popcount(a[w] ^ b[w]);
    out[(long) qi * n + i] = d;
}

__kernel void hamming_top_k(__global int* rows, __global int* dists, __global int* hist,
                            __global const int* distances, int q, int n, int bits, int k) {
    const int qi = get_global_id(0);
    if (qi >= q) return;
    __global int* h = hist + (long) qi * (bits + 1);
    const __global int* dq = distances + (long) qi * n;
    for (int d = 0; d <= bits; d++) h[d] = 0;
    for (int i = 0; i < n; i++) h[dq[i]]++;
    int start = 0;
    for (int d = 0; d <= bits; d++) {
        const int count = h[d];
        h[d] = start;
        start += count;
    }
    for (int i = 0; i < n; i++) {
        const int d = dq[i];
        const int slot = h[d];
        if (slot < k) {
            rows[(long) qi * k + slot] = i;
            dists[(long) qi * k + slot] = d;
        }
        h[d] = slot + 1;
    }
}
