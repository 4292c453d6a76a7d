package org.deephash4j.nn;

import java.util.Random;
import org.deephash4j.tensor.Tensor;

/**
 * Seeded initialisers that overwrite a tensor in place. Values are drawn on the host with
 * {@link java.util.Random} (a fixed algorithm) and copied in, so a seed gives the same
 * weights on every backend.
 *
 * <p>For a weight [out, in, k...] the fan-in is in · Πk and the fan-out out · Πk; a vector [n]
 * has fan-in and fan-out n.
 * <ul>
 *   <li>Kaiming (He et al. 2015), for ReLU networks: normal with std = √(2 / fanIn), or uniform on
 *       ±√(6 / fanIn).</li>
 *   <li>Xavier (Glorot and Bengio 2010): normal with std = √(2 / (fanIn + fanOut)), or uniform on
 *       ±√(6 / (fanIn + fanOut)).</li>
 * </ul>
 */
public final class Init {
    private Init() {
    }

    public static int fanIn(Tensor t) {
        return t.rank() <= 1 ? (int) t.size() : (int) (t.size() / t.dim(0));
    }

    public static int fanOut(Tensor t) {
        return t.rank() <= 1 ? (int) t.size() : (int) (t.size() / t.dim(1));
    }

    public static Tensor kaimingNormal(Tensor t, long seed) {
        return normal(t, 0f, (float) Math.sqrt(2.0 / fanIn(t)), seed);
    }

    /**
     * Normal with std = √(2 / fanOut): PyTorch's {@code kaiming_normal_(mode="fan_out",
     * nonlinearity="relu")}, which torchvision's ResNets use for every convolution.
     */
    public static Tensor kaimingNormalFanOut(Tensor t, long seed) {
        return normal(t, 0f, (float) Math.sqrt(2.0 / fanOut(t)), seed);
    }

    public static Tensor kaimingUniform(Tensor t, long seed) {
        float bound = (float) Math.sqrt(6.0 / fanIn(t));
        return uniform(t, -bound, bound, seed);
    }

    public static Tensor xavierNormal(Tensor t, long seed) {
        return normal(t, 0f, (float) Math.sqrt(2.0 / (fanIn(t) + fanOut(t))), seed);
    }

    public static Tensor xavierUniform(Tensor t, long seed) {
        float bound = (float) Math.sqrt(6.0 / (fanIn(t) + fanOut(t)));
        return uniform(t, -bound, bound, seed);
    }

    /** Every element = value. */
    public static Tensor constant(Tensor t, float value) {
        t.backend().fill(t.storage(), value, t.size());
        return t;
    }

    /** Normal(mean, std) draws. */
    public static Tensor normal(Tensor t, float mean, float std, long seed) {
        if (!(std >= 0f)) throw new IllegalArgumentException("init normal: std = " + std + " must be >= 0");
        Random random = new Random(seed);
        float[] values = new float[checkedSize(t)];
        for (int i = 0; i < values.length; i++) values[i] = mean + std * (float) random.nextGaussian();
        t.backend().copyIn(t.storage(), 0, values, 0, values.length);
        return t;
    }

    /** Uniform [low, high) draws. */
    public static Tensor uniform(Tensor t, float low, float high, long seed) {
        if (!(high >= low)) throw new IllegalArgumentException("init uniform: [" + low + ", " + high + ") is empty");
        Random random = new Random(seed);
        float[] values = new float[checkedSize(t)];
        for (int i = 0; i < values.length; i++) values[i] = low + (high - low) * random.nextFloat();
        t.backend().copyIn(t.storage(), 0, values, 0, values.length);
        return t;
    }

    private static int checkedSize(Tensor t) {
        if (t.size() > Integer.MAX_VALUE) throw new IllegalArgumentException("init: tensor " + t.shape() + " is too large");
        return (int) t.size();
    }
}
