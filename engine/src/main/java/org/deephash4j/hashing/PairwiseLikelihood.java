package org.deephash4j.hashing;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;
import org.deephash4j.tensor.Tensor;

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
        Tensor theta = LossKernels.matmul(ua, false, ub, true, c);
        Tensor softplus = LossKernels.unary(UnaryOp.SOFTPLUS, theta);
        Tensor sTheta = LossKernels.binary(BinaryOp.MUL, s, theta);
        LossKernels.binaryInPlace(BinaryOp.SUB, softplus, sTheta);        // ℓ = softplus(Θ) − S ⊙ Θ
        LossKernels.binaryInPlace(BinaryOp.MUL, softplus, w);             // w ⊙ ℓ
        Tensor value = LossKernels.sumAll(softplus);
        Tensor g = LossKernels.unary(UnaryOp.SIGMOID, theta);
        LossKernels.binaryInPlace(BinaryOp.SUB, g, s);                    // σ(Θ) − S
        LossKernels.binaryInPlace(BinaryOp.MUL, g, w);                    // G = w ⊙ (σ(Θ) − S)
        LossKernels.closeAll(theta, softplus, sTheta);
        return new PairwiseLikelihood(value, g);
    }

    /**
     * ∂L/∂U for a square block over the batch with itself (U_a = U_b = u, both sides carry the
     * gradient): c · (G + Gᵀ) u. Autograd on u uᵀ would give the same factor; it is written out here.
     */
    Tensor gradientSymmetric(Tensor u, float c) {
        Tensor grad = LossKernels.matmul(g, false, u, false, c);
        LossKernels.matmulAdd(grad, g, true, u, false, c);
        return grad;
    }

    /** ∂L/∂U_a = c · G U_b (U_b is a detached bank: no gradient flows to it). */
    Tensor gradientLeft(Tensor ub, float c) {
        return LossKernels.matmul(g, false, ub, false, c);
    }

    void closeG() {
        g.close();
    }
}
