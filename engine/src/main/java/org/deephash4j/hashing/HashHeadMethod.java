package org.deephash4j.hashing;

import org.deephash4j.tensor.Tensor;

/**
 * What the methods share: a name, the code length K ({@code bits} in code), a collapse
 * detector, and the rule that turns hash-layer outputs into bits (z &gt;= 0, i.e. sgn(z) with
 * sgn(0) = +1; for DLBHC's sigmoid, σ(z) &gt;= 0.5 is the same test).
 */
public abstract class HashHeadMethod {
    private final String name;
    private final int bits;
    private final CollapseDetector collapse;

    protected HashHeadMethod(String name, int bits) {
        this.name = name;
        this.bits = Checks.bits(name, bits);
        this.collapse = new CollapseDetector(name);
    }

    public String name() {
        return name;
    }

    public int bits() {
        return bits;
    }

    /** The collapse detector this method feeds with every training batch's outputs. */
    public CollapseDetector collapseDetector() {
        return collapse;
    }

    /** The method's training loss on the hash-layer outputs z [n, bits] of a batch. */
    public abstract Tensor lossOnOutputs(Tensor z, Labels labels, int[] indices);

    protected final void observe(Tensor z) {
        collapse.observe(z);
    }

    /** Bits of each row of z [n, bits]: bit k of row i is z[i, k] &gt;= 0. */
    public static boolean[][] bitsOf(Tensor z) {
        int n = z.dim(0);
        int k = z.dim(1);
        float[] v = z.toArray();
        boolean[][] out = new boolean[n][k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) out[i][j] = v[i * k + j] >= 0;
        return out;
    }
}
