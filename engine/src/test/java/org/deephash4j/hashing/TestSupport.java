package org.deephash4j.hashing;


import java.util.Random;
import org.deephash4j.autograd.Graph;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Labels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/** Shared helpers of the hashing tests: the backend, random inputs, double-precision finite differences. */
final class TestSupport {
    private TestSupport() {
    }

    static Backend backend() {
        return Backends.cpu();
    }

    static double[] randn(long seed, int n, double std) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = std * r.nextGaussian();
        return x;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    /** Random single labels in [0, classes). */
    static Labels randomLabels(long seed, int n, int classes) {
        Random r = new Random(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(classes);
        return Labels.single(y, classes);
    }

    /** Random multi-hot labels, at least one label per row. */
    static Labels randomMultiHot(long seed, int n, int classes) {
        Random r = new Random(seed);
        boolean[][] rows = new boolean[n][classes];
        for (int i = 0; i < n; i++) {
            rows[i][r.nextInt(classes)] = true;
            for (int c = 0; c < classes; c++) if (r.nextDouble() < 0.2) rows[i][c] = true;
        }
        return Labels.multiHot(rows);
    }

    /** A leaf tensor holding x as [rows, cols] that requires a gradient. */
    static Tensor leaf(double[] x, int rows, int cols) {
        return Tensors.fromArray(backend(), toFloat(x), rows, cols).setRequiresGrad(true);
    }

    /** Runs backward on a scalar loss and returns the gradient of the leaf. */
    static float[] gradientOf(Tensor loss, Tensor leaf) {
        Graph.backward(loss);
        return leaf.grad().toArray();
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double logCosh(double x) {
        return Math.abs(x) + Math.log1p(Math.exp(-2 * Math.abs(x))) - Math.log(2);
    }

    static double dot(double[] a, int i, double[] b, int j, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
        return s;
    }
}
