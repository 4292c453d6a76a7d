package org.deephash4j.backend.cpu;

import java.util.Arrays;

import org.deephash4j.backend.Pool2dGeometry;

/**
 * Reference 2-D max and average pooling, NCHW, a kH×kW window moved by stride s over the
 * input padded by p on every side; output {@code [N, C, outH, outW]},
 * {@code outH = (H + 2p - kH) / s + 1}. Window (oh, ow) covers rows {@code oh·s - p + u},
 * columns {@code ow·s - p + v} for u in [0, kH), v in [0, kW).
 *
 * <p>Max: {@code y = max over the window's positions inside the image} (padding is ignored;
 * {@link Pool2dGeometry} guarantees every window holds at least one). A NaN in a window makes
 * its output NaN. The gradient of each window goes to one position: the first, in row-major
 * window order, whose input equals the output (ties go to the first); backward finds it again
 * from the forward's input and output, so nothing else needs to be kept. (An output that did
 * not come from this input may match no position; that window's gradient is then dropped.)
 *
 * <p>Average: {@code y = (1 / (kH·kW)) · Σ window} with padding counted as zeros
 * (PyTorch's {@code count_include_pad=True}); each input position in the window gets
 * {@code gradY / (kH·kW)}. Overlapping windows add their gradients.
 */
final class ReferencePool2d {
    private ReferencePool2d() {
    }

    static void maxForward(float[] output, float[] input, Pool2dGeometry g) {
        int outH = g.outHeight(), outW = g.outWidth();
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            int inBase = plane * g.inHeight() * g.inWidth();
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int u = 0; u < g.kernelHeight(); u++) {
                        int ih = oh * g.stride() - g.padding() + u;
                        if (ih < 0 || ih >= g.inHeight()) continue;
                        for (int v = 0; v < g.kernelWidth(); v++) {
                            int iw = ow * g.stride() - g.padding() + v;
                            if (iw < 0 || iw >= g.inWidth()) continue;
                            float x = input[inBase + ih * g.inWidth() + iw];
                            // Strictly greater: a tie keeps the first position. NaN wins (and stays).
                            if (x > max || (Float.isNaN(x) && !Float.isNaN(max))) max = x;
                        }
                    }
                    output[(plane * outH + oh) * outW + ow] = max;
                }
            }
        }
    }

    static void maxBackward(float[] gradInput, float[] gradOutput, float[] input, float[] output, Pool2dGeometry g) {
        Arrays.fill(gradInput, 0, Math.toIntExact(g.inputSize()), 0f);
        int outH = g.outHeight(), outW = g.outWidth();
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            int inBase = plane * g.inHeight() * g.inWidth();
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    int o = (plane * outH + oh) * outW + ow;
                    int argmax = firstPositionOf(output[o], input, inBase, oh, ow, g);
                    if (argmax >= 0) gradInput[argmax] += gradOutput[o];
                }
            }
        }
    }

    /** Index in input of the first window position (row-major) holding {@code max}, or -1 if none does. */
    private static int firstPositionOf(float max, float[] input, int inBase, int oh, int ow, Pool2dGeometry g) {
        for (int u = 0; u < g.kernelHeight(); u++) {
            int ih = oh * g.stride() - g.padding() + u;
            if (ih < 0 || ih >= g.inHeight()) continue;
            for (int v = 0; v < g.kernelWidth(); v++) {
                int iw = ow * g.stride() - g.padding() + v;
                if (iw < 0 || iw >= g.inWidth()) continue;
                int index = inBase + ih * g.inWidth() + iw;
                float x = input[index];
                if (x == max || (Float.isNaN(x) && Float.isNaN(max))) return index;
            }
        }
        return -1;
    }

    static void avgForward(float[] output, float[] input, Pool2dGeometry g) {
        int outH = g.outHeight(), outW = g.outWidth();
        float area = g.kernelHeight() * g.kernelWidth();
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            int inBase = plane * g.inHeight() * g.inWidth();
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    float sum = 0f;
                    for (int u = 0; u < g.kernelHeight(); u++) {
                        int ih = oh * g.stride() - g.padding() + u;
                        if (ih < 0 || ih >= g.inHeight()) continue;
                        for (int v = 0; v < g.kernelWidth(); v++) {
                            int iw = ow * g.stride() - g.padding() + v;
                            if (iw < 0 || iw >= g.inWidth()) continue;
                            sum += input[inBase + ih * g.inWidth() + iw];
                        }
                    }
                    output[(plane * outH + oh) * outW + ow] = sum / area;
                }
            }
        }
    }

    static void avgBackward(float[] gradInput, float[] gradOutput, Pool2dGeometry g) {
        Arrays.fill(gradInput, 0, Math.toIntExact(g.inputSize()), 0f);
        int outH = g.outHeight(), outW = g.outWidth();
        float area = g.kernelHeight() * g.kernelWidth();
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            int inBase = plane * g.inHeight() * g.inWidth();
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    float share = gradOutput[(plane * outH + oh) * outW + ow] / area;
                    for (int u = 0; u < g.kernelHeight(); u++) {
                        int ih = oh * g.stride() - g.padding() + u;
                        if (ih < 0 || ih >= g.inHeight()) continue;
                        for (int v = 0; v < g.kernelWidth(); v++) {
                            int iw = ow * g.stride() - g.padding() + v;
                            if (iw < 0 || iw >= g.inWidth()) continue;
                            gradInput[inBase + ih * g.inWidth() + iw] += share;
                        }
                    }
                }
            }
        }
    }
}
