package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.testing.ArrayAsserts;
import org.deephash4j.testing.FiniteDifferences;
import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceConv2d against a double oracle that pads the image with zeros explicitly and then
 * slides the kernel over the padded image (no bounds checks to get wrong). Forward: atol 1e-5,
 * rtol 1e-4. The backward kernels are checked against central finite differences of
 * {@code L = Σ y · r} (random weights r, the oracle in double): gradInput, gradWeight and
 * gradBias at atol 1e-4, rtol 1e-3.
 */
class ReferenceConv2dTest {
    private static final Conv2dGeometry[] GEOMETRIES = {
        // batch, inC, inH, inW, outC, kH, kW, stride, padding
        new Conv2dGeometry(1, 1, 1, 1, 1, 1, 1, 1, 0),
        new Conv2dGeometry(2, 3, 7, 5, 4, 3, 2, 2, 1),
        new Conv2dGeometry(1, 2, 6, 9, 3, 3, 3, 1, 2),
        new Conv2dGeometry(3, 1, 5, 5, 2, 5, 1, 3, 0),
        new Conv2dGeometry(1, 4, 8, 7, 5, 2, 3, 2, 0),
        new Conv2dGeometry(2, 2, 4, 6, 1, 1, 1, 2, 1),
    };

    @Test
    void forwardMatchesDoubleOracle() {
        long seed = 10;
        for (Conv2dGeometry g : GEOMETRIES) {
            for (boolean withBias : new boolean[] {true, false}) {
                Inputs in = new Inputs(g, seed++);
                float[] bias = withBias ? in.bias : null;
                float[] output = new float[(int) g.outputSize()];
                ReferenceConv2d.forward(output, in.x, in.w, bias, g);
                double[] expected = oracle(g, ArrayAsserts.toDouble(in.x), ArrayAsserts.toDouble(in.w),
                        bias == null ? null : ArrayAsserts.toDouble(bias));
                assertClose("ReferenceConv2d.forward " + g + (withBias ? " with bias" : " no bias"), expected, output,
                        1e-5, 1e-4, g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
            }
        }
    }

    @Test
    void backwardDataMatchesFiniteDifferences() {
        long seed = 30;
        for (Conv2dGeometry g : GEOMETRIES) {
            Inputs in = new Inputs(g, seed++);
            float[] gradInput = TestArrays.uniform(seed, (int) g.inputSize(), 5, 6);   // garbage: must be overwritten
            ReferenceConv2d.backwardData(gradInput, in.r, in.w, g);
            double[] expected = numericalGradInput(g, in);
            assertClose("ReferenceConv2d.backwardData " + g, expected, gradInput, 1e-4, 1e-3,
                    g.batch(), g.inChannels(), g.inHeight(), g.inWidth());
        }
    }

    @Test
    void backwardFilterAndBiasMatchFiniteDifferences() {
        long seed = 50;
        for (Conv2dGeometry g : GEOMETRIES) {
            Inputs in = new Inputs(g, seed++);
            double[] w = ArrayAsserts.toDouble(in.w);
            double[] b = ArrayAsserts.toDouble(in.bias);
            double[] x = ArrayAsserts.toDouble(in.x);
            double[] expectedW = FiniteDifferences.gradient(
                    wv -> FiniteDifferences.weightedSum(oracle(g, x, wv, b), in.r), w);
            double[] expectedB = FiniteDifferences.gradient(
                    bv -> FiniteDifferences.weightedSum(oracle(g, x, w, bv), in.r), b);
            float[] gradWeight = TestArrays.uniform(seed, (int) g.weightSize(), 5, 6);
            float[] gradBias = TestArrays.uniform(seed, g.outChannels(), 5, 6);
            ReferenceConv2d.backwardFilter(gradWeight, gradBias, in.r, in.x, g);
            assertClose("ReferenceConv2d.backwardFilter gradWeight " + g, expectedW, gradWeight, 1e-4, 1e-3,
                    g.outChannels(), g.inChannels(), g.kernelHeight(), g.kernelWidth());
            assertClose("ReferenceConv2d.backwardFilter gradBias " + g, expectedB, gradBias, 1e-4, 1e-3);

            float[] gradWeightNoBias = new float[(int) g.weightSize()];
            ReferenceConv2d.backwardFilter(gradWeightNoBias, null, in.r, in.x, g);
            assertClose("ReferenceConv2d.backwardFilter without bias " + g, expectedW, gradWeightNoBias, 1e-4, 1e-3);
        }
    }

    /** A backward that correlates with the flipped kernel (the classic convolution/correlation mix-up) must fail. */
    @Test
    void plantedBugFailsTheGradientCheck() {
        Conv2dGeometry g = GEOMETRIES[1];
        Inputs in = new Inputs(g, 77);
        float[] flipped = new float[in.w.length];
        int kH = g.kernelHeight(), kW = g.kernelWidth();
        for (int oc = 0; oc < g.outChannels() * g.inChannels(); oc++) {
            for (int u = 0; u < kH; u++) {
                for (int v = 0; v < kW; v++) {
                    flipped[(oc * kH + u) * kW + v] = in.w[(oc * kH + (kH - 1 - u)) * kW + (kW - 1 - v)];
                }
            }
        }
        float[] gradInput = new float[(int) g.inputSize()];
        ReferenceConv2d.backwardData(gradInput, in.r, flipped, g);
        double[] expected = numericalGradInput(g, in);
        assertThrows(AssertionError.class,
                () -> assertClose("planted flipped-kernel backward", expected, gradInput, 1e-4, 1e-3));
    }

    private static double[] numericalGradInput(Conv2dGeometry g, Inputs in) {
        double[] w = ArrayAsserts.toDouble(in.w);
        double[] b = ArrayAsserts.toDouble(in.bias);
        return FiniteDifferences.gradient(xv -> FiniteDifferences.weightedSum(oracle(g, xv, w, b), in.r),
                ArrayAsserts.toDouble(in.x));
    }

    /** Seeded input, weight, bias and output weights r for one geometry. */
    private static final class Inputs {
        final float[] x, w, bias, r;

        Inputs(Conv2dGeometry g, long seed) {
            x = TestArrays.uniform(seed, (int) g.inputSize(), -1, 1);
            w = TestArrays.uniform(seed + 1, (int) g.weightSize(), -1, 1);
            bias = TestArrays.uniform(seed + 2, g.outChannels(), -1, 1);
            r = TestArrays.uniform(seed + 3, (int) g.outputSize(), -1, 1);
        }
    }

    /** y = conv2d(x, w) + b in double: zero-pad x into a bigger image, then slide the kernel over it. */
    static double[] oracle(Conv2dGeometry g, double[] x, double[] w, double[] b) {
        int p = g.padding(), s = g.stride();
        int paddedH = g.inHeight() + 2 * p, paddedW = g.inWidth() + 2 * p;
        int outH = (paddedH - g.kernelHeight()) / s + 1, outW = (paddedW - g.kernelWidth()) / s + 1;
        double[][][][] padded = new double[g.batch()][g.inChannels()][paddedH][paddedW];
        int i = 0;
        for (int n = 0; n < g.batch(); n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                for (int h = 0; h < g.inHeight(); h++) {
                    for (int col = 0; col < g.inWidth(); col++) padded[n][c][h + p][col + p] = x[i++];
                }
            }
        }
        double[] y = new double[g.batch() * g.outChannels() * outH * outW];
        int o = 0;
        for (int n = 0; n < g.batch(); n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        double sum = b == null ? 0.0 : b[oc];
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int u = 0; u < g.kernelHeight(); u++) {
                                for (int v = 0; v < g.kernelWidth(); v++) {
                                    double weight = w[((oc * g.inChannels() + c) * g.kernelHeight() + u) * g.kernelWidth() + v];
                                    sum += weight * padded[n][c][oh * s + u][ow * s + v];
                                }
                            }
                        }
                        y[o++] = sum;
                    }
                }
            }
        }
        return y;
    }
}
