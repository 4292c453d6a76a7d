package org.deephash4j.backend.cpu;

import java.util.Arrays;
import org.deephash4j.backend.AdaptivePool2dGeometry;

/**
 * Reference adaptive average pooling, NCHW (PyTorch's {@code AdaptiveAvgPool2d}): output cell
 * (i, j) of each plane is the mean of the input window rows [rowStart(i), rowEnd(i)) × columns
 * [colStart(j), colEnd(j)) ({@link AdaptivePool2dGeometry}), divided by the window's own area.
 * Backward gives each position of a window gradY / area; windows that overlap add.
 * Float32 sums in row-major window order.
 */
final class ReferenceAdaptiveAvgPool2d {
    private ReferenceAdaptiveAvgPool2d() {
    }

    static void forward(float[] output, float[] input, AdaptivePool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            int in = plane * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = g.rowStart(i), r1 = g.rowEnd(i);
                for (int j = 0; j < ow; j++) {
                    int c0 = g.colStart(j), c1 = g.colEnd(j);
                    float sum = 0f;
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) sum += input[in + r * w + c];
                    }
                    output[(plane * oh + i) * ow + j] = sum / ((r1 - r0) * (c1 - c0));
                }
            }
        }
    }

    static void backward(float[] gradInput, float[] gradOutput, AdaptivePool2dGeometry g) {
        Arrays.fill(gradInput, 0, Math.toIntExact(g.inputSize()), 0f);
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            int in = plane * h * w;
            for (int i = 0; i < oh; i++) {
                int r0 = g.rowStart(i), r1 = g.rowEnd(i);
                for (int j = 0; j < ow; j++) {
                    int c0 = g.colStart(j), c1 = g.colEnd(j);
                    float share = gradOutput[(plane * oh + i) * ow + j] / ((r1 - r0) * (c1 - c0));
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) gradInput[in + r * w + c] += share;
                    }
                }
            }
        }
    }
}
