package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;
import org.jocl.cl_mem;

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
        gemm(transA, transB, m, n, k, alpha, backend.mem(a, "gemm"), aOffset, backend.mem(b, "gemm"), bOffset,
                beta, backend.mem(c, "gemm"), cOffset);
    }

    /** The same on raw buffers (the convolution's im2col path multiplies scratch buffers). */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, cl_mem a, long aOffset,
              cl_mem b, long bOffset, float beta, cl_mem c, long cOffset) {
        if (m == 0 || n == 0) return;
        backend.kernel("gemm.cl", OPTIONS, "gemm_tiled")
                .arg(transA ? 1 : 0).arg(transB ? 1 : 0).arg(m).arg(n).arg(k).arg(alpha)
                .arg(a).arg(aOffset).arg(b).arg(bOffset).arg(beta).arg(c).arg(cOffset)
                .run2(n, m, TILE, TILE);
    }
}
