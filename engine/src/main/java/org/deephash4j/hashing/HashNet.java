package org.deephash4j.hashing;

import java.util.Map;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Op;
import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;

/**
 * HashNet: Deep Learning to Hash by Continuation (Cao, Long, Wang and Yu, ICCV 2017);
 * METHODS.md section 3.
 *
 * <p>Head: the hash layer z = W_h f + c (Linear F → K), h = tanh(β z) with β raised during
 * training (continuation), codes b = sgn(z). Loss: weighted maximum likelihood over the pairs
 * of the batch with the adaptive sigmoid (METHODS.md 3.2 and 3.6):
 * <pre>
 *   Θ_ij = α ⟨h_i, h_j⟩                                         α = 10/K by default ("adaptive α", 3.4)
 *   L    = (1/|S|) Σ_(i,j)∈S w_ij [ softplus(Θ_ij) − s_ij Θ_ij ]
 *   w_ij = c_ij · |S| / |S₁|  if s_ij = 1,   |S| / |S₀|  if s_ij = 0       (balance weights, 3.2)
 *   ∂L/∂h = α (G + Gᵀ) h,  G_ij = w_ij (σ(Θ_ij) − s_ij) / |S|;   ∂L/∂z = ∂L/∂h ⊙ β (1 − h²)
 * </pre>
 * S = all ordered pairs of the batch including i = j (DeepHash-pytorch's form, which equals the
 * paper's); |S₁|, |S₀| are counted in the batch. For single labels c_ij = 1. For multi-hot labels
 * the paper uses a "continuous similarity" whose exact formula could not be retrieved
 * (METHODS.md 3.5, uncertain); we choose c_ij = (y_iᵀy_j)² / ((y_iᵀy_i)(y_jᵀy_j)) for similar pairs
 * (thuml's Caffe formula) applied in forward and backward alike, and the option
 * {@link Builder#continuousSimilarity(boolean)} turns it off.
 *
 * <p>Continuation (METHODS.md 3.3, thuml Caffe ScaleTanH and PyTorch, exact): the training
 * forward number t (1, 2, ...) uses β = β₀ (1 + γ t')^p with t' = t rounded down to a multiple of
 * {@code stepSize}; β₀ = 1, γ = 0.005, p = 0.5, stepSize = 200. The loop calls {@link #afterStep()}
 * once per training step.
 *
 * <p>Pairing (option): {@link Pairing#BATCH} (default, the paper and current DeepHash-pytorch) or
 * {@link Pairing#BANK}: the batch against a detached memory bank of the latest h of all N
 * training examples (older DeepHash-pytorch, METHODS.md 3.5), an n×N block whose gradient
 * reaches only the batch side, ∂L/∂h = α G H_bank.
 */
public final class HashNet extends HashHeadMethod {
    public static final float DEFAULT_INIT_SCALE = 1f;
    public static final float DEFAULT_GAMMA = 0.005f;
    public static final float DEFAULT_POWER = 0.5f;
    public static final int DEFAULT_STEP_SIZE = 200;
    /** The checkpoint's names for γ and stepSize ({@link #settings()}). */
    public static final String GAMMA_SETTING = "hashnet.beta_gamma", STEP_SIZE_SETTING = "hashnet.beta_step";

    /** Which pairs the likelihood runs over. */
    public enum Pairing { BATCH, BANK }

    private final float alpha;
    private final float initScale;
    private final float gamma;
    private final float power;
    private final int stepSize;
    private final boolean balanced;
    private final boolean continuousSimilarity;
    private final Pairing pairing;
    private final Labels trainingLabels;
    private Tensor bank;                       // [N, K] latest h of every training example (BANK only)
    private long iteration;                    // training steps done

    /** HashNet with the paper's/code's constants and in-batch pairs. */
    public HashNet(int bits) {
        this(builder(bits));
    }

    private HashNet(Builder b) {
        super("HashNet", b.bits);
        this.alpha = Checks.positive(name(), "alpha", b.alpha);
        this.initScale = Checks.positive(name(), "initScale", b.initScale);
        this.gamma = Checks.nonNegative(name(), "gamma", b.gamma);
        this.power = Checks.nonNegative(name(), "power", b.power);
        if (b.stepSize < 1) throw new IllegalArgumentException("HashNet: stepSize = " + b.stepSize + ", expected >= 1");
        this.stepSize = b.stepSize;
        this.balanced = b.balanced;
        this.continuousSimilarity = b.continuousSimilarity;
        this.pairing = b.pairing;
        this.trainingLabels = b.trainingLabels;
        if (pairing == Pairing.BANK && trainingLabels == null) {
            throw new IllegalArgumentException("HashNet: the BANK pairing needs the labels of the whole training set (trainingLabels)");
        }
    }

