package org.deephash4j.hashing;

import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Op;
import org.deephash4j.autograd.Ops;
import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;

/**
 * DHN: Deep Hashing Network (Zhu, Long, Wang and Cao, AAAI 2016); METHODS.md section 2.
 *
 * <p>Head: the hash layer z = W_h f + c (Linear F → K), u = tanh(z). Loss on a batch of n
 * outputs, all ordered pairs (i, j) including i = j, as the first author's Caffe code writes it
 * (METHODS.md 2.3, zhuhan1236/dhn-caffe pairwise_loss_layer.cu):
 * <pre>
 *   Θ_ij = α ⟨u_i, u_j⟩                                  (paper: α = 1)
 *   L    = (1/n²) Σ_ij [ softplus(Θ_ij) − s_ij Θ_ij ]      pairwise cross-entropy loss (negative log-likelihood of S)
 *   Q    = (1/(nK)) Σ_i Σ_k log cosh(|u_ik| − 1)          pairwise quantization loss, smooth form of ‖|u_i| − 1‖₁
 *   C    = L + λ Q
 * </pre>
 * Gradient: ∂C/∂u_i = (α/n²) Σ_j 2(σ(Θ_ij) − s_ij) u_j + (λ/(nK)) tanh(|u_ik| − 1) sgn(u_ik),
 * then ∂u/∂z = 1 − u². Codes: b = sgn(z), sgn(0) = +1.
 *
 * <p>Weight of Q. The paper weights Q per pair (each image once per pair it is in); dhn-caffe
 * reports Q as a mean over the n×K outputs (its Q_fwd) but writes its gradient with the per-image
 * weight λ/n, K times heavier. We use the mean, as dhn-caffe's reported value and DeepHash-pytorch
 * (METHODS.md 2.4) do, and the mean trained better on the reproduction protocol: trained from
 * scratch, the heavy per-image term pushes each bit towards ±1 before the likelihood has separated
 * the classes.
 *
 * <p>Constants: λ = {@link #DEFAULT_LAMBDA} = 0.3 (dhn-caffe's q_gamma for NUS-WIDE; the paper
 * picks λ by cross-validation and its values are not known); α = {@link #DEFAULT_INNER_PRODUCT_SCALE}
 * = 1 (paper and code). With α = 1 and large K the sigmoid saturates early (METHODS.md 2.6);
 * α = 10/K (HashNet's choice) is available through the constructor. Learning rate: Adam 1e-3
 * drives every output to 0 within the first epoch on a LeNet trained from scratch (one code for
 * every image, with either weight of Q); {@link #defaultLearningRate()} is 1e-4, the PyTorch
 * reference's rate. The figures behind these choices are in the project README ("Choices and what
 * measured them").
 */
public final class Dhn extends HashHeadMethod {
    /** λ, weight of the quantization loss: dhn-caffe's q_gamma = 0.3. */
    public static final float DEFAULT_LAMBDA = 0.3f;
    /** α, scale of the inner product inside the sigmoid: 1 in the paper and in dhn-caffe. */
    public static final float DEFAULT_INNER_PRODUCT_SCALE = 1f;

    private final float lambda;
    private final float innerProductScale;

    /** DHN with the paper's constants (λ = 0.3, α = 1). */
    public Dhn(int bits) {
        this(bits, DEFAULT_LAMBDA, DEFAULT_INNER_PRODUCT_SCALE);
    }

    /**
     * @param bits K, the code length (>= 1)
     * @param lambda λ >= 0, the weight of the quantization loss
     * @param innerProductScale α > 0 in Θ = α⟨u_i, u_j⟩
     */
    public Dhn(int bits, double lambda, double innerProductScale) {
        super("DHN", bits);
        this.lambda = Checks.nonNegative("DHN", "lambda", lambda);
        this.innerProductScale = Checks.positive("DHN", "innerProductScale", innerProductScale);
    }

    /** Adam 1e-4: at 1e-3 DHN collapses to one code when the network is trained from scratch (see above). */
    @Override
    public float defaultLearningRate() {
        return 1e-4f;
    }

    public float lambda() {
        return lambda;
    }

    public float innerProductScale() {
        return innerProductScale;
    }

    /** C = L + λQ on the hash-layer outputs z [n, K] (before tanh); differentiable in z. */
    @Override
    public Tensor lossOnOutputs(Tensor z, Labels labels, int[] indices) {
        int n = Checks.batch(name(), z, bits(), labels, true);
        observe(z);
        return new LossOp(labels.similarity(labels), n, bits(), lambda, innerProductScale).apply(z);
    }

    /** The fused loss: forward and exact gradient side by side. */
    private static final class LossOp extends Op {
        private final float[] similarity;
        private final int n;
        private final int bits;
        private final float lambda;
        private final float alpha;
        private Tensor u;
        private Tensor g;

        LossOp(float[] similarity, int n, int bits, float lambda, float alpha) {
            this.similarity = similarity;
            this.n = n;
            this.bits = bits;
            this.lambda = lambda;
            this.alpha = alpha;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor z = inputs[0];                                         // [n, K]
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                u = Ops.tanh(z).keep();
                Tensor s = Tensors.fromArray(z.backend(), similarity, n, n);
                Tensor w = Tensors.full(z.backend(), 1f / ((float) n * n), n, n);
                PairwiseLikelihood pair = PairwiseLikelihood.evaluate(u, u, s, w, alpha);
                g = pair.g.keep();
                Tensor q = Ops.sum(Ops.logCosh(Ops.affine(Ops.abs(u), 1f, -1f)));   // Q = Σ log cosh(|u| − 1)
                return Ops.add(Ops.scale(q, lambda / ((float) n * bits)), pair.value).keep();   // λ Q + L
            }
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                Tensor gradU = PairwiseLikelihood.gradientSymmetric(g, u, alpha);             // α (G + Gᵀ) u
                Tensor t = Ops.mul(Ops.tanh(Ops.affine(Ops.abs(u), 1f, -1f)), Ops.sign(u));   // tanh(|u| − 1) sgn(u)
                u.backend().axpy(gradU.storage(), lambda / ((float) n * bits), t.storage(), t.size());   // + λ/(nK) ∂Q/∂u
                Tensor dTanh = Ops.affine(Ops.square(u), -1f, 1f);                           // 1 − u²
                return new Tensor[] {Ops.mulScalar(Ops.mul(gradU, dTanh), gradOutput).keep()};
            }
        }

        @Override
        protected void releaseSaved() {
            if (u != null) u.close();
            if (g != null) g.close();
            u = null;
            g = null;
        }
    }
}
