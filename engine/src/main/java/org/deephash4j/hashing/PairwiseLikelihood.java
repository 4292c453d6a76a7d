package org.deephash4j.hashing;

import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Ops;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;

/**
 * The pairwise logistic ("likelihood") term shared by DHN, HashNet and DSDH
 * (METHODS.md section 0):
 * <pre>
 *   Θ = c · U_a U_bᵀ                         [n, m]
 *   ℓ(θ, s) = softplus(θ) − s·θ = −log p(s | θ),  p(s = 1 | θ) = σ(θ)
 *   L = Σ_ij w_ij ℓ(Θ_ij, s_ij)              (w already holds the normaliser 1/Z)
 *   G_ij = w_ij (σ(Θ_ij) − s_ij)             so ∂L/∂U_a = c · G U_b and ∂L/∂U_b = c · Gᵀ U_a
 * </pre>
 * softplus is evaluated in its stable form max(θ, 0) + log(1 + e^−|θ|) by the backend, so no
 * overflow guard (the reference codes' "if θ > 15") is needed.
 */
final class PairwiseLikelihood {
    /** L as a scalar tensor []. */
    final Tensor value;
    /** G [n, m]. */
    final Tensor g;

    private PairwiseLikelihood(Tensor value, Tensor g) {
        this.value = value;
        this.g = g;
    }

    /**
     * Evaluates the term. ua [n, K], ub [m, K], s and w [n, m] (0/1 similarity and weights),
     * c the inner-product scale (α in HashNet, ½ in DSDH, 1 in DHN).
     */
    static PairwiseLikelihood evaluate(Tensor ua, Tensor ub, Tensor s, Tensor w, float c) {
        try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
            Tensor theta = Ops.matmul(ua, ub, false, true, c);
            Tensor ell = Ops.sub(Ops.softplus(theta), Ops.mul(s, theta));      // ℓ = softplus(Θ) − S ⊙ Θ
            Tensor value = Ops.sum(Ops.mul(ell, w)).keep();                     // Σ w ⊙ ℓ
            Tensor g = Ops.mul(Ops.sub(Ops.sigmoid(theta), s), w).keep();       // G = w ⊙ (σ(Θ) − S)
            return new PairwiseLikelihood(value, g);
        }
    }

    /**
     * ∂L/∂U for a square block over the batch with itself (U_a = U_b = u, both sides carry the
     * gradient): c · (G + Gᵀ) u, for G [n, n] and u [n, K]. Autograd on u uᵀ would give the same
     * factor; it is written out here. The result belongs to the caller's scope.
     */
    static Tensor gradientSymmetric(Tensor g, Tensor u, float c) {
        try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
            return Ops.add(Ops.matmul(g, u, false, false, c), Ops.matmul(g, u, true, false, c)).keep();
        }
    }
}