    /** Defaults: α = 10/K, β₀ = 1, γ = 0.005, p = 0.5, stepSize = 200, balanced, continuous similarity, BATCH. */
    public static Builder builder(int bits) {
        return new Builder(Checks.bits("HashNet", bits));
    }

    /** HashNet's named parameters with the paper's/code's values as defaults. */
    public static final class Builder {
        private final int bits;
        private double alpha;
        private double initScale = DEFAULT_INIT_SCALE;
        private double gamma = DEFAULT_GAMMA;
        private double power = DEFAULT_POWER;
        private int stepSize = DEFAULT_STEP_SIZE;
        private boolean balanced = true;
        private boolean continuousSimilarity = true;
        private Pairing pairing = Pairing.BATCH;
        private Labels trainingLabels;

        private Builder(int bits) {
            this.bits = bits;
            this.alpha = 10.0 / bits;
        }

        /** α in Θ = α⟨h_i, h_j⟩; default 10/K (thuml: "10 / the length of code"). */
        public Builder alpha(double alpha) { this.alpha = alpha; return this; }
        /** β₀ (thuml init_scale), default 1. */
        public Builder initScale(double initScale) { this.initScale = initScale; return this; }
        /** γ of the continuation, default 0.005. */
        public Builder gamma(double gamma) { this.gamma = gamma; return this; }
        /** p of the continuation, default 0.5. */
        public Builder power(double power) { this.power = power; return this; }
        /** β changes every stepSize training steps, default 200. */
        public Builder stepSize(int stepSize) { this.stepSize = stepSize; return this; }
        /** Balance weights |S|/|S₁|, |S|/|S₀| (default true); false gives w_ij = 1. */
        public Builder balanced(boolean balanced) { this.balanced = balanced; return this; }
        /** Multi-hot labels only: weight similar pairs by c_ij (default true). */
        public Builder continuousSimilarity(boolean on) { this.continuousSimilarity = on; return this; }
        /** BATCH (default) or BANK; BANK needs {@link #trainingLabels}. */
        public Builder pairing(Pairing pairing) { this.pairing = pairing; return this; }
        /** Labels of all N training examples (BANK pairing). */
        public Builder trainingLabels(Labels labels) { this.trainingLabels = labels; return this; }

        public HashNet build() {
            return new HashNet(this);
        }
    }

    public float alpha() {
        return alpha;
    }

    public Pairing pairing() {
        return pairing;
    }

    /** β used by training forward number t (1-based): β₀ (1 + γ · ⌊t / stepSize⌋ · stepSize)^p. */
    public float betaAt(long t) {
        long t0 = t - Math.floorMod(t, (long) stepSize);
        return (float) (initScale * Math.pow(1 + gamma * (double) t0, power));
    }

    /** β of the next training step. */
    public float beta() {
        return betaAt(iteration + 1);
    }

    /** γ and stepSize of the continuation, as a checkpoint records them. */
    @Override
    public Map<String, String> settings() {
        return Map.of(GAMMA_SETTING, Float.toString(gamma), STEP_SIZE_SETTING, Integer.toString(stepSize));
    }

    /** Training steps done so far. */
    public long iteration() {
        return iteration;
    }

    /** Restores the step counter (e.g. when resuming from a checkpoint). */
    public void setIteration(long iteration) {
        if (iteration < 0) throw new IllegalArgumentException("HashNet: iteration = " + iteration + ", expected >= 0");
        this.iteration = iteration;
    }

    /** Advances the continuation: call once after every training step. */
    @Override
    public void afterStep() {
        iteration++;
    }

    /** BANK pairing: the bank [N, K]; empty for BATCH (the step counter is replayed by the loop). */
    @Override
    public Map<String, float[]> trainingState() {
        return bank == null ? Map.of() : Map.of("bank", bank.toArray());
    }

    @Override
    public void restoreTrainingState(Map<String, float[]> state) {
        if (pairing != Pairing.BANK) {
            super.restoreTrainingState(state);
            return;
        }
        float[] h = Checks.stateArray(name(), state, "bank", trainingLabels.size(), bits(), true);
        if (bank == null) throw new IllegalStateException("HashNet: build the head before restoring its training state");
        bank.backend().copyIn(bank.storage(), 0, h, 0, h.length);
    }

    /** Builds the head and, for BANK pairing, allocates the bank [N, K] on its backend (outside the steps' scopes). */
    @Override
    public HashHead head(Backend backend, int featureSize, long seed) {
        HashHead head = super.head(backend, featureSize, seed);
        if (pairing == Pairing.BANK) bank = Tensors.zeros(backend, trainingLabels.size(), bits()).keep();
        return head;
    }

