package org.deephash4j.testing;

import java.util.function.ToDoubleFunction;

/**
 * Central finite differences in double: {@code df/dx_i ≈ (f(x + h·e_i) - f(x - h·e_i)) / (2h)}.
 * With a double oracle f and h = 1e-6 the truncation error is O(h²·f''') and the rounding error
 * O(1e-16·|f| / h), both far below the float32 tolerances the tests use.
 */
public final class FiniteDifferences {
    /** The step the tests use. */
    public static final double H = 1e-6;

    private FiniteDifferences() {
    }

    /** The gradient of f at x, one pair of evaluations per element (x is restored afterwards). */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x) {
        double[] grad = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double saved = x[i];
            x[i] = saved + H;
            double plus = f.applyAsDouble(x);
            x[i] = saved - H;
            double minus = f.applyAsDouble(x);
            x[i] = saved;
            grad[i] = (plus - minus) / (2 * H);
        }
        return grad;
    }

    /** Σ y[i] · r[i]: the scalar whose gradient is the backward pass with gradOutput = r. */
    public static double weightedSum(double[] y, float[] r) {
        double sum = 0.0;
        for (int i = 0; i < y.length; i++) sum += y[i] * r[i];
        return sum;
    }
}
