package org.deephash4j.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.deephash4j.backend.Backend;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;

/**
 * Finite-difference gradient check (STYLE.md §6) of an engine computation against an
 * independent double-precision oracle written in the test.
 *
 * <p>Given inputs x_0..x_k, the engine function y = f(x) and the oracle y = g(x) in double:
 * <ol>
 *   <li>the engine forward must match the oracle: |y - g(x)| ≤ atol + rtol·|g(x)| element-wise;</li>
 *   <li>with seeded random weights r (uniform in [-1, 1)), the engine's backward of
 *       L = Σ_j r_j · y_j (Graph.backward(y, r)) gives dL/dx_i in float32;</li>
 *   <li>the oracle gives the same derivative by central differences in double,
 *       (G(x + h·d) - G(x - h·d)) / 2h with G = Σ_j r_j · g_j and h = 1e-6, along each unit
 *       coordinate d of inputs up to {@link #MAX_COORDINATES} elements, and along
 *       {@link #DIRECTIONS} seeded random unit directions (plus as many random coordinates) of
 *       larger inputs; they must agree within atol + rtol·|numeric|.</li>
 * </ol>
 * A mismatch throws an {@link AssertionError} naming the check, the input, the coordinate or
 * direction, both values and the seed. Default tolerances: atol = 1e-4, rtol = 1e-3.
 *
 * <pre>{@code
 * GradientCheck.named("relu").input(x, 3, 5).engine(in -> Ops.relu(in[0]))
 *         .oracle(v -> relu(v[0])).run(backend);
 * }</pre>
 */
public final class GradientCheck {
    public static final double H = 1e-6;
    public static final int MAX_COORDINATES = 400;
    public static final int DIRECTIONS = 6;

    private final String name;
    private final List<float[]> values = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final List<Tensor> existing = new ArrayList<>();   // null for inputs this check creates
    private final List<Boolean> differentiable = new ArrayList<>();
    private Function<Tensor[], Tensor> engine;
    private Function<double[][], double[]> oracle;
    private double atol = 1e-4;
    private double rtol = 1e-3;
    private long seed = 42;

    private GradientCheck(String name) {
        this.name = name;
    }

    public static GradientCheck named(String name) {
        return new GradientCheck(name);
    }

    /** A differentiable input created by the check from these values. */
    public GradientCheck input(float[] v, int... dims) {
        return add(v, dims, null, true);
    }

    /** An existing leaf (a layer's parameter): its values are read, its gradient reset and checked. */
    public GradientCheck input(Tensor leaf) {
        return add(leaf.toArray(), leaf.shape().dims(), leaf, true);
    }

    /** An input that gets no gradient (labels): passed to both functions, never perturbed. */
    public GradientCheck constant(float[] v, int... dims) {
        return add(v, dims, null, false);
    }

    private GradientCheck add(float[] v, int[] dims, Tensor leaf, boolean diff) {
        values.add(v.clone());
        shapes.add(dims.clone());
        existing.add(leaf);
        differentiable.add(diff);
        return this;
    }

    public GradientCheck engine(Function<Tensor[], Tensor> f) {
        this.engine = f;
        return this;
    }

    public GradientCheck oracle(Function<double[][], double[]> g) {
        this.oracle = g;
        return this;
    }

    public GradientCheck tolerance(double absolute, double relative) {
        this.atol = absolute;
        this.rtol = relative;
        return this;
    }