    /** The weighted likelihood on hash-layer outputs z [n, K] at the current β; indices are needed for BANK. */
    @Override
    public Tensor lossOnOutputs(Tensor z, Labels labels, int[] indices) {
        int n = Checks.batch(name(), z, bits(), labels, true);
        observe(z);
        if (pairing == Pairing.BATCH) {
            float[] s = labels.similarity(labels);
            return new LossOp(s, weights(labels, labels, s), n, n, null, null, alpha, beta()).apply(z);
        }
        Checks.indices(name(), indices, n, trainingLabels.size());
        if (bank == null) bank = Tensors.zeros(z.backend(), trainingLabels.size(), bits()).keep();
        if (bank.isClosed()) {
            throw new IllegalStateException("HashNet: the bank of training outputs was released (it was created inside a"
                    + " TensorScope that has closed); build the head outside the training steps' scopes");
        }
        float[] s = labels.similarity(trainingLabels);
        return new LossOp(s, weights(labels, trainingLabels, s), n, trainingLabels.size(), bank, indices, alpha, beta())
                .apply(z);
    }

    /**
     * w_ij / |S| for the block rows × cols with similarity s (METHODS.md 3.2): c_ij / |S₁| for similar
     * pairs, 1 / |S₀| for dissimilar ones.
     */
    private float[] weights(Labels rows, Labels cols, float[] s) {
        int n = rows.size();
        int m = cols.size();
        boolean multiHot = continuousSimilarity && (rows.isMultiHot() || cols.isMultiHot());
        long similar = 0;
        for (float v : s) if (v > 0) similar++;
        long dissimilar = (long) n * m - similar;
        float[] w = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                int p = i * m + j;
                double weight;
                if (!balanced) {
                    weight = 1.0 / ((double) n * m);
                } else if (s[p] > 0) {
                    weight = 1.0 / similar;
                } else {
                    weight = 1.0 / dissimilar;
                }
                if (s[p] > 0 && multiHot) {
                    double shared = shared(rows, i, cols, j);
                    weight *= shared * shared / ((double) rows.count(i) * cols.count(j));
                }
                w[p] = (float) weight;
            }
        }
        return w;
    }

    private static int shared(Labels a, int i, Labels b, int j) {
        int n = 0;
        for (int c = 0; c < a.classes(); c++) if (a.has(i, c) && b.has(j, c)) n++;
        return n;
    }

    /** The fused loss: forward and exact gradient side by side. */
    private static final class LossOp extends Op {
        private final float[] similarity;
        private final float[] weights;
        private final int n;
        private final int m;
        private final Tensor bank;
        private final int[] indices;
        private final float alpha;
        private final float beta;
        private Tensor h;
        private Tensor g;

        LossOp(float[] similarity, float[] weights, int n, int m, Tensor bank, int[] indices, float alpha, float beta) {
            this.similarity = similarity;
            this.weights = weights;
            this.n = n;
            this.m = m;
            this.bank = bank;
            this.indices = indices;
            this.alpha = alpha;
            this.beta = beta;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor z = inputs[0];                                             // [n, K]
            int k = z.dim(1);
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                h = Ops.tanh(Ops.scale(z, beta)).keep();                      // h = tanh(β z)
                if (bank != null) {
                    for (int i = 0; i < n; i++) {                             // bank[idx_i] ← h_i (detached), before the loss
                        z.backend().copy(bank.storage(), (long) indices[i] * k, h.storage(), (long) i * k, k);
                    }
                }
                Tensor s = Tensors.fromArray(z.backend(), similarity, n, m);
                Tensor w = Tensors.fromArray(z.backend(), weights, n, m);
                PairwiseLikelihood pair = PairwiseLikelihood.evaluate(h, bank != null ? bank : h, s, w, alpha);
                g = pair.g.keep();
                return pair.value.keep();
            }
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                Tensor gradH = bank != null
                        ? Ops.matmul(g, bank, false, false, alpha)                    // α G H_bank
                        : PairwiseLikelihood.gradientSymmetric(g, h, alpha);          // α (G + Gᵀ) h
                Tensor dTanh = Ops.affine(Ops.square(h), -beta, beta);               // β (1 − h²)
                return new Tensor[] {Ops.mulScalar(Ops.mul(gradH, dTanh), gradOutput).keep()};
            }
        }

        @Override
        protected void releaseSaved() {
            if (h != null) h.close();
            if (g != null) g.close();
            h = null;
            g = null;
        }
    }
}
