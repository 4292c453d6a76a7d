package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.testing.ArrayAsserts;
import org.deephash4j.testing.FiniteDifferences;
import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferencePool2d against double oracles: forward at atol 1e-6, rtol 1e-5 (max is exact);
 * backward against central finite differences of {@code L = Σ y · r} at atol 1e-4, rtol 1e-3.
 * Max-pool inputs are distinct values at least 2/(size+1) apart, so no window has a tie and
 * h = 1e-6 never changes a window's argmax; ties, padding and NaN get their own small cases.
 */
class ReferencePool2dTest {
    private static final Pool2dGeometry[] GEOMETRIES = {
        // batch, channels, inH, inW, kH, kW, stride, padding
        new Pool2dGeometry(1, 1, 1, 1, 1, 1, 1, 0),
        new Pool2dGeometry(2, 3, 7, 5, 3, 2, 2, 1),
        new Pool2dGeometry(1, 2, 6, 9, 3, 3, 1, 1),  // overlapping windows
        new Pool2dGeometry(1, 1, 5, 4, 2, 2, 2, 0),
        new Pool2dGeometry(2, 1, 8, 7, 2, 3, 3, 1),
        new Pool2dGeometry(1, 3, 3, 5, 3, 5, 1, 0),  // one window per plane
    };

    @Test
    void maxForwardAndBackward() {
        long seed = 200;
        for (Pool2dGeometry g : GEOMETRIES) {
            float[] x = TestArrays.distinct(seed++, (int) g.inputSize());
            float[] r = TestArrays.uniform(seed++, (int) g.outputSize(), -1, 1);
            float[] y = new float[(int) g.outputSize()];
            ReferencePool2d.maxForward(y, x, g);
            int[] outShape = {g.batch(), g.channels(), g.outHeight(), g.outWidth()};
            assertClose("ReferencePool2d.maxForward " + g, maxOracle(g, ArrayAsserts.toDouble(x)), y, 1e-6, 1e-5, outShape);

            float[] gradInput = TestArrays.uniform(seed, (int) g.inputSize(), 5, 6);   // must be overwritten
            ReferencePool2d.maxBackward(gradInput, r, x, y, g);
            double[] expected = FiniteDifferences.gradient(
                    xv -> FiniteDifferences.weightedSum(maxOracle(g, xv), r), ArrayAsserts.toDouble(x));
            assertClose("ReferencePool2d.maxBackward " + g, expected, gradInput, 1e-4, 1e-3,
                    g.batch(), g.channels(), g.inHeight(), g.inWidth());
        }
    }

    @Test
    void avgForwardAndBackward() {
        long seed = 300;
        for (Pool2dGeometry g : GEOMETRIES) {
            float[] x = TestArrays.uniform(seed++, (int) g.inputSize(), -1, 1);
            float[] r = TestArrays.uniform(seed++, (int) g.outputSize(), -1, 1);
            float[] y = new float[(int) g.outputSize()];
            ReferencePool2d.avgForward(y, x, g);
            assertClose("ReferencePool2d.avgForward " + g, avgOracle(g, ArrayAsserts.toDouble(x)), y, 1e-6, 1e-5,
                    g.batch(), g.channels(), g.outHeight(), g.outWidth());

            float[] gradInput = TestArrays.uniform(seed, (int) g.inputSize(), 5, 6);
            ReferencePool2d.avgBackward(gradInput, r, g);
            double[] expected = FiniteDifferences.gradient(
                    xv -> FiniteDifferences.weightedSum(avgOracle(g, xv), r), ArrayAsserts.toDouble(x));
            assertClose("ReferencePool2d.avgBackward " + g, expected, gradInput, 1e-4, 1e-3,
                    g.batch(), g.channels(), g.inHeight(), g.inWidth());
        }
    }

