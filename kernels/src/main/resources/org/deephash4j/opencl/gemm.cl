// gemm.cl — C = alpha * op(A) * op(B) + beta * C, row-major, float32.
// op(A) is M x K (A stored M x K, or K x M when transA); op(B) is K x N (B stored K x N, or N x K
// when transB). Offsets are in elements. With beta = 0, C is overwritten (old NaN ignored).
// gemm_tiled: TILE x TILE work-groups; each step stages one TILE x TILE block of op(A) and of
// op(B) in local memory. Loads outside the matrices read 0 and stores are bounds-checked, so
// any M, N, K works (the host rounds the grid up to a multiple of TILE).
#ifndef TILE
#define TILE 16   // tile edge in elements; the host passes -DTILE=... as a build option
#endif

__kernel void gemm_tiled(int transA, int transB, int M, int N, int K, float alpha,
                         __global const float* a, long aOff, __global const float* b, long bOff,
                         float beta, __global float* c, long cOff) {
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int j = get_group_id(0) * TILE + tx;   // column of C
    const int i = get_group_id(1) * TILE + ty;   // row of C
    // +1 column: neighbouring work-items read different banks when a tile is read by column
    __local float As[TILE][TILE + 1];
    __local float Bs[TILE][TILE + 1];
    float acc = 0.0f;
    for (int p0 = 0; p0 < K; p0 += TILE) {
        const int p = p0 + tx;                   // As[ty][tx] = op(A)[i, p0 + tx]
        As[ty][tx] = (i < M && p < K)
                ? (transA ? a[aOff + (long) p * M + i] : a[aOff + (long) i * K + p]) : 0.0f;
        const int q = p0 + ty;                   // Bs[ty][tx] = op(B)[p0 + ty, j]
        Bs[ty][tx] = (q < K && j < N)
                ? (transB ? b[bOff + (long) j * K + q] : b[bOff + (long) q * N + j]) : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int t = 0; t < TILE; t++) {
            acc += As[ty][t] * Bs[t][tx];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (i < M && j < N) {
        const long ci = cOff + (long) i * N + j;
        c[ci] = beta == 0.0f ? alpha * acc : alpha * acc + beta * c[ci];
    }
}
