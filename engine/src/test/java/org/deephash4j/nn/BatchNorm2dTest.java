package org.deephash4j.nn;

import static org.deephash4j.autograd.Oracles.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deephash4j.autograd.GradientCheck;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Oracles;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.testing.ArrayAsserts;
import org.junit.jupiter.api.Test;

/**
 * The BatchNorm2d layer as PyTorch defines it: batch statistics and running-statistics updates
 * (momentum 0.1, unbiased variance) in training, running statistics in evaluation, buffers named
 * and ordered as in torchvision's state_dict and kept apart from the parameters, and gradient
 * checks of the layer in both modes.
 */
class BatchNorm2dTest {
    private static final Backend CPU = Backends.cpu();

    private static double[] d(float[] v) {
        return ArrayAsserts.toDouble(v);
    }

    /** Per-channel batch mean and unbiased variance of x [n, c, spatial], in double. */
    private static double[][] batchStatistics(float[] x, int n, int c, int spatial) {
        double[] mean = new double[c];
        double[] unbiased = new double[c];
        int m = n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) for (int p = 0; p < spatial; p++) s += x[(i * c + ch) * spatial + p];
            mean[ch] = s / m;
            double q = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < spatial; p++) q += Math.pow(x[(i * c + ch) * spatial + p] - mean[ch], 2);
            }
            unbiased[ch] = q / (m - 1);
        }
        return new double[][] {mean, unbiased};
    }

    @Test
    void trainingUpdatesTheRunningStatisticsAsPyTorch() {
        int n = 3, c = 4, h = 5, w = 2;
        try (BatchNorm2d bn = new BatchNorm2d(CPU, c); TensorScope scope = TensorScope.open()) {
            double[] expectedMean = new double[c];
            double[] expectedVar = new double[c];
            java.util.Arrays.fill(expectedVar, 1.0);
            for (int step = 0; step < 3; step++) {
                float[] x = uniform(10 + step, n * c * h * w, -1 + step, 2 + 2 * step);
                Tensor y = bn.forward(Tensors.fromArray(CPU, x, n, c, h, w));
                double[][] stats = batchStatistics(x, n, c, h * w);
                for (int ch = 0; ch < c; ch++) {
                    expectedMean[ch] = 0.9 * expectedMean[ch] + 0.1 * stats[0][ch];
                    expectedVar[ch] = 0.9 * expectedVar[ch] + 0.1 * stats[1][ch];
                }
                ArrayAsserts.assertClose("running_mean after step " + step, expectedMean, bn.runningMean().toArray(), 1e-6, 1e-5);
                ArrayAsserts.assertClose("running_var after step " + step, expectedVar, bn.runningVar().toArray(), 1e-6, 1e-5);
                assertEquals(step + 1, bn.numBatchesTracked().item(), "num_batches_tracked");
                // training output: normalised with the batch's biased variance, weight 1, bias 0
                double[] ones = new double[c];
                java.util.Arrays.fill(ones, 1.0);
                ArrayAsserts.assertClose("training output, step " + step,
                        Oracles.batchNorm(d(x), ones, new double[c], null, null, 1e-5, n, c, h * w), y.toArray(), 1e-5, 1e-5);
            }
        }
    }

    @Test
    void evaluationUsesAndKeepsTheRunningStatistics() {
        int n = 2, c = 3, h = 4, w = 3;
        try (BatchNorm2d bn = new BatchNorm2d(CPU, c); TensorScope scope = TensorScope.open()) {
            float[] mean = uniform(20, c, -1, 1);
            float[] var = uniform(21, c, 0.5f, 2f);
            float[] gamma = uniform(22, c, 0.5f, 1.5f);
            float[] beta = uniform(23, c, -1, 1);
            CPU.copyIn(bn.runningMean().storage(), 0, mean, 0, c);
            CPU.copyIn(bn.runningVar().storage(), 0, var, 0, c);
            CPU.copyIn(bn.weight().tensor().storage(), 0, gamma, 0, c);
            CPU.copyIn(bn.bias().tensor().storage(), 0, beta, 0, c);
            bn.eval();
            float[] x = uniform(24, n * c * h * w, -2, 2);
            Tensor y = bn.forward(Tensors.fromArray(CPU, x, n, c, h, w));
            ArrayAsserts.assertClose("evaluation output", Oracles.batchNorm(d(x), d(gamma), d(beta), d(mean), d(var), 1e-5,
                    n, c, h * w), y.toArray(), 1e-5, 1e-5);
            ArrayAsserts.assertClose("running_mean unchanged", d(mean), bn.runningMean().toArray(), 0, 0);
            ArrayAsserts.assertClose("running_var unchanged", d(var), bn.runningVar().toArray(), 0, 0);
            assertEquals(0f, bn.numBatchesTracked().item(), "num_batches_tracked counts training batches only");
        }
    }

    @Test
    void trainingWithoutAGraphStillUpdatesTheRunningStatistics() {
        // PyTorch updates running statistics in training mode even under no_grad
        try (BatchNorm2d bn = new BatchNorm2d(CPU, 2); TensorScope scope = TensorScope.open();
             NoGrad off = NoGrad.enter()) {
            bn.forward(Tensors.fromArray(CPU, uniform(30, 16, 4, 6), 2, 2, 2, 2));
            for (float m : bn.runningMean().toArray()) assertTrue(m > 0.35f && m < 0.65f, "running mean moved by 0.1 x ~5: " + m);
            assertEquals(1f, bn.numBatchesTracked().item());
        }
    }

    @Test
    void buffersAreNamedAsTorchvisionAndKeptApartFromParameters() {
        Sequential net = new Sequential(new Conv2d(CPU, 3, 4, 3, 3, 1, 1, false, 1), new BatchNorm2d(CPU, 4), new ReLU());
        assertEquals(List.of("0.weight", "1.weight", "1.bias"), List.copyOf(net.parametersByName().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"),
                List.copyOf(net.buffersByName().keySet()));
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"),
                List.copyOf(net.stateByName().keySet()));
        assertEquals(3, net.parameters().size(), "the optimiser sees the parameters only");
        for (Tensor b : net.buffersByName().values()) assertFalse(b.requiresGrad(), "a buffer needs no gradient");
        assertEquals("[]", net.buffersByName().get("1.num_batches_tracked").shape().toString());
        Tensor runningVar = net.buffersByName().get("1.running_var");
        net.close();
        assertTrue(runningVar.isClosed(), "close() releases the buffers too");
    }

    @Test
    void aBufferNameCannotBeUsedTwice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter(new Parameter("running_mean", Tensors.zeros(CPU, 2)));
                registerBuffer("running_mean", Tensors.zeros(CPU, 2));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(e.getMessage().contains("running_mean"), e.getMessage());
    }

    @Test
    void gradientsInTrainingAndEvaluationMode() {
        int n = 3, c = 2, h = 3, w = 4;
        for (boolean training : new boolean[] {true, false}) {
            try (BatchNorm2d bn = new BatchNorm2d(CPU, c)) {
                CPU.copyIn(bn.weight().tensor().storage(), 0, uniform(40, c, 0.5f, 1.5f), 0, c);
                CPU.copyIn(bn.bias().tensor().storage(), 0, uniform(41, c, -1, 1), 0, c);
                CPU.copyIn(bn.runningMean().storage(), 0, uniform(42, c, -0.5f, 0.5f), 0, c);
                CPU.copyIn(bn.runningVar().storage(), 0, uniform(43, c, 0.5f, 2f), 0, c);
                double[] mean = d(bn.runningMean().toArray());
                double[] var = d(bn.runningVar().toArray());
                bn.train(training);
                GradientCheck.named("BatchNorm2d(" + c + "), training " + training)
                        .input(uniform(44, n * c * h * w, -1, 3), n, c, h, w)
                        .input(bn.weight().tensor())
                        .input(bn.bias().tensor())
                        .engine(t -> bn.forward(t[0]))
                        .oracle(v -> Oracles.batchNorm(v[0], v[1], v[2], training ? null : mean, training ? null : var,
                                1e-5, n, c, h * w))
                        .run(CPU);
            }
        }
    }

    @Test
    void badInputIsNamed() {
        try (BatchNorm2d bn = new BatchNorm2d(CPU, 4); TensorScope scope = TensorScope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bn.forward(Tensors.zeros(CPU, 2, 3, 4, 4)));
            assertTrue(e.getMessage().contains("[2, 3, 4, 4]") && e.getMessage().contains("[N, 4, H, W]"), e.getMessage());
        }
    }
}