    @Test
    void maxTiesGoToTheFirstPositionAndOverlapsAdd() {
        // 1x1x2x3 input, 2x2 windows, stride 1: windows (0,0) and (0,1) share column 1.
        Pool2dGeometry g = new Pool2dGeometry(1, 1, 2, 3, 2, 2, 1, 0);
        float[] x = {1, 5, 5,
                     5, 2, 5};
        float[] y = new float[2];
        ReferencePool2d.maxForward(y, x, g);
        assertArrayEquals(new float[] {5, 5}, y);
        float[] gradInput = new float[6];
        ReferencePool2d.maxBackward(gradInput, new float[] {10, 100}, x, y, g);
        // window 0 = {1, 5 | 5, 2}: first 5 is x[0, 1]; window 1 = {5, 5 | 2, 5}: first 5 is x[0, 1] too.
        assertArrayEquals(new float[] {0, 110, 0, 0, 0, 0}, gradInput);
    }

    @Test
    void maxIgnoresPaddingAndPropagatesNaN() {
        // All inputs negative: a max that counted padding as 0 would output 0 at the borders.
        Pool2dGeometry g = new Pool2dGeometry(1, 1, 2, 2, 2, 2, 1, 1);
        float[] x = {-4, -3, -2, -1};
        float[] y = new float[9];
        ReferencePool2d.maxForward(y, x, g);
        assertArrayEquals(new float[] {-4, -3, -3, -2, -1, -1, -2, -1, -1}, y);

        float[] withNaN = {-4, Float.NaN, -2, -1};
        ReferencePool2d.maxForward(y, withNaN, g);
        assertTrue(Float.isNaN(y[1]) && Float.isNaN(y[2]) && Float.isNaN(y[4]) && Float.isNaN(y[5]) && y[3] == -2f, java.util.Arrays.toString(y));
        float[] gradInput = new float[4];
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1f);
        ReferencePool2d.maxBackward(gradInput, ones, withNaN, y, g);
        // x[1] (NaN) lies in 4 of the 9 windows and takes each of their gradients
        assertEquals(4f, gradInput[1]);
        assertEquals(9f, gradInput[0] + gradInput[1] + gradInput[2] + gradInput[3], "every window routes its gradient once");
    }

    @Test
    void avgCountsPaddingAsZero() {
        Pool2dGeometry g = new Pool2dGeometry(1, 1, 1, 1, 2, 2, 1, 1);
        float[] y = new float[4];
        ReferencePool2d.avgForward(y, new float[] {8}, g);
        assertArrayEquals(new float[] {2, 2, 2, 2}, y);
        float[] gradInput = new float[1];
        ReferencePool2d.avgBackward(gradInput, new float[] {4, 4, 4, 4}, g);
        assertArrayEquals(new float[] {4}, gradInput);
    }

    /** Max over each window's in-image positions, in double; padded positions are skipped. */
    static double[] maxOracle(Pool2dGeometry g, double[] x) {
        int outH = g.outHeight(), outW = g.outWidth();
        double[] y = new double[g.batch() * g.channels() * outH * outW];
        int o = 0;
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int h = oh * g.stride() - g.padding(); h < oh * g.stride() - g.padding() + g.kernelHeight(); h++) {
                        for (int w = ow * g.stride() - g.padding(); w < ow * g.stride() - g.padding() + g.kernelWidth(); w++) {
                            if (h >= 0 && h < g.inHeight() && w >= 0 && w < g.inWidth()) {
                                max = Math.max(max, x[(plane * g.inHeight() + h) * g.inWidth() + w]);
                            }
                        }
                    }
                    y[o++] = max;
                }
            }
        }
        return y;
    }

    /** Window sum over kH·kW positions (padding = 0) divided by kH·kW, in double. */
    static double[] avgOracle(Pool2dGeometry g, double[] x) {
        int outH = g.outHeight(), outW = g.outWidth();
        double[] y = new double[g.batch() * g.channels() * outH * outW];
        int o = 0;
        for (int plane = 0; plane < g.batch() * g.channels(); plane++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    double sum = 0.0;
                    for (int h = oh * g.stride() - g.padding(); h < oh * g.stride() - g.padding() + g.kernelHeight(); h++) {
                        for (int w = ow * g.stride() - g.padding(); w < ow * g.stride() - g.padding() + g.kernelWidth(); w++) {
                            boolean inside = h >= 0 && h < g.inHeight() && w >= 0 && w < g.inWidth();
                            sum += inside ? x[(plane * g.inHeight() + h) * g.inWidth() + w] : 0.0;
                        }
                    }
                    y[o++] = sum / (g.kernelHeight() * g.kernelWidth());
                }
            }
        }
        return y;
    }
}
