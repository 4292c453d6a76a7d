package org.deephash4j.opencl;

import org.deephash4j.backend.Conv2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * conv2d.cl against the CPU reference convolution: forward (with and without bias), backward
 * data and backward filter (with and without bias gradient), on geometries with size-1
 * dimensions, odd and non-square images and kernels, stride 2, 3 and 4, padding, one
 * LeNet-sized case and the stems and shortcuts of ResNet-18 and AlexNet; each with both algorithms (direct and im2col + GEMM). Tolerance
 * atol = 2e-6 · (reduction length), rtol 1e-4.
 */
class ClConv2dTest {
    private static final Conv2dGeometry[] GEOMETRIES = {
        new Conv2dGeometry(1, 1, 1, 1, 1, 1, 1, 1, 0),
        new Conv2dGeometry(2, 3, 7, 5, 4, 3, 2, 1, 1),
        new Conv2dGeometry(3, 2, 13, 11, 5, 3, 3, 2, 1),
        new Conv2dGeometry(1, 4, 9, 9, 3, 5, 5, 3, 2),
        new Conv2dGeometry(2, 1, 6, 7, 7, 1, 3, 1, 0),
        new Conv2dGeometry(4, 6, 12, 12, 16, 5, 5, 1, 0),     // LeNet's second convolution, batch 4
        new Conv2dGeometry(2, 3, 31, 17, 8, 4, 3, 2, 3),
        new Conv2dGeometry(2, 8, 7, 6, 5, 1, 1, 2, 0),        // ResNet's 1x1 stride-2 shortcut, odd input
        new Conv2dGeometry(2, 4, 8, 8, 6, 3, 3, 2, 1),        // ResNet's 3x3 stride-2 convolution
        new Conv2dGeometry(2, 3, 17, 15, 4, 7, 7, 2, 3),      // ResNet's 7x7 stride-2 stem
        new Conv2dGeometry(1, 3, 31, 29, 5, 11, 11, 4, 2),    // AlexNet's 11x11 stride-4 stem
    };

    @Test
    void forwardAgreesWithReference() {
        for (boolean im2col : new boolean[] {false, true}) {
            OpenClTestSupport.backend().conv2d().useIm2col(im2col);
            try {
                forwardAgreesWithReferenceWith(im2col ? " im2col" : " direct");
            } finally {
                OpenClTestSupport.backend().conv2d().useIm2col(ClConv2d.DEFAULT.equals("im2col"));
            }
        }
    }

    private static void forwardAgreesWithReferenceWith(String algorithm) {
        long seed = 1;
        for (Conv2dGeometry g : GEOMETRIES) {
            int in = (int) g.inputSize(), w = (int) g.weightSize(), out = (int) g.outputSize();
            int length = g.inChannels() * g.kernelHeight() * g.kernelWidth();
            float[][] buffers = {new float[out], Parity.random(seed, in), Parity.random(seed + 1, w),
                Parity.random(seed + 2, g.outChannels())};
            Parity.check("conv2d.cl forward" + algorithm + " " + g, buffers, (b, s) -> b.conv2dForward(s[0], s[1], s[2], s[3], g),
                    2e-6 * length, 1e-4);
            Parity.check("conv2d.cl forward without bias" + algorithm + " " + g, buffers,
                    (b, s) -> b.conv2dForward(s[0], s[1], s[2], null, g), 2e-6 * length, 1e-4);
            seed += 3;
        }
    }

    @Test
    void backwardDataAgreesWithReference() {
        for (boolean im2col : new boolean[] {false, true}) {
            OpenClTestSupport.backend().conv2d().useIm2col(im2col);
            try {
                backwardDataAgreesWithReferenceWith(im2col ? " im2col" : " direct");
            } finally {
                OpenClTestSupport.backend().conv2d().useIm2col(ClConv2d.DEFAULT.equals("im2col"));
            }
        }
    }

    private static void backwardDataAgreesWithReferenceWith(String algorithm) {
        long seed = 100;
        for (Conv2dGeometry g : GEOMETRIES) {
            int in = (int) g.inputSize(), w = (int) g.weightSize(), out = (int) g.outputSize();
            int length = g.outChannels() * g.kernelHeight() * g.kernelWidth();
            Parity.check("conv2d.cl backward data" + algorithm + " " + g,
                    new float[][] {Parity.random(seed, in), Parity.random(seed + 1, out), Parity.random(seed + 2, w)},
                    (b, s) -> b.conv2dBackwardData(s[0], s[1], s[2], g), 2e-6 * length, 1e-4);
            seed += 3;
        }
    }

    @Test
    void backwardFilterAgreesWithReference() {
        for (boolean im2col : new boolean[] {false, true}) {
            OpenClTestSupport.backend().conv2d().useIm2col(im2col);
            try {
                backwardFilterAgreesWithReferenceWith(im2col ? " im2col" : " direct");
            } finally {
                OpenClTestSupport.backend().conv2d().useIm2col(ClConv2d.DEFAULT.equals("im2col"));
            }
        }
    }

    private static void backwardFilterAgreesWithReferenceWith(String algorithm) {
        long seed = 200;
        for (Conv2dGeometry g : GEOMETRIES) {
            int in = (int) g.inputSize(), w = (int) g.weightSize(), out = (int) g.outputSize();
            int length = g.batch() * g.outHeight() * g.outWidth();
            float[][] buffers = {Parity.random(seed, w), Parity.random(seed + 1, g.outChannels()),
                Parity.random(seed + 2, out), Parity.random(seed + 3, in)};
            Parity.check("conv2d.cl backward filter" + algorithm + " " + g, buffers,
                    (b, s) -> b.conv2dBackwardFilter(s[0], s[1], s[2], s[3], g), 2e-6 * length, 1e-4);
            Parity.check("conv2d.cl backward filter without bias" + algorithm + " " + g, buffers,
                    (b, s) -> b.conv2dBackwardFilter(s[0], null, s[2], s[3], g), 2e-6 * length, 1e-4);
            seed += 4;
        }
    }
}
