package org.deephash4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.nn.Parameter;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Parameter groups: Adam with a backbone at 0.1 x the head's rate, and a frozen group, against a
 * hand computation of Adam in double (Kingma and Ba, Algorithm 1) with each group's own rate and
 * its own step count t; tolerance 1e-6 absolute + 1e-5 relative (float32 state against double).
 */
class ParameterGroupsTest {
    private static final Backend CPU = Backends.cpu();
    private static final int N = 5;
    private static final double B1 = 0.9, B2 = 0.999, EPS = 1e-8;

    /** Adam's state for one parameter, in double. */
    private static final class HandAdam {
        final double[] theta, m = new double[N], v = new double[N];
        int t;

        HandAdam(float[] start) {
            theta = new double[N];
            for (int i = 0; i < N; i++) theta[i] = start[i];
        }

        void step(float[] grad, double lr) {
            t++;
            for (int i = 0; i < N; i++) {
                m[i] = B1 * m[i] + (1 - B1) * grad[i];
                v[i] = B2 * v[i] + (1 - B2) * grad[i] * grad[i];
                double mHat = m[i] / (1 - Math.pow(B1, t)), vHat = v[i] / (1 - Math.pow(B2, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + EPS);
            }
        }
    }

    private static float[] random(Random r) {
        float[] a = new float[N];
        for (int i = 0; i < N; i++) a[i] = 2 * r.nextFloat() - 1;
        return a;
    }

    private static void setGrad(Parameter p, float[] g) {
        if (p.grad() != null) p.grad().close();
        p.tensor().setGrad(Tensors.fromArray(CPU, g, N).keep());
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < N; i++) assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]), what + " [" + i + "]");
    }

    @Test
    void eachGroupStepsAtItsOwnRate() {
        Random r = new Random(3);
        float[] b0 = random(r), h0 = random(r);
        Parameter backbone = new Parameter("b", Tensors.fromArray(CPU, b0, N));
        Parameter head = new Parameter("h", Tensors.fromArray(CPU, h0, N));
        HandAdam hb = new HandAdam(b0), hh = new HandAdam(h0);
        double lr = 1e-3;
        try (Adam adam = new Adam(List.of(backbone, head), (float) lr)) {
            adam.setRateScale(List.of(backbone), 0.1f);
            for (int step = 0; step < 5; step++) {
                float[] gb = random(r), gh = random(r);
                setGrad(backbone, gb);
                setGrad(head, gh);
                adam.step();
                hb.step(gb, (float) lr * 0.1f);
                hh.step(gh, lr);
            }
            assertClose(hb.theta, backbone.tensor().toArray(), "backbone at 0.1 x the rate");
            assertClose(hh.theta, head.tensor().toArray(), "head at the rate");
        }
    }

    // Adam's first step moves every coordinate by the rate (m̂ / √v̂ = ±1): 1e-4 for the backbone, 1e-3 for the head.
    @Test
    void theFirstStepMovesEachGroupByItsRate() {
        float[] start = new float[N];
        Parameter backbone = new Parameter("b", Tensors.fromArray(CPU, start, N));
        Parameter head = new Parameter("h", Tensors.fromArray(CPU, start, N));
        try (Adam adam = new Adam(List.of(backbone, head), 1e-3f)) {
            adam.setRateScale(List.of(backbone), 0.1f);
            float[] g = {1, -2, 3, -4, 5};
            setGrad(backbone, g);
            setGrad(head, g);
            adam.step();
            float[] b = backbone.tensor().toArray(), h = head.tensor().toArray();
            for (int i = 0; i < N; i++) {
                assertEquals(-Math.signum(g[i]) * 1e-4, b[i], 1e-9, "backbone [" + i + "]");
                assertEquals(-Math.signum(g[i]) * 1e-3, h[i], 1e-8, "head [" + i + "]");
            }
        }
    }

    @Test
    void aFrozenGroupStaysAndCountsItsStepsFromItsThaw() {
        Random r = new Random(5);
        float[] b0 = random(r), h0 = random(r);
        Parameter backbone = new Parameter("b", Tensors.fromArray(CPU, b0, N));
        Parameter head = new Parameter("h", Tensors.fromArray(CPU, h0, N));
        HandAdam hb = new HandAdam(b0), hh = new HandAdam(h0);
        double lr = 2e-3;
        try (Adam adam = new Adam(List.of(backbone, head), (float) lr)) {
            adam.setFrozen(List.of(backbone), true);
            for (int step = 0; step < 3; step++) {        // frozen: a stale gradient must not move it
                float[] gb = random(r), gh = random(r);
                setGrad(backbone, gb);
                setGrad(head, gh);
                adam.step();
                hh.step(gh, lr);
            }
            assertArrayEquals(b0, backbone.tensor().toArray(), "frozen: not updated");
            assertEquals(0, adam.stepCount(backbone));
            assertEquals(3, adam.stepCount(head));
            adam.setFrozen(List.of(backbone), false);
            for (int step = 0; step < 2; step++) {
                float[] gb = random(r), gh = random(r);
                setGrad(backbone, gb);
                setGrad(head, gh);
                adam.step();
                hb.step(gb, lr);                            // its t runs 1, 2 (PyTorch: no gradient, no step)
                hh.step(gh, lr);
            }
            assertEquals(2, adam.stepCount(backbone));
            assertEquals(5, adam.stepCount());
            assertClose(hb.theta, backbone.tensor().toArray(), "thawed backbone");
            assertClose(hh.theta, head.tensor().toArray(), "head");
        }
    }

    @Test
    void sgdGroupsScaleTheRateToo() {
        Parameter a = new Parameter("a", Tensors.fromArray(CPU, new float[N], N));
        Parameter b = new Parameter("b", Tensors.fromArray(CPU, new float[N], N));
        try (Sgd sgd = new Sgd(List.of(a, b), 0.5f)) {
            sgd.setRateScale(List.of(a), 0.1f);
            float[] g = {1, 1, 1, 1, 1};
            setGrad(a, g);
            setGrad(b, g);
            sgd.step();
            assertEquals(-0.05f, a.tensor().toArray()[0], 1e-7);
            assertEquals(-0.5f, b.tensor().toArray()[0], 1e-7);
        }
    }

    @Test
    void badScalesAndStrangersAreRefused() {
        Parameter a = new Parameter("a", Tensors.fromArray(CPU, new float[N], N));
        Parameter stranger = new Parameter("x", Tensors.fromArray(CPU, new float[N], N));
        try (Adam adam = new Adam(List.of(a), 1e-3f)) {
            assertThrows(IllegalArgumentException.class, () -> adam.setRateScale(List.of(a), -1f));
            assertThrows(IllegalArgumentException.class, () -> adam.setRateScale(List.of(a), Float.NaN));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.setFrozen(List.of(stranger), true));
            assertEquals("Adam: parameter x is not one this optimizer updates", e.getMessage());
        }
    }
}
