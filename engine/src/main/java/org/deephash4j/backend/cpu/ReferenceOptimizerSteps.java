package org.deephash4j.backend.cpu;

/**
 * Reference optimizer updates on flat parameter arrays, in place, float32.
 *
 * <p>SGD (PyTorch's form): {@code g = grad + weightDecay · param};
 * {@code velocity = momentum · velocity + g} (only when momentum &gt; 0; velocity may then be
 * null otherwise); {@code param -= lr · (momentum > 0 ? velocity : g)}.
 *
 * <p>Adam (Kingma and Ba 2015, Algorithm 1) with L2 weight decay added to the gradient:
 * {@code g = grad + weightDecay · param}; {@code m = b1·m + (1-b1)·g};
 * {@code v = b2·v + (1-b2)·g²};
 * {@code param -= lr · (m / (1 - b1^step)) / (sqrt(v / (1 - b2^step)) + eps)}, step counting
 * from 1. The bias corrections {@code 1 - b^step} are computed once in double and rounded to float.
 */
final class ReferenceOptimizerSteps {
    private ReferenceOptimizerSteps() {
    }

    static void sgdStep(float[] param, float[] grad, float[] velocity, float lr, float momentum, float weightDecay, int n) {
        for (int i = 0; i < n; i++) {
            float g = grad[i] + weightDecay * param[i];
            if (momentum > 0f) {
                velocity[i] = momentum * velocity[i] + g;
                param[i] -= lr * velocity[i];
            } else {
                param[i] -= lr * g;
            }
        }
    }

    static void adamStep(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2,
                         float eps, float weightDecay, int step, int n) {
        if (step < 1) throw new IllegalArgumentException("adamStep: step = " + step + ", expected >= 1 (Adam counts steps from 1)");
        float correction1 = (float) (1.0 - Math.pow(beta1, step));
        float correction2 = (float) (1.0 - Math.pow(beta2, step));
        for (int i = 0; i < n; i++) {
            float g = grad[i] + weightDecay * param[i];
            m[i] = beta1 * m[i] + (1f - beta1) * g;
            v[i] = beta2 * v[i] + (1f - beta2) * g * g;
            float mHat = m[i] / correction1;
            float vHat = v[i] / correction2;
            param[i] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
        }
    }
}
