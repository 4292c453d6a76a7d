package org.deephash4j.zoo;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.tensor.Tensor;

/**
 * Values both sides of the torchvision parity check compute from a formula, so no weights need
 * to be stored: {@code bench/peers/torchvision_parity.py} has the same functions, line for line.
 * <pre>
 *   seed(name)    = FNV-1a 64 of the UTF-8 name
 *   unit(name, i) = 2 · CounterRandom.uniform-style 24-bit fraction of CounterRandom.bits(seed(name), i) − 1, in [−1, 1)
 *   value         = (float) (offset + scale · unit(name, i)), in double
 * </pre>
 * with (offset, scale) by tensor: convolution and linear weights (0, √(6 / fan-in)), batch-norm
 * weights (1, 0.25), biases (0, 0.1), running means (0, 0.1), running variances (1, 0.5),
 * num_batches_tracked 0.
 */
final class FormulaWeights {
    private FormulaWeights() {
    }

    static long nameSeed(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** 2 · ((bits &gt;&gt;&gt; 40) · 2^-24) − 1: exact in double and in float. */
    static double unit(long seed, long i) {
        return 2.0 * ((CounterRandom.bits(seed, i) >>> 40) * 0x1.0p-24) - 1.0;
    }

    static float[] values(String name, long n, double offset, double scale) {
        long seed = nameSeed(name);
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (offset + scale * unit(seed, i));
        return v;
    }

    /** Fills every tensor of a state (name to tensor, as Module.stateByName gives it) by the formula. */
    static void load(Map<String, Tensor> state) {
        state.forEach((name, t) -> {
            float[] v;
            if (name.endsWith("num_batches_tracked")) {
                v = new float[(int) t.size()];
            } else if (name.endsWith("running_mean")) {
                v = values(name, t.size(), 0.0, 0.1);
            } else if (name.endsWith("running_var")) {
                v = values(name, t.size(), 1.0, 0.5);
            } else if (t.rank() >= 2) {
                v = values(name, t.size(), 0.0, Math.sqrt(6.0 / (t.size() / t.dim(0))));
            } else if (name.endsWith("weight")) {
                v = values(name, t.size(), 1.0, 0.25);
            } else {
                v = values(name, t.size(), 0.0, 0.1);
            }
            t.backend().copyIn(t.storage(), 0, v, 0, v.length);
        });
    }

    /**
     * [Σ v², v at 8 positions], positions CounterRandom.bits(seed("sample." + name), j) mod size
     * (Long.remainderUnsigned: the Python side's Python integers are unsigned).
     */
    static double[] summary(String name, float[] v, int samples) {
        double[] out = new double[samples + 1];
        for (float x : v) out[0] += (double) x * x;
        long seed = nameSeed("sample." + name);
        for (int j = 0; j < samples; j++) {
            out[j + 1] = v[(int) Long.remainderUnsigned(CounterRandom.bits(seed, j), v.length)];
        }
        return out;
    }
}
