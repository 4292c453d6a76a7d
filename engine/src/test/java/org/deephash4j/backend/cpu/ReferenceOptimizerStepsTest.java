package org.deephash4j.backend.cpu;

import static org.deephash4j.testing.ArrayAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.deephash4j.testing.ArrayAsserts;
import org.deephash4j.testing.TestArrays;
import org.junit.jupiter.api.Test;

/**
 * ReferenceOptimizerSteps against the update rules written out in double (Backend's javadoc),
 * three steps each so momentum, moments and bias corrections all matter: atol 1e-6, rtol 1e-5.
 */
class ReferenceOptimizerStepsTest {

    @Test
    void sgdWithAndWithoutMomentum() {
        for (int n : new int[] {1, 7, 61}) {
            for (float momentum : new float[] {0f, 0.9f}) {
                float lr = 0.1f, weightDecay = 0.01f;
                float[] param = TestArrays.uniform(1300 + n, n, -1, 1);
                float[] velocity = momentum > 0 ? new float[n] : null;
                double[] p = ArrayAsserts.toDouble(param);
                double[] vel = new double[n];
                for (int step = 0; step < 3; step++) {
                    float[] grad = TestArrays.uniform(1400 + 10L * n + step, n, -1, 1);
                    ReferenceOptimizerSteps.sgdStep(param, grad, velocity, lr, momentum, weightDecay, n);
                    for (int i = 0; i < n; i++) {
                        double g = grad[i] + (double) weightDecay * p[i];
                        vel[i] = momentum * vel[i] + g;
                        p[i] -= lr * (momentum > 0 ? vel[i] : g);
                    }
                }
                String what = "ReferenceOptimizerSteps.sgdStep n=" + n + " momentum=" + momentum;
                assertClose(what + " param", p, param, 1e-6, 1e-5);
                if (velocity != null) assertClose(what + " velocity", vel, velocity, 1e-6, 1e-5);
            }
        }
    }

    @Test
    void adamThreeSteps() {
        for (int n : new int[] {1, 7, 61}) {
            for (float weightDecay : new float[] {0f, 0.05f}) {
                float lr = 0.01f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
                float[] param = TestArrays.uniform(1500 + n, n, -1, 1);
                float[] m = new float[n];
                float[] v = new float[n];
                double[] p = ArrayAsserts.toDouble(param);
                double[] md = new double[n];
                double[] vd = new double[n];
                for (int step = 1; step <= 3; step++) {
                    float[] grad = TestArrays.uniform(1600 + 10L * n + step, n, -1, 1);
                    ReferenceOptimizerSteps.adamStep(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step, n);
                    for (int i = 0; i < n; i++) {
                        double g = grad[i] + (double) weightDecay * p[i];
                        md[i] = beta1 * md[i] + (1 - (double) beta1) * g;
                        vd[i] = beta2 * vd[i] + (1 - (double) beta2) * g * g;
                        double mHat = md[i] / (1 - Math.pow(beta1, step));
                        double vHat = vd[i] / (1 - Math.pow(beta2, step));
                        p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                    }
                }
                String what = "ReferenceOptimizerSteps.adamStep n=" + n + " weightDecay=" + weightDecay;
                assertClose(what + " param", p, param, 1e-6, 1e-5);
                assertClose(what + " m", md, m, 1e-6, 1e-5);
                assertClose(what + " v", vd, v, 1e-6, 1e-5);
            }
        }
    }

    @Test
    void adamRejectsStepZero() {
        assertThrows(IllegalArgumentException.class, () -> ReferenceOptimizerSteps.adamStep(new float[1], new float[1],
                new float[1], new float[1], 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0, 1));
    }
}
