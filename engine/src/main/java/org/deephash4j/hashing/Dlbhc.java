package org.deephash4j.hashing;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Labels;
import org.deephash4j.nn.Init;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * DLBHC: Deep Learning of Binary Hash Codes (Lin, Yang, Hsiao and Chen, CVPR Workshops 2015);
 * METHODS.md section 1.
 *
 * <p>A pointwise method: a latent layer H of K sigmoid units sits between the feature layer F7
 * (the backbone output) and the classifier F8, and the network is trained by ordinary softmax
 * cross-entropy (METHODS.md 1.2):
 * <pre>
 *   a_i = W_H f7_i + b_H,   h_i = σ(a_i),   o_i = W_8 h_i + b_8,   L = −(1/n) Σ_i log softmax(o_i)[y_i]
 * </pre>
 * There is no hashing-specific term. Bits: h ≥ 0.5 (paper), i.e. a ≥ 0, the same rule as
 * every other method here ({@link #hashOutputs} returns a). Retrieval is coarse-to-fine
 * (METHODS.md 1.4): candidates within a Hamming radius, re-ranked by Euclidean distance on F7,
 * which {@link #rerankFeatures} exposes (the backbone output, unchanged); the search itself
 * lives in the search package.
 *
 * <p>Constants: the reference prototxt initialises b_H to 1.0, so σ(a) ≈ 0.73 and most bits
 * start "on" (METHODS.md 1.6); from scratch we default to 0 ({@link #DEFAULT_LATENT_BIAS_INIT},
 * ours) and the paper's 1.0 is a constructor argument. Weights start as PyTorch's
 * {@code nn.Linear} (the paper's N(0, 0.005²) assumes an ImageNet-pretrained F7). Labels must
 * be single class indices (the classifier is a softmax).
 */
public final class Dlbhc extends HashHeadMethod {
    /** Initial bias of the latent layer H: 0 (ours); the reference code uses 1.0. */
    public static final float DEFAULT_LATENT_BIAS_INIT = 0f;

    private final int classes;
    private final float latentBiasInit;

    /** DLBHC for {@code classes} classes with b_H starting at 0. */
    public Dlbhc(int bits, int classes) {
        this(bits, classes, DEFAULT_LATENT_BIAS_INIT);
    }

    /**
     * @param bits K, the number of latent sigmoid units
     * @param classes C, the classifier's outputs
     * @param latentBiasInit the initial bias of H (the paper's code: 1.0)
     */
    public Dlbhc(int bits, int classes, double latentBiasInit) {
        super("DLBHC", bits);
        if (classes < 2) throw new IllegalArgumentException("DLBHC: classes = " + classes + ", expected >= 2");
        if (!Double.isFinite(latentBiasInit)) throw new IllegalArgumentException("DLBHC: latentBiasInit = " + latentBiasInit);
        this.classes = classes;
        this.latentBiasInit = (float) latentBiasInit;
    }

    @Override
    protected int headClasses() {
        return classes;
    }

    @Override
    public HashHead head(Backend backend, int featureSize, long seed) {
        HashHead head = super.head(backend, featureSize, seed);
        Init.constant(head.hashLayer().bias().tensor(), latentBiasInit);
        return head;
    }

    /** F7: the backbone features themselves. */
    @Override
    public Tensor rerankFeatures(Tensor features) {
        return features;
    }

    /** Softmax cross-entropy of F8(σ(a)) for the latent pre-activations a [n, K]; labels are class indices. */
    @Override
    public Tensor lossOnOutputs(Tensor a, Labels labels, int[] indices) {
        int n = Checks.batch(name(), a, bits(), labels, false);
        if (labels.isMultiHot()) {
            throw new IllegalArgumentException("DLBHC: multi-hot labels given; DLBHC trains a softmax classifier and needs one class per example");
        }
        if (labels.classes() != classes) {
            throw new IllegalArgumentException("DLBHC: labels have " + labels.classes() + " classes, the classifier " + classes);
        }
        observe(a);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = labels.classOf(i);
        Tensor logits = head().classifier().forward(Ops.sigmoid(a));          // F8(h), h = σ(a)
        return Ops.softmaxCrossEntropy(logits, Tensors.fromArray(a.backend(), y, n));
    }
}
