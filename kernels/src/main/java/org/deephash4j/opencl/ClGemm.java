package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;
import org.jocl.cl_mem;

/**
 * Launches {@code gemm.cl}: C = alpha · op(A) · op(B) + beta · C on a grid of TILE × TILE
 * work-groups rounded up (the kernels bounds-check, so any M, N, K works). Small products use
 * {@code gemm_tiled} (one work-item per element of C); once C has at least {@link #BLOCKED_MIN}
 * elements, {@code gemm_blocked} (WPT × WPT elements per work-item, made for GPUs, where each
 * value read from local memory is reused WPT times from registers). On PoCL, ClGemmBenchmark
 * measured it twice as fast as gemm_tiled at n = 128 and level at n = 512 (smoke runs, shared machine).
 */
final class ClGemm {
    /** Preferred tile edge: 16 x 16 = 256 work-items; devices whose work-groups hold fewer get 8 x 8. */
    static final int TILE = 16;
    static final int WPT = 4;
    static final int TK = 16;
    /** Elements of C from which the register-blocked kernel is used: enough work-groups to fill a device. */
    static final long BLOCKED_MIN = 128L * 128;

    private final OpenClBackend backend;
    private final int tile;
    private final String options;

    ClGemm(OpenClBackend backend) {
        this.backend = backend;
        this.tile = backend.device().maxWorkGroupSize() >= (long) TILE * TILE ? TILE : 8;
        this.options = "-DTILE=" + tile + " -DWPT=" + WPT + " -DTK=" + TK;
    }

    /** The tile edge this device got: {@link #TILE}, or 8 where a work-group holds fewer than TILE² items. */
    int tile() {
        return tile;
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
        if ((long) m * n >= BLOCKED_MIN) {
            int block = tile * WPT;
            backend.kernel("gemm.cl", options, "gemm_blocked")
                    .arg(transA ? 1 : 0).arg(transB ? 1 : 0).arg(m).arg(n).arg(k).arg(alpha)
                    .arg(a).arg(aOffset).arg(b).arg(bOffset).arg(beta).arg(c).arg(cOffset)
                    .run2((long) (n + block - 1) / block * tile, (long) (m + block - 1) / block * tile, tile, tile);
            return;
        }
        backend.kernel("gemm.cl", options, "gemm_tiled")
                .arg(transA ? 1 : 0).arg(transB ? 1 : 0).arg(m).arg(n).arg(k).arg(alpha)
                .arg(a).arg(aOffset).arg(b).arg(bOffset).arg(beta).arg(c).arg(cOffset)
                .run2(n, m, tile, tile);
    }
}
