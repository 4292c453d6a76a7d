package org.deephash4j.nn;

import static org.deephash4j.autograd.Oracles.distinct;
import static org.deephash4j.autograd.Oracles.offZero;
import static org.deephash4j.autograd.Oracles.uniform;

import org.deephash4j.autograd.GradientCheck;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Ops;
import org.deephash4j.autograd.Oracles;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.CounterRandom;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * A finite-difference gradient check of every layer, with respect to its input and every
 * parameter ({@link GradientCheck}: double oracle, h = 1e-6, atol = 1e-4, rtol = 1e-3).
 */
class LayerGradientTest {
    private static final Backend CPU = Backends.cpu();

    @Test
    void linear() {
        for (boolean bias : new boolean[] {true, false}) {
            try (Linear layer = new Linear(CPU, 7, 3, bias, 11)) {
                GradientCheck check = GradientCheck.named("Linear(7 -> 3), bias " + bias)
                        .input(uniform(1, 35, -1, 1), 5, 7)
                        .input(layer.weight().tensor());
                if (bias) check.input(layer.bias().tensor());
                check.engine(t -> layer.forward(t[0]))
                        .oracle(x -> Oracles.linear(x[0], x[1], bias ? x[2] : null, 5, 7, 3))
                        .run(CPU);
            }
        }
    }

    @Test
    void conv2d() {
        // {N, C, H, W, outC, kH, kW, stride, padding}
        int[][] cases = {{2, 3, 7, 6, 4, 3, 2, 2, 1}, {1, 1, 5, 5, 2, 5, 5, 1, 2}, {3, 2, 4, 9, 1, 1, 3, 1, 0}};
        long seed = 20;
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], w = c[3], oc = c[4], kh = c[5], kw = c[6], s = c[7], p = c[8];
            try (Conv2d layer = new Conv2d(CPU, ch, oc, kh, kw, s, p, true, seed++)) {
                GradientCheck.named("Conv2d " + layer)
                        .input(uniform(seed++, n * ch * h * w, -1, 1), n, ch, h, w)
                        .input(layer.weight().tensor())
                        .input(layer.bias().tensor())
                        .engine(t -> layer.forward(t[0]))
                        .oracle(x -> Oracles.conv2d(x[0], x[1], x[2], n, ch, h, w, oc, kh, kw, s, p))
                        .run(CPU);
            }
        }
    }

    @Test
    void pooling() {
        GradientCheck.named("MaxPool2d(2)").input(distinct(30, 2 * 3 * 6 * 8), 2, 3, 6, 8)
                .engine(t -> new MaxPool2d(2).forward(t[0]))
                .oracle(x -> Oracles.pool2d(true, x[0], 2, 3, 6, 8, 2, 2, 2, 0)).run(CPU);
        GradientCheck.named("MaxPool2d(3x2, stride 2, padding 1)").input(distinct(31, 1 * 2 * 7 * 5), 1, 2, 7, 5)
                .engine(t -> new MaxPool2d(3, 2, 2, 1).forward(t[0]))
                .oracle(x -> Oracles.pool2d(true, x[0], 1, 2, 7, 5, 3, 2, 2, 1)).run(CPU);
        GradientCheck.named("AvgPool2d(2)").input(uniform(32, 2 * 3 * 6 * 8, -1, 1), 2, 3, 6, 8)
                .engine(t -> new AvgPool2d(2).forward(t[0]))
                .oracle(x -> Oracles.pool2d(false, x[0], 2, 3, 6, 8, 2, 2, 2, 0)).run(CPU);
        GradientCheck.named("AvgPool2d(3x2, stride 2, padding 1)").input(uniform(33, 1 * 2 * 7 * 5, -1, 1), 1, 2, 7, 5)
                .engine(t -> new AvgPool2d(3, 2, 2, 1).forward(t[0]))
                .oracle(x -> Oracles.pool2d(false, x[0], 1, 2, 7, 5, 3, 2, 2, 1)).run(CPU);
    }

    @Test
    void activationsAndFlatten() {
        GradientCheck.named("ReLU").input(offZero(40, 30, 0.05f), 2, 3, 5)
                .engine(t -> new ReLU().forward(t[0])).oracle(x -> Oracles.map(x[0], v -> Math.max(v, 0))).run(CPU);
        GradientCheck.named("Sigmoid").input(uniform(41, 30, -4, 4), 2, 3, 5)
                .engine(t -> new Sigmoid().forward(t[0])).oracle(x -> Oracles.map(x[0], v -> 1 / (1 + Math.exp(-v)))).run(CPU);
        GradientCheck.named("Tanh").input(uniform(42, 30, -3, 3), 2, 3, 5)
                .engine(t -> new Tanh().forward(t[0])).oracle(x -> Oracles.map(x[0], Math::tanh)).run(CPU);
        GradientCheck.named("Flatten then a linear map").input(uniform(43, 30, -1, 1), 2, 3, 5)
                .input(uniform(44, 60, -1, 1), 4, 15)
                .engine(t -> Ops.linear(new Flatten().forward(t[0]), t[1], null))
                .oracle(x -> Oracles.linear(x[0], x[1], null, 2, 15, 4)).run(CPU);
    }

    @Test
    void dropoutInTrainingAndEvaluation() {
        float p = 0.4f;
        long seed = 5;
        float[] mask;
        try (NoGrad off = NoGrad.enter()) {
            // the layer's first call uses the mask of seed CounterRandom.bits(seed, 0)
            mask = Ops.dropout(Tensors.ones(CPU, 6, 7), p, CounterRandom.bits(seed, 0)).toArray();
        }
        Dropout layer = new Dropout(p, seed);
        GradientCheck.named("Dropout(0.4), training").input(uniform(50, 42, -1, 1), 6, 7)
                .engine(t -> layer.forward(t[0]))
                .oracle(x -> {
                    double[] y = new double[42];
                    for (int i = 0; i < 42; i++) y[i] = x[0][i] * mask[i];
                    return y;
                }).run(CPU);
        layer.eval();
        GradientCheck.named("Dropout(0.4), evaluation: identity").input(uniform(51, 42, -1, 1), 6, 7)
                .engine(t -> Ops.scale(layer.forward(t[0]), 1f))
                .oracle(x -> x[0].clone()).run(CPU);
    }

    @Test
    void sequentialNetwork() {
        // conv 3x3 pad 1 -> tanh -> max-pool 2 -> flatten -> linear 12 -> 3: every parameter checked
        try (Sequential net = new Sequential(new Conv2d(CPU, 2, 3, 3, 1, 1, 60), new Tanh(), new MaxPool2d(2),
                new Flatten(), new Linear(CPU, 12, 3, 61))) {
            Tensor[] p = net.parameters().stream().map(Parameter::tensor).toArray(Tensor[]::new);
            GradientCheck.named("Sequential(conv, tanh, max-pool, flatten, linear)")
                    .input(uniform(62, 2 * 2 * 4 * 4, -1, 1), 2, 2, 4, 4)
                    .input(p[0]).input(p[1]).input(p[2]).input(p[3])
                    .engine(t -> net.forward(t[0]))
                    .oracle(x -> {
                        double[] h = Oracles.conv2d(x[0], x[1], x[2], 2, 2, 4, 4, 3, 3, 3, 1, 1);
                        h = Oracles.map(h, Math::tanh);
                        h = Oracles.pool2d(true, h, 2, 3, 4, 4, 2, 2, 2, 0);
                        return Oracles.linear(h, x[3], x[4], 2, 12, 3);
                    }).run(CPU);
        }
    }
}
