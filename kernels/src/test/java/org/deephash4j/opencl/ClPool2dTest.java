package org.deephash4j.opencl;

import org.deephash4j.backend.Pool2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * pool2d.cl against the CPU reference pooling: max and average, forward and backward, on
 * windows that overlap (stride < window), skip (stride > window), pad, are non-square, and
 * size 1. Max pooling is exact (it moves values, and ties are routed to the same first
 * position: inputs are drawn from a few values so ties happen); averages within 1e-6.
 */
class ClPool2dTest {
    private static final Pool2dGeometry[] GEOMETRIES = {
        new Pool2dGeometry(1, 1, 1, 1, 1, 1, 1, 0),
        new Pool2dGeometry(2, 3, 8, 8, 2, 2, 2, 0),
        new Pool2dGeometry(1, 2, 7, 9, 3, 3, 2, 1),
        new Pool2dGeometry(3, 1, 13, 5, 3, 2, 1, 1),
        new Pool2dGeometry(2, 2, 11, 11, 2, 3, 3, 1),
        new Pool2dGeometry(4, 6, 24, 24, 2, 2, 2, 0),   // LeNet's first pooling, batch 4
    };

    private static float[] withTies(long seed, int n) {
        float[] x = Parity.random(seed, n, -2f, 2f);
        for (int i = 0; i < n; i++) x[i] = Math.round(x[i] * 4) / 4f;   // 17 distinct values: many ties
        return x;
    }

    @Test
    void maxPoolingAgreesWithReference() {
        long seed = 1;
        for (Pool2dGeometry g : GEOMETRIES) {
            int in = (int) g.inputSize(), out = (int) g.outputSize();
            float[] x = withTies(seed, in);
            float[] y = Parity.check("pool2d.cl max forward " + g, new float[][] {new float[out], x},
                    (b, s) -> b.maxPool2dForward(s[0], s[1], g), 0, 0)[0];
            Parity.check("pool2d.cl max backward " + g,
                    new float[][] {Parity.random(seed + 1, in), Parity.random(seed + 2, out), x, y},
                    (b, s) -> b.maxPool2dBackward(s[0], s[1], s[2], s[3], g), 1e-6, 1e-6);
            seed += 3;
        }
    }

    @Test
    void averagePoolingAgreesWithReference() {
        long seed = 100;
        for (Pool2dGeometry g : GEOMETRIES) {
            int in = (int) g.inputSize(), out = (int) g.outputSize();
            Parity.check("pool2d.cl avg forward " + g, new float[][] {new float[out], Parity.random(seed, in)},
                    (b, s) -> b.avgPool2dForward(s[0], s[1], g), 1e-6, 1e-6);
            Parity.check("pool2d.cl avg backward " + g,
                    new float[][] {Parity.random(seed + 1, in), Parity.random(seed + 2, out)},
                    (b, s) -> b.avgPool2dBackward(s[0], s[1], g), 1e-6, 1e-6);
            seed += 3;
        }
    }
}
