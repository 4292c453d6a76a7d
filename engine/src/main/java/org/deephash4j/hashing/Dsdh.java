package org.deephash4j.hashing;

import java.util.LinkedHashMap;
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
 * DSDH: Deep Supervised Discrete Hashing (Li, Sun, He and Tan, NIPS 2017); METHODS.md section 4.
 *
 * <p>Objective (METHODS.md 4.1; u_i = F(x_i; θ) is the raw hash-layer output, no activation):
 * <pre>
 *   J = − Σ_ij ( s_ij Θ_ij − softplus(Θ_ij) )  + μ Σ_i ‖y_i − Wᵀ b_i‖²  + ν ‖W‖²  + η Σ_i ‖b_i − u_i‖²,
 *   Θ_ij = ½ u_iᵀ u_j,   b_i ∈ {−1, +1}^K
 * </pre>
 * optimised by alternation (METHODS.md 4.2): a network step with B and W fixed, the closed-form
 * W step and the discrete cyclic coordinate descent B step ({@link DsdhSolvers}).
 *
 * <p>Network step, as the official code writes it (METHODS.md 4.3): the batch's outputs are
 * written into a memory bank U of all N training outputs, and the likelihood runs over the n×N
 * block of the batch against the detached bank. We minimise
 * <pre>
 *   L = (1/(nN)) [ 2 Σ_{i∈batch, j≤N} ℓ(½ u_iᵀU_j, s_ij) + η Σ_{i∈batch} ‖u_i − b_i‖² ],   ℓ(θ, s) = softplus(θ) − sθ
 *   ∂L/∂u_i = (1/(nN)) [ Σ_j (σ(Θ_ij) − s_ij) U_j + 2η (u_i − b_i) ]
 * </pre>
 * which is the official gradient −dJ/dU0 scaled by 1/(nN) (the official code scales by
 * 1/(128 N) after the fact). The factor 2 restores the paper's gradient Σ_j (a_ij − s_ij) u_j:
 * with the bank detached, each pair is seen once instead of in both roles (METHODS.md 4.6,
 * "factor-2 trap"). Because the normalisation is the official sum form divided by nN, η keeps
 * the meaning it has in the official code. The μ and ν terms do not depend on the network and are left out.
 *
 * <p>Discrete steps, two schedules (option {@link Schedule}):
 * <ul>
 *   <li>{@link Schedule#PER_BATCH} (the official MATLAB code): before each network
 *       step, on the batch only: B_b = sgn(U_b), W = (B_bᵀB_b + (ν/μ)I)⁻¹B_bᵀY_b, then up to
 *       {@code dccSweeps} DCC sweeps from B_b. The official code starts DCC from B_b = 0; we start
 *       from sgn(U_b), which keeps B in {−1, +1} and makes every update provably non-increasing
 *       (ours).</li>
 *   <li>{@link Schedule#PER_EPOCH} (default; the paper's reading): B [N, K] and the bank are
 *       kept per training example; at the start of every epoch after the first, W and then B are
 *       solved over the whole training set from the bank, the first time from B = sgn(U). The
 *       first epoch trains the likelihood alone (B does not exist yet), so the η term only ever
 *       pulls u towards codes solved from a filled bank.</li>
 * </ul>
 * Why PER_EPOCH is the default: the official code fine-tunes an ImageNet-pretrained CNN-F whose
 * features already separate the classes. Trained from scratch, the first batches' outputs share
 * one sign pattern, so sgn(U_b) and the DCC step (dominated by η U) return one code for the whole
 * batch and the η term pulls every output to it: trained from scratch, PER_BATCH collapses to one
 * code at Adam 1e-3 and 1e-4, and Adam 1e-3 collapses PER_EPOCH as well, hence
 * {@link #defaultLearningRate()} = 1e-4, the PyTorch reference's rate.
 * Codes for new images: sgn(u). Constants: μ = 1, ν = 0.1, DCC ≤ 10 sweeps (official code) and
 * η = {@link #DEFAULT_ETA} = 110, twice the official 55. Trained from scratch, the η term is what
 * carries the labels (through W and B) into the network, and 110 beat 55 on the reproduction
 * protocol; it is also the balance of the PyTorch reference's network step, which drops the factor
 * 2 (its B step uses η = 55). The figures behind each choice, with dates and commands, are in the
 * project README ("Choices and what measured them"). The B step's η and sweeps can be set apart
 * from the network step's ({@link Builder#codeEta}, {@link Builder#dccSweeps}, the settings
 * {@link #CODE_ETA_SETTING} and {@link #SWEEPS_SETTING}): the peer {@code hash_ref.py} runs its B
 * step at η = 55 with 3 sweeps.
 * The discrete steps copy the batch's (or the bank's) outputs to the host: they are small
 * dense procedures on codes, not network math.
 */
public final class Dsdh extends HashHeadMethod {
    public static final float DEFAULT_MU = 1f;
    public static final float DEFAULT_NU = 0.1f;
    public static final float DEFAULT_ETA = 110f;
    public static final int DEFAULT_DCC_SWEEPS = 10;
    /** The checkpoint's names for the B step's η and its most DCC sweeps ({@link #settings()}). */
    public static final String CODE_ETA_SETTING = "dsdh.code_eta", SWEEPS_SETTING = "dsdh.dcc_sweeps";

    /** When the W and B steps run. */
    public enum Schedule { PER_BATCH, PER_EPOCH }

    private final float mu;
    private final float nu;
    private final float eta;
    private final float codeEta;              // η of the B step (the network step's η unless set apart)
    private final int dccSweeps;
    private final Schedule schedule;
    private final Labels trainingLabels;
    private final float[] trainingY;          // [N, C] on the host
    private final float[] codes;              // B [N, K] (PER_EPOCH), ±1
    private boolean codesSolved;              // PER_EPOCH: a B step has run
    private Tensor bank;                      // U [N, K] on the device
    private double[] w;                       // W [K, C] of the last W step

    private Dsdh(Builder b) {
        super("DSDH", b.bits);
        if (b.trainingLabels == null) {
            throw new IllegalArgumentException("DSDH: labels of the training set are missing; DSDH is supervised and keeps"
                    + " per-example state (pass trainingLabels)");
        }
        this.mu = Checks.positive(name(), "mu", b.mu);
        this.nu = Checks.positive(name(), "nu", b.nu);
        this.eta = Checks.nonNegative(name(), "eta", b.eta);
        this.codeEta = b.codeEta == null ? eta : Checks.nonNegative(name(), "codeEta", b.codeEta);
        if (b.dccSweeps < 1) throw new IllegalArgumentException("DSDH: dccSweeps = " + b.dccSweeps + ", expected >= 1");
        this.dccSweeps = b.dccSweeps;
        this.schedule = b.schedule;
        this.trainingLabels = b.trainingLabels;
        this.trainingY = trainingLabels.toMatrix();
        int n = trainingLabels.size();
        this.codes = new float[n * bits()];
        java.util.Arrays.fill(codes, 1f);
    }

    /** DSDH with μ = 1, ν = 0.1, ≤ 10 DCC sweeps (official), η = 110 (2 × official) and per-epoch steps. */
    public static Dsdh create(int bits, Labels trainingLabels) {
        return builder(bits, trainingLabels).build();
    }

    public static Builder builder(int bits, Labels trainingLabels) {
        return new Builder(Checks.bits("DSDH", bits), trainingLabels);
    }

    /** DSDH's named parameters with the official code's values as defaults. */
    public static final class Builder {
        private final int bits;
        private final Labels trainingLabels;
        private double mu = DEFAULT_MU;
        private double nu = DEFAULT_NU;
        private double eta = DEFAULT_ETA;
        private Double codeEta;
        private int dccSweeps = DEFAULT_DCC_SWEEPS;
        private Schedule schedule = Schedule.PER_EPOCH;

        private Builder(int bits, Labels trainingLabels) {
            this.bits = bits;
            this.trainingLabels = trainingLabels;
        }

        /** μ, weight of the classification term, default 1. */
        public Builder mu(double mu) { this.mu = mu; return this; }
        /** ν, ridge weight on W, default 0.1. */
        public Builder nu(double nu) { this.nu = nu; return this; }
        /** η, weight of ‖b − u‖², default 110 (twice the official main.m's 55; see the class note). */
        public Builder eta(double eta) { this.eta = eta; return this; }
        /** η of the B step alone, default: {@link #eta}. The network step keeps {@link #eta}. */
        public Builder codeEta(double codeEta) { this.codeEta = codeEta; return this; }
        /** Maximum DCC sweeps per B step, default 10 (stops early when no bit changes). */
        public Builder dccSweeps(int sweeps) { this.dccSweeps = sweeps; return this; }
        /** PER_EPOCH (default, paper) or PER_BATCH (official code). */
        public Builder schedule(Schedule schedule) { this.schedule = schedule; return this; }

        public Dsdh build() {
            return new Dsdh(this);
        }
    }

    /** Adam 1e-4: at 1e-3 DSDH collapses to one code when the network is trained from scratch (see the class note). */
    @Override
    public float defaultLearningRate() {
        return 1e-4f;
    }

    public Schedule schedule() {
        return schedule;
    }

    /** The B step's η and most sweeps, as a checkpoint keeps them (the network step's η is fixed at build). */
    @Override
    public Map<String, String> settings() {
        return Map.of(CODE_ETA_SETTING, Float.toString(codeEta), SWEEPS_SETTING, Integer.toString(dccSweeps));
    }

    /** W [K, C] of the last W step (row-major), or null before the first. */
    public double[] w() {
        return w == null ? null : w.clone();
    }

    /** B [N, K] kept per training example (PER_EPOCH), row-major ±1; all +1 before the first B step. */
    public float[] trainingCodes() {
        return codes.clone();
    }

    /** Builds the head and allocates the bank U [N, K] on its backend (outside the training steps' scopes). */
    @Override
    public HashHead head(Backend backend, int featureSize, long seed) {
        HashHead head = super.head(backend, featureSize, seed);
        bank = Tensors.zeros(backend, trainingLabels.size(), bits()).keep();
        return head;
    }

    /** The bank U [N, K] and, once a B step has run, the codes B [N, K]: what a resumed run needs. */
    @Override
    public Map<String, float[]> trainingState() {
        Map<String, float[]> state = new LinkedHashMap<>();
        if (bank != null) state.put("bank", bank.toArray());
        if (codesSolved) state.put("codes", codes.clone());
        return state;
    }

    /** Puts back the bank and, when present, the codes (then the next epoch goes on from them instead of sgn(U)). */
    @Override
    public void restoreTrainingState(Map<String, float[]> state) {
        int n = trainingLabels.size();
        float[] u = Checks.stateArray(name(), state, "bank", n, bits(), true);
        float[] b = Checks.stateArray(name(), state, "codes", n, bits(), false);
        if (bank == null) throw new IllegalStateException("DSDH: build the head before restoring its training state");
        bank.backend().copyIn(bank.storage(), 0, u, 0, u.length);
        if (b != null) {
            for (int i = 0; i < b.length; i++) {
                if (b[i] != 1f && b[i] != -1f) {
                    throw new IllegalArgumentException("DSDH: training state 'codes' holds " + b[i] + " at " + i + ", expected ±1");
                }
            }
            System.arraycopy(b, 0, codes, 0, b.length);
        }
        codesSolved = b != null;
    }

    /** PER_EPOCH: before every epoch after the first, the W step and the B step over the whole training set. */
    @Override
    public void beforeEpoch(int epoch) {
        if (schedule != Schedule.PER_EPOCH || bank == null || epoch == 0) return;
        int n = trainingLabels.size();
        int c = trainingLabels.classes();
        float[] u = bank.toArray();
        if (!codesSolved) {
            for (int i = 0; i < u.length; i++) codes[i] = u[i] >= 0 ? 1f : -1f;   // B⁰ = sgn(U)
        }
        w = DsdhSolvers.solveW(codes, trainingY, n, bits(), c, nu / mu);
        DsdhSolvers.updateB(codes, u, trainingY, w, n, bits(), c, codeEta / mu, dccSweeps);
        codesSolved = true;
    }

    /** L on the hash-layer outputs u [n, K] of the training examples {@code indices}. */
    @Override
    public Tensor lossOnOutputs(Tensor u, Labels labels, int[] indices) {
        int n = Checks.batch(name(), u, bits(), labels, true);
        int bigN = trainingLabels.size();
        Checks.indices(name(), indices, n, bigN);
        observe(u);
        int k = bits();
        if (bank == null) bank = Tensors.zeros(u.backend(), bigN, k).keep();
        if (bank.isClosed()) {
            throw new IllegalStateException("DSDH: the bank of training outputs was released (it was created inside a"
                    + " TensorScope that has closed); build the head outside the training steps' scopes");
        }
        float[] batchCodes = new float[n * k];
        float etaNow = eta;
        if (schedule == Schedule.PER_BATCH) {
            float[] host = u.toArray();
            for (int i = 0; i < host.length; i++) batchCodes[i] = host[i] >= 0 ? 1f : -1f;
            float[] y = labels.toMatrix();
            int c = labels.classes();
            w = DsdhSolvers.solveW(batchCodes, y, n, k, c, nu / mu);
            DsdhSolvers.updateB(batchCodes, host, y, w, n, k, c, codeEta / mu, dccSweeps);
        } else if (codesSolved) {
            for (int i = 0; i < n; i++) System.arraycopy(codes, indices[i] * k, batchCodes, i * k, k);
        } else {
            etaNow = 0f;                       // first epoch: no B yet, the likelihood alone
        }
        return new LossOp(labels.similarity(trainingLabels), batchCodes, bank, indices, etaNow).apply(u);
    }

    /** The fused network-step loss: forward and exact gradient side by side. */
    private static final class LossOp extends Op {
        private final float[] similarity;
        private final float[] batchCodes;
        private final Tensor bank;
        private final int[] indices;
        private final float eta;
        private Tensor g;
        private Tensor diff;
        private float norm;

        LossOp(float[] similarity, float[] batchCodes, Tensor bank, int[] indices, float eta) {
            this.similarity = similarity;
            this.batchCodes = batchCodes;
            this.bank = bank;
            this.indices = indices;
            this.eta = eta;
        }

        @Override
        protected Tensor forward(Tensor... inputs) {
            Tensor u = inputs[0];                                             // [n, K]
            int n = u.dim(0);
            int k = u.dim(1);
            int bigN = bank.dim(0);
            for (int i = 0; i < n; i++) {                                     // U[idx_i] ← u_i (detached), before the loss
                u.backend().copy(bank.storage(), (long) indices[i] * k, u.storage(), (long) i * k, k);
            }
            norm = 1f / ((float) n * bigN);
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                Tensor s = Tensors.fromArray(u.backend(), similarity, n, bigN);
                Tensor w = Tensors.full(u.backend(), 2f * norm, n, bigN);
                PairwiseLikelihood pair = PairwiseLikelihood.evaluate(u, bank, s, w, 0.5f);
                g = pair.g.keep();
                diff = Ops.sub(u, Tensors.fromArray(u.backend(), batchCodes, n, k)).keep();   // u − b
                Tensor q = Ops.sum(Ops.square(diff));                                      // ‖u − b‖²
                return Ops.add(Ops.scale(q, eta * norm), pair.value).keep();
            }
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            try (NoGrad ignored = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
                Tensor gradU = Ops.matmul(g, bank, false, false, 0.5f);   // ½ G U_bank, G = (2/(nN)) (σ(Θ) − S)
                gradU.backend().axpy(gradU.storage(), 2f * eta * norm, diff.storage(), diff.size());
                return new Tensor[] {Ops.mulScalar(gradU, gradOutput).keep()};
            }
        }

        @Override
        protected void releaseSaved() {
            if (g != null) g.close();
            if (diff != null) diff.close();
            g = null;
            diff = null;
        }
    }
}
