package org.deephash4j.hashing;

import org.deephash4j.backend.Backend;
import org.deephash4j.data.Labels;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.tensor.Tensor;

/**
 * What the five methods share: a name, the code length K ({@code bits} in code), the head
 * ({@link HashHead}), a collapse detector, and the rule that turns hash-layer outputs into bits
 * (z &gt;= 0, i.e. sgn(z) with sgn(0) = +1; for DLBHC's sigmoid, σ(z) &gt;= 0.5 is the same test).
 * Each method supplies {@link #lossOnOutputs}: its loss on the hash-layer outputs z of a batch.
 */
public abstract class HashHeadMethod implements HashingMethod {
    private final String name;
    private final int bits;
    private final CollapseDetector collapse;
    private HashHead head;

    protected HashHeadMethod(String name, int bits) {
        this.name = name;
        this.bits = Checks.bits(name, bits);
        this.collapse = new CollapseDetector(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int bits() {
        return bits;
    }

    @Override
    public CollapseDetector collapseDetector() {
        return collapse;
    }

    /** Classes of the classifier in the head (DLBHC, ExpH), 0 for none. */
    protected int headClasses() {
        return 0;
    }

    /** True when the head needs ExpH's featureSize → C pre-training classifier. */
    protected boolean headPretrain() {
        return false;
    }

    @Override
    public HashHead head(Backend backend, int featureSize, long seed) {
        if (head != null) throw new IllegalStateException(name + ": the head was already built");
        head = new HashHead(backend, featureSize, bits, headClasses(), headPretrain(), seed);
        return head;
    }

    @Override
    public HashHead head() {
        if (head == null) throw new IllegalStateException(name + ": build the head first with head(backend, featureSize, seed)");
        return head;
    }

    @Override
    public Tensor hashOutputs(Tensor features) {
        return head().forward(features);
    }

    @Override
    public Tensor loss(Tensor features, Labels labels, int[] indices) {
        return lossOnOutputs(hashOutputs(features), labels, indices);
    }

    /** The method's training loss on the hash-layer outputs z [n, bits] of a batch. */
    public abstract Tensor lossOnOutputs(Tensor z, Labels labels, int[] indices);

    protected final void observe(Tensor z) {
        collapse.observe(z);
    }

    /** Packed codes of hash-layer outputs z [n, bits]: bit k of row i is z[i, k] &gt;= 0 (sgn(0) = +1). */
    public static BinaryCodes codesOf(Tensor z) {
        if (z.rank() != 2) throw new IllegalArgumentException("codes: outputs " + z.shape() + ", expected [n, bits]");
        return BinaryCodes.fromSigns(z.toArray(), z.dim(1));
    }
}