    public GradientCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /** Runs the check; throws AssertionError on the first disagreement. */
    public void run(Backend backend) {
        int k = values.size();
        double[][] x = new double[k][];
        for (int i = 0; i < k; i++) x[i] = toDouble(values.get(i));
        double[] expected = oracle.apply(x);
        Random random = new Random(seed);
        try (TensorScope scope = TensorScope.open()) {
            Tensor[] in = new Tensor[k];
            for (int i = 0; i < k; i++) {
                Tensor leaf = existing.get(i);
                if (leaf == null) {
                    in[i] = Tensors.fromArray(backend, values.get(i), shapes.get(i));
                    in[i].setRequiresGrad(differentiable.get(i));
                } else {
                    in[i] = leaf;
                    if (leaf.grad() != null) {
                        leaf.grad().close();
                        leaf.setGrad(null);
                    }
                }
            }
            Tensor y = engine.apply(in);
            float[] actual = y.toArray();
            if (actual.length != expected.length) {
                throw new AssertionError(name + ": engine output " + y.shape() + " has " + actual.length
                        + " elements but the oracle gives " + expected.length);
            }
            for (int j = 0; j < actual.length; j++) {
                if (!(Math.abs(actual[j] - expected[j]) <= atol + rtol * Math.abs(expected[j]))) {
                    throw new AssertionError(name + ": forward y[" + j + "] = " + actual[j] + " but the oracle gives "
                            + expected[j] + " (seed " + seed + ")");
                }
            }
            double[] r = new double[actual.length];
            float[] rf = new float[actual.length];
            for (int j = 0; j < r.length; j++) {
                rf[j] = 2f * random.nextFloat() - 1f;
                r[j] = rf[j];
            }
            Graph.backward(y, Tensors.fromArray(backend, rf, y.shape().dims()));
            for (int i = 0; i < k; i++) {
                if (!differentiable.get(i)) continue;
                if (in[i].grad() == null) {
                    throw new AssertionError(name + ": input " + i + " " + Arrays.toString(shapes.get(i))
                            + " received no gradient");
                }
                checkInput(i, in[i].grad().toArray(), x, r, random);
            }
        }
    }

    private void checkInput(int i, float[] analytic, double[][] x, double[] r, Random random) {
        int n = analytic.length;
        if (n <= MAX_COORDINATES) {
            for (int c = 0; c < n; c++) checkCoordinate(i, c, analytic, x, r);
            return;
        }
        for (int t = 0; t < DIRECTIONS; t++) checkCoordinate(i, random.nextInt(n), analytic, x, r);
        for (int t = 0; t < DIRECTIONS; t++) {
            double[] d = new double[n];
            double norm = 0;
            for (int c = 0; c < n; c++) {
                d[c] = random.nextGaussian();
                norm += d[c] * d[c];
            }
            norm = Math.sqrt(norm);
            double dot = 0;
            for (int c = 0; c < n; c++) {
                d[c] /= norm;
                dot += d[c] * analytic[c];
            }
            double numeric = directional(i, d, x, r);
            if (!(Math.abs(dot - numeric) <= atol + rtol * Math.abs(numeric))) {
                throw new AssertionError(name + ": gradient of input " + i + " " + Arrays.toString(shapes.get(i))
                        + " along random direction " + t + " is " + dot + " but central differences give " + numeric
                        + " (atol " + atol + ", rtol " + rtol + ", seed " + seed + ")");
            }
        }
    }

    private void checkCoordinate(int i, int c, float[] analytic, double[][] x, double[] r) {
        double[] d = new double[analytic.length];
        d[c] = 1;
        double numeric = directional(i, d, x, r);
        if (!(Math.abs(analytic[c] - numeric) <= atol + rtol * Math.abs(numeric))) {
            throw new AssertionError(name + ": d/d input " + i + " " + Arrays.toString(shapes.get(i)) + "[" + c + "] is "
                    + analytic[c] + " but central differences give " + numeric
                    + " (atol " + atol + ", rtol " + rtol + ", seed " + seed + ")");
        }
    }

    /** (G(x + h·d) - G(x - h·d)) / 2h, perturbing input i only. */
    private double directional(int i, double[] d, double[][] x, double[] r) {
        double[] original = x[i];
        double[] plus = original.clone();
        double[] minus = original.clone();
        for (int c = 0; c < d.length; c++) {
            plus[c] += H * d[c];
            minus[c] -= H * d[c];
        }
        x[i] = plus;
        double gPlus = weighted(oracle.apply(x), r);
        x[i] = minus;
        double gMinus = weighted(oracle.apply(x), r);
        x[i] = original;
        return (gPlus - gMinus) / (2 * H);
    }

    private static double weighted(double[] y, double[] r) {
        double s = 0;
        for (int j = 0; j < y.length; j++) s += y[j] * r[j];
        return s;
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
