// gemm.cl — C = alpha * op(A) * op(B) + beta * C, row-major, float32.
// op(A) is M x K (A stored M x K, or K x M when transA); op(B) is K x N (B stored K x N, or N x K
// when transB). Offsets are in elements. With beta = 0, C is overwritten (old NaN ignored).
// gemm_tiled: TILE x TILE work-groups; each step stages one TILE x TILE block of op(A) and of
// op(B) in local memory. Loads outside the matrices read 0 and stores are bounds-checked, so
// any M, N, K works (the host rounds the grid up to a multiple of TILE).
// gemm_blocked: TILE x TILE work-groups, each work-item computing WPT x WPT elements of C
// (rows ty + TILE*r, columns tx + TILE*c), so a work-group covers a (TILE*WPT)^2 block of C and
// stages TK-deep slabs of op(A) and op(B) in local memory; each value loaded from local memory
// is used WPT times from registers. Bounds-checked like gemm_tiled. Both sum over p in order 0..K-1.
#ifndef TILE
#define TILE 16   // tile edge in elements; the host passes -DTILE=... as a build option
#endif
#ifndef WPT
#define WPT 4     // elements per work-item along each axis in gemm_blocked (-DWPT=...)
#endif
#ifndef TK
#define TK 16     // depth of the K slab gemm_blocked stages per step (-DTK=...)
#endif
#define BM (TILE * WPT)

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

__kernel void gemm_blocked(int transA, int transB, int M, int N, int K, float alpha,
                           __global const float* a, long aOff, __global const float* b, long bOff,
                           float beta, __global float* c, long cOff) {
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int tid = ty * TILE + tx;
    const int row0 = get_group_id(1) * BM;
    const int col0 = get_group_id(0) * BM;
    __local float As[TK][BM + 1];   // As[p][i] = op(A)[row0 + i, p0 + p]
    __local float Bs[TK][BM + 1];   // Bs[p][j] = op(B)[p0 + p, col0 + j]
    float acc[WPT][WPT];
    for (int r = 0; r < WPT; r++) for (int q = 0; q < WPT; q++) acc[r][q] = 0.0f;
    for (int p0 = 0; p0 < K; p0 += TK) {
        // each work-item loads BM * TK / TILE^2 elements of each slab, walking memory contiguously
        for (int e = tid; e < BM * TK; e += TILE * TILE) {
            int i, p;
            if (transA) { i = e % BM; p = e / BM; } else { i = e / TK; p = e % TK; }
            const int gi = row0 + i;
            const int gp = p0 + p;
            As[p][i] = (gi < M && gp < K)
                    ? (transA ? a[aOff + (long) gp * M + gi] : a[aOff + (long) gi * K + gp]) : 0.0f;
            int j, q;
            if (transB) { j = e / TK; q = e % TK; } else { j = e % BM; q = e / BM; }
            const int gj = col0 + j;
            const int gq = p0 + q;
            Bs[q][j] = (gq < K && gj < N)
                    ? (transB ? b[bOff + (long) gj * K + gq] : b[bOff + (long) gq * N + gj]) : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TK; p++) {
            float av[WPT];
            float bv[WPT];
            for (int r = 0; r < WPT; r++) av[r] = As[p][ty + TILE * r];
            for (int q = 0; q < WPT; q++) bv[q] = Bs[p][tx + TILE * q];
            for (int r = 0; r < WPT; r++) for (int q = 0; q < WPT; q++) acc[r][q] += av[r] * bv[q];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int r = 0; r < WPT; r++) {
        const int i = row0 + ty + TILE * r;
        if (i >= M) continue;
        for (int q = 0; q < WPT; q++) {
            const int j = col0 + tx + TILE * q;
            if (j >= N) continue;
            const long ci = cOff + (long) i * N + j;
            c[ci] = beta == 0.0f ? alpha * acc[r][q] : alpha * acc[r][q] + beta * c[ci];
        }
    }
}
