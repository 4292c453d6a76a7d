package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;

/**
 * Launches {@code gemm.cl}: C = alpha · op(A) · op(B) + beta · C on a grid of TILE × TILE
 * work-groups, one work-item per element of C, rounded up (the kernel bounds-checks, so any
 * M, N, K works).
 */
final class ClGemm {
    static final int TILE = 16;   // 16 x 16 = 256 work-items, a work-group size every GPU and PoCL accepts
    private static final String OPTIONS = "-DTILE=" + TILE;

    private final OpenClBackend backend;

    ClGemm(OpenClBackend backend) {
        this.backend = backend;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, long aOffset,
              Storage b, long bOffset, float beta, Storage c, long cOffset) {
        if (m == 0 || n == 0) return;
        backend.kernel("gemm.cl", OPTIONS, "gemm_tiled")
                .arg(transA ? 1 : 0).arg(transB ? 1 : 0).arg(m).arg(n).arg(k).arg(alpha)
                .arg(backend.mem(a, "gemm")).arg(aOffset).arg(backend.mem(b, "gemm")).arg(bOffset)
                .arg(beta).arg(backend.mem(c, "gemm")).arg(cOffset)
                .run2(n, m, TILE, TILE);
    }
}
