package org.deephash4j.hashing;

/**
 * The two discrete, host-side steps of DSDH (Li et al., NIPS 2017; METHODS.md 4.2 and 4.3),
 * on codes copied out of the device: they are small dense problems (K×K and N×K) solved in
 * double precision. Row-per-sample convention: B, U [N, K], Y [N, C], W [K, C], so the
 * classifier predicts y_i ≈ Wᵀ b_i, i.e. Y ≈ B W.
 *
 * <pre>
 *   W step (ridge):  W = (BᵀB + (ν/μ) I_K)⁻¹ Bᵀ Y                      (Cholesky, no explicit inverse)
 *   B step (DCC):    min_B ‖Y − B W‖² + (η/μ) ‖B − U‖²,  B ∈ {−1, +1}^{N×K}
 *                    P = Y Wᵀ + (η/μ) U;   for k = 1..K:
 *                    B[:, k] ← sgn( P[:, k] − B' W' W[k, :]ᵀ )   (B', W' = B, W without bit k)
 * </pre>
 * With the other bits fixed, the objective in column z = B[:, k] is 2 zᵀ(B'W'vᵀ − p) + const
 * (zᵀz = N is constant for ±1 entries), so each column update is the exact minimiser and the
 * objective never increases. B'W'vᵀ = B M[:, k] − B[:, k] M[k, k] with M = W Wᵀ (METHODS.md 4.6).
 * sgn(0) = +1.
 */
public final class DsdhSolvers {
    private DsdhSolvers() {
    }

    /**
     * The W step: returns W [k, c] (row-major) solving (BᵀB + lambda I) W = Bᵀ Y, lambda = ν/μ.
     * b [n, k], y [n, c] row-major.
     */
    public static double[] solveW(float[] b, float[] y, int n, int k, int c, double lambda) {
        if (b.length < (long) n * k || y.length < (long) n * c) {
            throw new IllegalArgumentException("DSDH W step: B holds " + b.length + " values and Y " + y.length
                    + ", expected [" + n + ", " + k + "] and [" + n + ", " + c + "]");
        }
        if (!(lambda > 0)) throw new IllegalArgumentException("DSDH W step: nu/mu = " + lambda + ", expected > 0 (a ridge)");
        double[] a = new double[k * k];              // BᵀB + λI
        double[] rhs = new double[k * c];            // BᵀY
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double bp = b[i * k + p];
                if (bp == 0) continue;
                for (int q = 0; q < k; q++) a[p * k + q] += bp * b[i * k + q];
                for (int j = 0; j < c; j++) rhs[p * c + j] += bp * y[i * c + j];
            }
        }
        for (int p = 0; p < k; p++) a[p * k + p] += lambda;
        choleskyInPlace(a, k);
        for (int j = 0; j < c; j++) {                // solve L Lᵀ w_j = rhs_j column by column
            for (int p = 0; p < k; p++) {
                double s = rhs[p * c + j];
                for (int q = 0; q < p; q++) s -= a[p * k + q] * rhs[q * c + j];
                rhs[p * c + j] = s / a[p * k + p];
            }
            for (int p = k - 1; p >= 0; p--) {
                double s = rhs[p * c + j];
                for (int q = p + 1; q < k; q++) s -= a[q * k + p] * rhs[q * c + j];
                rhs[p * c + j] = s / a[p * k + p];
            }
        }
        return rhs;
    }

    /** Lower Cholesky factor of the SPD matrix a [k, k], written into its lower triangle. */
    private static void choleskyInPlace(double[] a, int k) {
        for (int j = 0; j < k; j++) {
            double d = a[j * k + j];
            for (int q = 0; q < j; q++) d -= a[j * k + q] * a[j * k + q];
            if (!(d > 0)) throw new IllegalStateException("DSDH W step: BᵀB + λI is not positive definite (pivot " + j + " = " + d + ")");
            d = Math.sqrt(d);
            a[j * k + j] = d;
            for (int i = j + 1; i < k; i++) {
                double s = a[i * k + j];
                for (int q = 0; q < j; q++) s -= a[i * k + q] * a[j * k + q];
                a[i * k + j] = s / d;
            }
        }
    }

    /**
     * The B step: up to {@code maxSweeps} sweeps of discrete cyclic coordinate descent over the
     * bits, in place on b [n, k] (entries must be ±1); stops early after a sweep that changes no
     * bit. etaOverMu = η/μ. Returns the number of sweeps run.
     */
    public static int updateB(float[] b, float[] u, float[] y, double[] w, int n, int k, int c, double etaOverMu,
                              int maxSweeps) {
        if (maxSweeps < 1) throw new IllegalArgumentException("DSDH B step: sweeps = " + maxSweeps + ", expected >= 1");
        for (int i = 0; i < n * k; i++) {
            if (b[i] != 1f && b[i] != -1f) {
                throw new IllegalArgumentException("DSDH B step: B[" + (i / k) + ", " + (i % k) + "] = " + b[i] + ", expected ±1");
            }
        }
        double[] p = new double[n * k];               // P = Y Wᵀ + (η/μ) U
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < k; q++) {
                double s = etaOverMu * u[i * k + q];
                for (int j = 0; j < c; j++) s += y[i * c + j] * w[q * c + j];
                p[i * k + q] = s;
            }
        }
        double[] m = new double[k * k];               // M = W Wᵀ
        for (int q = 0; q < k; q++) {
            for (int r = 0; r < k; r++) {
                double s = 0;
                for (int j = 0; j < c; j++) s += w[q * c + j] * w[r * c + j];
                m[q * k + r] = s;
            }
        }
        int sweeps = 0;
        boolean changed = true;
        while (changed && sweeps < maxSweeps) {
            changed = false;
            sweeps++;
            for (int bit = 0; bit < k; bit++) {
                for (int i = 0; i < n; i++) {
                    double others = -b[i * k + bit] * m[bit * k + bit];   // B'W'v = B M[:, bit] − B[:, bit] M[bit, bit]
                    for (int q = 0; q < k; q++) others += b[i * k + q] * m[q * k + bit];
                    float next = p[i * k + bit] - others >= 0 ? 1f : -1f;
                    if (next != b[i * k + bit]) {
                        b[i * k + bit] = next;
                        changed = true;
                    }
                }
            }
        }
        return sweeps;
    }

    /** The objective the B step minimises: ‖Y − B W‖² + (η/μ) ‖B − U‖². */
    public static double objective(float[] b, float[] u, float[] y, double[] w, int n, int k, int c, double etaOverMu) {
        double f = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                double pred = 0;
                for (int q = 0; q < k; q++) pred += b[i * k + q] * w[q * c + j];
                double r = y[i * c + j] - pred;
                f += r * r;
            }
            for (int q = 0; q < k; q++) {
                double d = b[i * k + q] - u[i * k + q];
                f += etaOverMu * d * d;
            }
        }
        return f;
    }
}
