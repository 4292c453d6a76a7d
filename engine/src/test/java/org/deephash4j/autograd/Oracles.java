package org.deephash4j.autograd;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * Double-precision forward computations written from the formulas, independent of the engine:
 * the oracles the gradient checks differentiate numerically. Layouts are row-major, images
 * [N, C, H, W], conv weights [outC, inC, kH, kW], as in the engine.
 */
public final class Oracles {
    private Oracles() {
    }

    /** C [m, n] = op(A) · op(B), A stored [m, k] (or [k, m] when transA), B [k, n] (or [n, k]). */
    public static double[] matmul(double[] a, double[] b, int m, int n, int k, boolean transA, boolean transB) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** y = x · Wᵀ + b for x [n, in], W [out, in], b [out] or null. */
    public static double[] linear(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = matmul(x, w, n, out, in, false, true);
        if (b != null) {
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) y[i * out + o] += b[o];
            }
        }
        return y;
    }

    public static int outSize(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    /** Cross-correlation with zero padding; b may be null. */
    public static double[] conv2d(double[] x, double[] w, double[] b, int n, int c, int h, int wd,
                           int oc, int kh, int kw, int stride, int padding) {
        int oh = outSize(h, kh, stride, padding);
        int ow = outSize(wd, kw, stride, padding);
        double[] y = new double[n * oc * oh * ow];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < oc; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = b == null ? 0 : b[o];
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int row = i * stride + u - padding;
                                    int col = j * stride + v - padding;
                                    if (row < 0 || row >= h || col < 0 || col >= wd) continue;
                                    acc += w[((o * c + ch) * kh + u) * kw + v] * x[((s * c + ch) * h + row) * wd + col];
                                }
                            }
                        }
                        y[((s * oc + o) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** Max (or mean over the full window, padding as zeros) of each window; max ignores padding. */
    public static double[] pool2d(boolean max, double[] x, int n, int c, int h, int wd, int kh, int kw, int stride, int padding) {
        int oh = outSize(h, kh, stride, padding);
        int ow = outSize(wd, kw, stride, padding);
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double best = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    for (int u = 0; u < kh; u++) {
                        for (int v = 0; v < kw; v++) {
                            int row = i * stride + u - padding;
                            int col = j * stride + v - padding;
                            if (row < 0 || row >= h || col < 0 || col >= wd) continue;
                            double value = x[(p * h + row) * wd + col];
                            best = Math.max(best, value);
                            sum += value;
                        }
                    }
                    y[(p * oh + i) * ow + j] = max ? best : sum / (kh * kw);
                }
            }
        }
        return y;
    }

    public static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = f.applyAsDouble(x[i]);
        return y;
    }

    /** Σ over the middle index of x viewed as [before, length, after]. */
    public static double[] sum(double[] x, int before, int length, int after) {
        double[] y = new double[before * after];
        for (int b = 0; b < before; b++) {
            for (int m = 0; m < length; m++) {
                for (int a = 0; a < after; a++) y[b * after + a] += x[(b * length + m) * after + a];
            }
        }
        return y;
    }

    /** -(1/n) Σ_i ln softmax(z_i)[y_i], by the literal formula with a max shift. */
    public static double softmaxCrossEntropy(double[] z, double[] labels, int n, int classes) {
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) max = Math.max(max, z[i * classes + c]);
            double s = 0;
            for (int c = 0; c < classes; c++) s += Math.exp(z[i * classes + c] - max);
            loss -= z[i * classes + (int) labels[i]] - max - Math.log(s);
        }
        return loss / n;
    }

    /**
     * Batch normalisation of x [n, c, spatial] per channel: y = (x - mean) / sqrt(var + eps) · w + b.
     * With mean and var null they are the batch's (var biased, over n · spatial values), else the given ones.
     */
    public static double[] batchNorm(double[] x, double[] w, double[] b, double[] mean, double[] var, double eps,
                                     int n, int c, int spatial) {
        double[] y = new double[x.length];
        int count = n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double m;
            double v;
            if (mean == null) {
                double s = 0;
                for (int i = 0; i < n; i++) for (int p = 0; p < spatial; p++) s += x[(i * c + ch) * spatial + p];
                m = s / count;
                double q = 0;
                for (int i = 0; i < n; i++) {
                    for (int p = 0; p < spatial; p++) {
                        double d = x[(i * c + ch) * spatial + p] - m;
                        q += d * d;
                    }
                }
                v = q / count;
            } else {
                m = mean[ch];
                v = var[ch];
            }
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < spatial; p++) {
                    int at = (i * c + ch) * spatial + p;
                    y[at] = (x[at] - m) / Math.sqrt(v + eps) * w[ch] + b[ch];
                }
            }
        }
        return y;
    }

    /** PyTorch's adaptive average pooling of [n, c, h, wd] to [n, c, oh, ow]: windows floor(i·h/oh) to ceil((i+1)·h/oh). */
    public static double[] adaptiveAvgPool2d(double[] x, int n, int c, int h, int wd, int oh, int ow) {
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                int r0 = Math.floorDiv(i * h, oh), r1 = -Math.floorDiv(-(i + 1) * h, oh);
                for (int j = 0; j < ow; j++) {
                    int c0 = Math.floorDiv(j * wd, ow), c1 = -Math.floorDiv(-(j + 1) * wd, ow);
                    double sum = 0;
                    for (int r = r0; r < r1; r++) for (int q = c0; q < c1; q++) sum += x[(p * h + r) * wd + q];
                    y[(p * oh + i) * ow + j] = sum / ((r1 - r0) * (c1 - c0));
                }
            }
        }
        return y;
    }

    /** a + b element-wise. */
    public static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) y[i] = a[i] + b[i];
        return y;
    }

    // ---------------------------------------------------------------- inputs

    /** Uniform values in [low, high). */
    public static float[] uniform(long seed, int n, float low, float high) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = low + (high - low) * random.nextFloat();
        return v;
    }

    /** Values with |v| in [margin, 1] and random sign: kept off a kink at 0. */
    public static float[] offZero(long seed, int n, float margin) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float magnitude = margin + (1 - margin) * random.nextFloat();
            v[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return v;
    }

    /** A random permutation of {-1 + 2i/n}: all distinct, at least 2/n apart (no max-pool ties). */
    public static float[] distinct(long seed, int n) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = -1f + 2f * i / n;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }
}
