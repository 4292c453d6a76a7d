package org.deephash4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.nn.Parameter;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against a direct double evaluation of its documented update for a few steps
 * (tolerance 1e-5 relative + 1e-6 absolute: float32 state against double), and StepLr's schedule.
 */
class OptimizerTest {
    private static final Backend CPU = Backends.cpu();
    private static final int N = 7;
    private static final int STEPS = 4;

    private static float[] random(Random r, float scale) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) v[i] = scale * (2 * r.nextFloat() - 1);
        return v;
    }

    /** Sets the parameter's gradient (as Graph.backward would leave it). */
    private static void setGrad(Parameter p, float[] g) {
        if (p.grad() != null) p.grad().close();
        p.tensor().setGrad(Tensors.fromArray(CPU, g, N).keep());
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        for (int i = 0; i < N; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]), what + " [" + i + "]");
        }
    }

    @Test
    void sgdWithMomentumAndWeightDecayFollowsItsFormula() {
        for (float momentum : new float[] {0f, 0.9f}) {
            Random r = new Random(1);
            float[] theta0 = random(r, 1);
            Parameter p = new Parameter("w", Tensors.fromArray(CPU, theta0, N));
            float lr = 0.1f;
            float wd = 0.01f;
            Sgd sgd = new Sgd(List.of(p), lr, momentum, wd);
            double[] theta = new double[N];
            double[] v = new double[N];
            for (int i = 0; i < N; i++) theta[i] = theta0[i];
            for (int step = 0; step < STEPS; step++) {
                float[] grad = random(r, 2);
                setGrad(p, grad);
                sgd.step();
                for (int i = 0; i < N; i++) {
                    double g = grad[i] + wd * theta[i];          // g = grad + weightDecay · θ
                    v[i] = momentum * v[i] + g;                   // v = momentum · v + g
                    theta[i] -= lr * (momentum > 0 ? v[i] : g);   // θ -= lr · v
                }
                assertClose(theta, p.tensor().toArray(), "sgd momentum " + momentum + " step " + (step + 1));
            }
            sgd.close();
            p.close();
        }
    }

    @Test
    void adamFollowsAlgorithmOneWithBiasCorrection() {
        Random r = new Random(2);
        float[] theta0 = random(r, 1);
        Parameter p = new Parameter("w", Tensors.fromArray(CPU, theta0, N));
        float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = 0.05f;
        Adam adam = new Adam(List.of(p), lr, b1, b2, eps, wd);
        double[] theta = new double[N];
        double[] m = new double[N];
        double[] v = new double[N];
        for (int i = 0; i < N; i++) theta[i] = theta0[i];
        for (int t = 1; t <= STEPS; t++) {
            float[] grad = random(r, 2);
            setGrad(p, grad);
            adam.step();
            for (int i = 0; i < N; i++) {
                double g = grad[i] + wd * theta[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            assertClose(theta, p.tensor().toArray(), "adam step " + t);
        }
        assertEquals(STEPS, adam.stepCount());
        adam.close();
        p.close();
    }

    @Test
    void parametersWithoutAGradientAreLeftAlone() {
        Parameter p = new Parameter("w", Tensors.fromArray(CPU, new float[] {1, 2}, 2));
        Sgd sgd = new Sgd(List.of(p), 0.5f);
        sgd.step();
        assertArrayEquals(new float[] {1, 2}, p.tensor().toArray());
        p.tensor().setGrad(Tensors.fromArray(CPU, new float[] {1, -1}, 2).keep());
        sgd.step();
        assertArrayEquals(new float[] {0.5f, 2.5f}, p.tensor().toArray());
        sgd.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, p.grad().toArray());
        p.close();
    }

    @Test
    void stepLrMultipliesByGammaEveryStepSizeCalls() {
        Parameter p = new Parameter("w", Tensors.zeros(CPU, 1));
        Sgd sgd = new Sgd(List.of(p), 0.1f);
        StepLr schedule = new StepLr(sgd, 3, 0.5f);
        float[] expected = {0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f, 0.025f, 0.025f, 0.025f, 0.0125f};
        for (int k = 0; k < expected.length; k++) {
            assertEquals(k, schedule.count());
            assertEquals(expected[k], sgd.learningRate(), 1e-9f, "after " + k + " calls");
            assertEquals(expected[k], schedule.learningRate(), 1e-9f);
            schedule.step();
        }
        assertThrows(IllegalArgumentException.class, () -> new StepLr(sgd, 0, 0.5f));
        p.close();
    }

    @Test
    void badHyperparametersAreRejected() {
        Parameter p = new Parameter("w", Tensors.zeros(CPU, 1));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), -1f));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1f, 1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1f, 1f, 0.999f, 1e-8f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1f));
        p.close();
    }
}
