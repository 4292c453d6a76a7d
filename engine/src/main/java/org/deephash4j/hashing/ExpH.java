package org.deephash4j.hashing;

import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Op;
import org.deephash4j.autograd.Ops;
import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;

/**
 * ExpH: an exponentiated hashing loss <em>after Mu &amp; Liu</em> ("Deep Hashing: A Joint Approach
 * for Image Signature Learning", AAAI 2017). Not a reproduction: the paper body and code could
 * not be retrieved, so this is the labelled reconstruction of METHODS.md section 5.2, built from
 * the paper's verified wording ("exponentiated hashing loss", "bilinear smooth approximation",
 * "two-stage supervised pre-training", "fine-tuning").
 *
 * <p>(a) Exponentiated loss on the normalised code affinity (exact, not differentiable):
 * L_exp = (1/|P|) Σ_(i,j)∈P exp(−γ s̃_ij b_iᵀb_j / K), s̃_ij = 2 s_ij − 1, b = sgn(z).
 * <br>(b) Its bilinear smooth approximation, the loss trained here (METHODS.md 5.2 (b)):
 * <pre>
 *   h = tanh(z),  A_ij = h_iᵀh_j / K ∈ [−1, 1],  e_ij = exp(−γ s̃_ij A_ij)
 *   L = Σ_(i,j)∈P w_ij e_ij                    P = ordered pairs of the batch with i ≠ j
 *   w_ij = 1/|P₁| (similar), 1/|P₀| (dissimilar)   — HashNet-style balance (ours), or 1/|P| unbalanced
 *   ∂L/∂A_ij = −γ s̃_ij w_ij e_ij,   ∂L/∂h = (G + Gᵀ) h / K,   ∂L/∂z = ∂L/∂h ⊙ (1 − h²)
 * </pre>
 * (c) Two-stage supervised pre-training, then fine-tuning (METHODS.md 5.2 (c)): stage 1 trains
 * the backbone with a softmax classifier on the features ({@code pretrain} in the head); stage
 * 2 inserts the K-unit tanh hash layer before a softmax classifier ({@code classifier}); then the
 * classifiers are dropped and the network is fine-tuned with L, at {@link #learningRateScale()}
 * times the base rate (a parameter: METHODS.md suggests a smaller rate, e.g. 0.1; our default is 1
 * because 0.1 left short runs under-trained; README, "Choices and what measured them"). The stage
 * follows the epoch ({@link #beforeEpoch}).
 *
 * <p>Constants (all ours, the paper's are unknown): γ = {@link #DEFAULT_GAMMA}, balance on,
 * stage 1 and stage 2 one epoch each, fine-tuning learning-rate scale 1. Codes: sgn(z).
 */
public final class ExpH extends HashHeadMethod {
    /** γ, sharpness of the exponentiated loss (METHODS.md suggests 2 to 4). */
    public static final float DEFAULT_GAMMA = 3f;
    public static final int DEFAULT_STAGE1_EPOCHS = 1;
    public static final int DEFAULT_STAGE2_EPOCHS = 1;
    /** Learning-rate scale while fine-tuning: 1 (ours; METHODS.md 5.2 (c) suggests e.g. 0.1, which trained too slowly in short runs). */
    public static final float DEFAULT_FINE_TUNE_LR_SCALE = 1f;

    /** The phase of training. */
    public enum Stage { PRETRAIN_FEATURES, PRETRAIN_CODES, FINE_TUNE }

    private final int classes;
    private final float gamma;
    private final boolean balanced;
    private final int stage1Epochs;
    private final int stage2Epochs;
    private final float fineTuneLrScale;
    private Stage stage;

    private ExpH(Builder b) {
        super("ExpH", b.bits);
        if (b.classes < 2) throw new IllegalArgumentException("ExpH: classes = " + b.classes + ", expected >= 2");
        this.classes = b.classes;
        this.gamma = Checks.positive(name(), "gamma", b.gamma);
        this.balanced = b.balanced;
        if (b.stage1Epochs < 0 || b.stage2Epochs < 0) {
            throw new IllegalArgumentException("ExpH: stage epochs " + b.stage1Epochs + ", " + b.stage2Epochs + ", expected >= 0");
        }
        this.stage1Epochs = b.stage1Epochs;
        this.stage2Epochs = b.stage2Epochs;
        this.fineTuneLrScale = Checks.positive(name(), "fineTuneLearningRateScale", b.fineTuneLrScale);
        this.stage = stageOf(0);
    }

    /** ExpH with the defaults above. */
    public static ExpH create(int bits, int classes) {
        return builder(bits, classes).build();
    }

    public static Builder builder(int bits, int classes) {
        return new Builder(Checks.bits("ExpH", bits), classes);
    }

    /** ExpH's named parameters. */
    public static final class Builder {
        private final int bits;
        private final int classes;
        private double gamma = DEFAULT_GAMMA;
        private boolean balanced = true;
        private int stage1Epochs = DEFAULT_STAGE1_EPOCHS;
        private int stage2Epochs = DEFAULT_STAGE2_EPOCHS;
        private double fineTuneLrScale = DEFAULT_FINE_TUNE_LR_SCALE;

        private Builder(int bits, int classes) {
            this.bits = bits;
            this.classes = classes;
        }

        /** γ > 0, default 3. */
        public Builder gamma(double gamma) { this.gamma = gamma; return this; }
        /** Balance similar and dissimilar pairs (default true). */
        public Builder balanced(boolean balanced) { this.balanced = balanced; return this; }
        /** Epochs of stage 1 (backbone + softmax), default 1; 0 skips it. */
        public Builder stage1Epochs(int epochs) { this.stage1Epochs = epochs; return this; }
        /** Epochs of stage 2 (hash layer + softmax), default 1; 0 skips it. */
        public Builder stage2Epochs(int epochs) { this.stage2Epochs = epochs; return this; }
        /** Learning-rate scale while fine-tuning, default 1. */
        public Builder fineTuneLearningRateScale(double scale) { this.fineTuneLrScale = scale; return this; }

