package org.deephash4j.backend.cpu;

/**
 * Reference matrix product: {@code C[M×N] = alpha · op(A) · op(B) + beta · C}, row-major, float32.
 *
 * <p>op(A) is M×K: A is stored M×K ({@code A[i, p] = a[aOff + i·K + p]}), or K×M when
 * {@code transA} ({@code op(A)[i, p] = a[aOff + p·M + i]}). op(B) is K×N: B is stored K×N
 * ({@code B[p, j] = b[bOff + p·N + j]}), or N×K when {@code transB}
 * ({@code op(B)[p, j] = b[bOff + j·K + p]}). C is M×N at {@code c[cOff + i·N + j]}.
 *
 * <p>The obvious triple loop; each dot product accumulates in float32 in order p = 0..K-1.
 * With beta = 0, C is overwritten: its old contents (even NaN) are never read.
 */
final class ReferenceGemm {
    private ReferenceGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, float[] b, int bOff,
                     float beta, float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bpj = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    sum += aip * bpj;
                }
                int ij = cOff + i * n + j;
                // NOTE: beta == 0 must not read C: 0 * NaN would be NaN.
                c[ij] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ij];
            }
        }
    }
}
