package org.deephash4j.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.UnaryOp;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The parity checks can fail: a kernel that skips its tail (the last row of a GEMM, the last
 * element of a unary op, the last image of a convolution batch) is caught by the same
 * comparison and tolerances the parity suites use.
 */
class PlantedBugTest {

    @Test
    void gemmSkippingItsLastRowFails() {
        int m = 17, n = 15, k = 31;
        float[][] buffers = {Parity.random(1, m * k), Parity.random(2, k * n), new float[m * n]};
        float[] expected = Parity.run(Parity.cpu(), buffers, (b, s) ->
                b.gemm(false, false, m, n, k, 1f, s[0], 0, s[1], 0, 0f, s[2], 0))[2];
        float[] planted = Parity.run(OpenClTestSupport.backend(), buffers, (b, s) ->
                b.gemm(false, false, m - 1, n, k, 1f, s[0], 0, s[1], 0, 0f, s[2], 0))[2];
        assertThrows(AssertionFailedError.class,
                () -> Parity.assertClose("planted gemm", expected, planted, 1e-5 + 2e-6 * k, 1e-4));
    }

    @Test
    void unarySkippingItsLastElementFails() {
        int n = 61;
        float[][] buffers = {Parity.random(3, n, 0.1f, 1f), new float[n]};
        float[] expected = Parity.run(Parity.cpu(), buffers, (b, s) -> b.unary(UnaryOp.EXP, s[1], s[0], n))[1];
        float[] planted = Parity.run(OpenClTestSupport.backend(), buffers,
                (b, s) -> b.unary(UnaryOp.EXP, s[1], s[0], n - 1))[1];
        assertThrows(AssertionFailedError.class, () -> Parity.assertClose("planted unary", expected, planted, 1e-6, 2e-6));
    }

    @Test
    void convolutionSkippingItsLastImageFails() {
        Conv2dGeometry g = new Conv2dGeometry(3, 2, 7, 5, 4, 3, 2, 1, 1);
        Conv2dGeometry short1 = new Conv2dGeometry(2, 2, 7, 5, 4, 3, 2, 1, 1);
        float[][] buffers = {new float[(int) g.outputSize()], Parity.random(4, (int) g.inputSize()),
            Parity.random(5, (int) g.weightSize()), Parity.random(6, 4)};
        float[] expected = Parity.run(Parity.cpu(), buffers, (b, s) -> b.conv2dForward(s[0], s[1], s[2], s[3], g))[0];
        float[] planted = Parity.run(OpenClTestSupport.backend(), buffers,
                (b, s) -> b.conv2dForward(s[0], s[1], s[2], s[3], short1))[0];
        assertThrows(AssertionFailedError.class, () -> Parity.assertClose("planted conv2d", expected, planted, 1e-5, 1e-4));
    }
}