        public ExpH build() {
            return new ExpH(this);
        }
    }

    public float gamma() {
        return gamma;
    }

    public Stage stage() {
        return stage;
    }

    /** Forces a stage (tests, resuming). */
    public void setStage(Stage stage) {
        this.stage = stage;
    }

    private Stage stageOf(int epoch) {
        if (epoch < stage1Epochs) return Stage.PRETRAIN_FEATURES;
        if (epoch < stage1Epochs + stage2Epochs) return Stage.PRETRAIN_CODES;
        return Stage.FINE_TUNE;
    }

    @Override
    protected int headClasses() {
        return classes;
    }

    @Override
    protected boolean headPretrain() {
        return true;
    }

    @Override
    public void beforeEpoch(int epoch) {
        stage = stageOf(epoch);
    }

    @Override
    public float learningRateScale() {
        return stage == Stage.FINE_TUNE ? fineTuneLrScale : 1f;
    }

    /** The loss of the current stage on backbone features [n, F]. */
    @Override
    public Tensor loss(Tensor features, Labels labels, int[] indices) {
        if (stage == Stage.PRETRAIN_FEATURES) {
            if (features.rank() != 2) throw new IllegalArgumentException("ExpH: features " + features.shape() + ", expected [n, F]");
            Checks.batch(name(), features, features.dim(1), labels, false);
            return Ops.softmaxCrossEntropy(head().pretrainClassifier().forward(features), classTensor(features, labels));
        }
        Tensor z = hashOutputs(features);
        if (stage == Stage.PRETRAIN_CODES) {
            Checks.batch(name(), z, bits(), labels, false);
            observe(z);
            return Ops.softmaxCrossEntropy(head().classifier().forward(Ops.tanh(z)), classTensor(z, labels));
        }
        return lossOnOutputs(z, labels, indices);
    }

    private Tensor classTensor(Tensor like, Labels labels) {
        if (labels.isMultiHot()) {
            throw new IllegalArgumentException("ExpH: multi-hot labels given; the pre-training stages train a softmax"
                    + " classifier and need one class per example (set stage1Epochs and stage2Epochs to 0)");
        }
        if (labels.classes() != classes) {
            throw new IllegalArgumentException("ExpH: labels have " + labels.classes() + " classes, the classifiers " + classes);
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) y[i] = labels.classOf(i);
        return Tensors.fromArray(like.backend(), y, y.length);
    }

    /** The smooth exponentiated loss (b) on hash-layer outputs z [n, K]. */
    @Override
    public Tensor lossOnOutputs(Tensor z, Labels labels, int[] indices) {
        int n = Checks.batch(name(), z, bits(), labels, true);
        observe(z);
        float[] s = labels.similarity(labels);
        long similar = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j && s[i * n + j] > 0) similar++;
        long pairs = (long) n * (n - 1);
        float[] signedWeights = new float[n * n];             // s̃_ij w_ij, 0 on the diagonal
        float[] weights = new float[n * n];
        float[] signs = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                boolean sim = s[i * n + j] > 0;
                double w = !balanced ? 1.0 / pairs : sim ? 1.0 / similar : 1.0 / (pairs - similar);
                weights[i * n + j] = (float) w;
                signs[i * n + j] = sim ? 1f : -1f;
                signedWeights[i * n + j] = (float) (sim ? w : -w);
            }
        }
        return new LossOp(signs, weights, signedWeights, n, gamma).apply(z);
    }

    /** The fused loss: forward and exact gradient side by side. */
    private static final class LossOp extends Op {
        private final float[] signs;
        private final float[] weights;
        private final float[] signedWeights;
        private final int n;
        private final float gamma;
        private Tensor h;
        private Tensor e;

        LossOp(float[] signs, float[] weights, float[] signedWeights, int n, float gamma) {
            this.signs = signs;
            this.weights = weights;
            this.signedWeights = signedWeights;
            this.n = n;
            this.gamma = gamma;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor z = inputs[0];                                         // [n, K]
            int k = z.dim(1);
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                h = Ops.tanh(z).keep();
                Tensor a = Ops.matmul(h, h, false, true, 1f / k);                  // A = h hᵀ / K
                Tensor sign = Tensors.fromArray(z.backend(), signs, n, n);
                e = Ops.exp(Ops.scale(Ops.mul(a, sign), -gamma)).keep();           // e = exp(−γ s̃ ⊙ A)
                Tensor w = Tensors.fromArray(z.backend(), weights, n, n);
                return Ops.sum(Ops.mul(w, e)).keep();                               // Σ w e
            }
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                Tensor g = Ops.mul(Tensors.fromArray(h.backend(), signedWeights, n, n), e);   // s̃ w e
                float c = -gamma / h.dim(1);                                  // ∂L/∂A = −γ s̃ w e; A carries 1/K
                Tensor gradH = PairwiseLikelihood.gradientSymmetric(g, h, c);  // (G + Gᵀ) h · c
                Tensor dTanh = Ops.affine(Ops.square(h), -1f, 1f);            // 1 − h²
                return new Tensor[] {Ops.mulScalar(Ops.mul(gradH, dTanh), gradOutput).keep()};
            }
        }

        @Override
        protected void releaseSaved() {
            if (h != null) h.close();
            if (e != null) e.close();
            h = null;
            e = null;
        }
    }
}
