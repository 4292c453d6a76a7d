package org.deephash4j.backend.cpu;

import java.util.Arrays;

import org.deephash4j.backend.Conv2dGeometry;

/**
 * Reference 2-D convolution (cross-correlation, as in every deep-learning library), NCHW,
 * stride s and zero padding p on both axes.
 *
 * <p>Input x {@code [N, C, H, W]}, weight w {@code [outC, C, kH, kW]}, bias b {@code [outC]},
 * output y {@code [N, outC, outH, outW]} with {@code outH = (H + 2p - kH) / s + 1}:
 * <pre>
 *   y[n, o, oh, ow] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, oh·s - p + u, ow·s - p + v]
 * </pre>
 * where x outside the image is 0 (those terms are skipped). The gradients follow from the
 * same sum: each term sends {@code gradY · w} to x and {@code gradY · x} to w.
 * Direct loops, float32 accumulation, no im2col.
 */
final class ReferenceConv2d {
    private ReferenceConv2d() {
    }

    /** y = conv2d(x, w) + b; bias may be null (no bias). */
    static void forward(float[] output, float[] input, float[] weight, float[] bias, Conv2dGeometry g) {
        int outH = g.outHeight(), outW = g.outWidth();
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        float sum = bias == null ? 0f : bias[o];
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int u = 0; u < g.kernelHeight(); u++) {
                                int ih = oh * g.stride() - g.padding() + u;
                                if (ih < 0 || ih >= g.inHeight()) continue;
                                for (int v = 0; v < g.kernelWidth(); v++) {
                                    int iw = ow * g.stride() - g.padding() + v;
                                    if (iw < 0 || iw >= g.inWidth()) continue;
                                    sum += weight[weightIndex(g, o, c, u, v)] * input[inputIndex(g, n, c, ih, iw)];
                                }
                            }
                        }
                        output[outputIndex(g, n, o, oh, ow)] = sum;
                    }
                }
            }
        }
    }

    /** gradX[n, c, ih, iw] = Σ over the output positions that read x[n, c, ih, iw] of gradY · w (overwrites gradInput). */
    static void backwardData(float[] gradInput, float[] gradOutput, float[] weight, Conv2dGeometry g) {
        Arrays.fill(gradInput, 0, Math.toIntExact(g.inputSize()), 0f);
        int outH = g.outHeight(), outW = g.outWidth();
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        float gy = gradOutput[outputIndex(g, n, o, oh, ow)];
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int u = 0; u < g.kernelHeight(); u++) {
                                int ih = oh * g.stride() - g.padding() + u;
                                if (ih < 0 || ih >= g.inHeight()) continue;
                                for (int v = 0; v < g.kernelWidth(); v++) {
                                    int iw = ow * g.stride() - g.padding() + v;
                                    if (iw < 0 || iw >= g.inWidth()) continue;
                                    gradInput[inputIndex(g, n, c, ih, iw)] += gy * weight[weightIndex(g, o, c, u, v)];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * gradW[o, c, u, v] = Σ_{n, oh, ow} gradY[n, o, oh, ow] · x[n, c, oh·s - p + u, ow·s - p + v];
     * gradB[o] = Σ_{n, oh, ow} gradY[n, o, oh, ow] (gradBias may be null). Both are overwritten.
     */
    static void backwardFilter(float[] gradWeight, float[] gradBias, float[] gradOutput, float[] input,
                               Conv2dGeometry g) {
        Arrays.fill(gradWeight, 0, Math.toIntExact(g.weightSize()), 0f);
        if (gradBias != null) Arrays.fill(gradBias, 0, g.outChannels(), 0f);
        int outH = g.outHeight(), outW = g.outWidth();
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        float gy = gradOutput[outputIndex(g, n, o, oh, ow)];
                        if (gradBias != null) gradBias[o] += gy;
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int u = 0; u < g.kernelHeight(); u++) {
                                int ih = oh * g.stride() - g.padding() + u;
                                if (ih < 0 || ih >= g.inHeight()) continue;
                                for (int v = 0; v < g.kernelWidth(); v++) {
                                    int iw = ow * g.stride() - g.padding() + v;
                                    if (iw < 0 || iw >= g.inWidth()) continue;
                                    gradWeight[weightIndex(g, o, c, u, v)] += gy * input[inputIndex(g, n, c, ih, iw)];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int inputIndex(Conv2dGeometry g, int n, int c, int h, int w) {
        return ((n * g.inChannels() + c) * g.inHeight() + h) * g.inWidth() + w;
    }

    private static int weightIndex(Conv2dGeometry g, int o, int c, int u, int v) {
        return ((o * g.inChannels() + c) * g.kernelHeight() + u) * g.kernelWidth() + v;
    }

    private static int outputIndex(Conv2dGeometry g, int n, int o, int oh, int ow) {
        return ((n * g.outChannels() + o) * g.outHeight() + oh) * g.outWidth() + ow;
    }
}
