package org.deephash4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.optim.Adam;
import org.deephash4j.optim.StepLr;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * End to end: the LeNet of the task (conv 5x5 32 pad 2, ReLU, max-pool 2, conv 5x5 64 pad 2,
 * ReLU, max-pool 2, flatten, fc 3136 -> 500, ReLU, fc 500 -> 10) learns a seeded synthetic
 * 28 x 28 problem, and a seed gives the same loss sequence to the last bit.
 *
 * <p>The problem: 10 classes, each a prototype image made of a few random Gaussian blobs;
 * an image is its class prototype shifted by up to ±2 pixels plus Gaussian pixel noise
 * (std {@value #NOISE}). Chance is 0.1; a broken gradient anywhere leaves the net near chance
 * in this budget, a working one reaches the stated accuracy on held-out images.
 */
class LeNetTrainingTest {
    private static final Backend CPU = Backends.cpu();
    private static final int SIDE = 28;
    private static final int CLASSES = 10;
    private static final float NOISE = 0.5f;
    static final int BATCH = 16;
    static final int STEPS = 30;
    static final int TEST_IMAGES = 100;
    static final double REQUIRED_ACCURACY = 0.9;

    /** Seeded images [count, 1, 28, 28] and labels [count]. */
    record Data(float[] images, float[] labels, int count) {
    }

    static float[][] prototypes(long seed) {
        Random r = new Random(seed);
        float[][] p = new float[CLASSES][SIDE * SIDE];
        for (int c = 0; c < CLASSES; c++) {
            for (int blob = 0; blob < 4; blob++) {
                double cy = 4 + 20 * r.nextDouble();
                double cx = 4 + 20 * r.nextDouble();
                double sigma = 1.5 + 2.5 * r.nextDouble();
                double sign = r.nextBoolean() ? 1 : -1;
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                        p[c][y * SIDE + x] += (float) (sign * Math.exp(-d2 / (2 * sigma * sigma)));
                    }
                }
            }
        }
        return p;
    }

    static Data sample(float[][] prototypes, int count, long seed) {
        Random r = new Random(seed);
        float[] images = new float[count * SIDE * SIDE];
        float[] labels = new float[count];
        for (int i = 0; i < count; i++) {
            int c = r.nextInt(CLASSES);
            labels[i] = c;
            int dy = r.nextInt(5) - 2;
            int dx = r.nextInt(5) - 2;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    int sy = y - dy;
                    int sx = x - dx;
                    float v = sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE ? prototypes[c][sy * SIDE + sx] : 0f;
                    images[(i * SIDE + y) * SIDE + x] = v + NOISE * (float) r.nextGaussian();
                }
            }
        }
        return new Data(images, labels, count);
    }

    /** Trains for {@code steps} Adam steps on fresh seeded batches; returns the loss of each step. */
    static float[] train(Sequential net, float[][] prototypes, int steps, long seed) {
        Adam adam = new Adam(net.parameters(), 1e-3f);
        StepLr schedule = new StepLr(adam, 20, 0.3f);        // a lower rate for the last steps
        float[] losses = new float[steps];
        for (int step = 0; step < steps; step++) {
            Data batch = sample(prototypes, BATCH, seed * 1_000_003L + step);
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = Tensors.fromArray(CPU, batch.images(), BATCH, 1, SIDE, SIDE);
                Tensor y = Tensors.fromArray(CPU, batch.labels(), BATCH);
                Tensor loss = Ops.softmaxCrossEntropy(net.forward(x), y);
                adam.zeroGrad();
                Graph.backward(loss);
                adam.step();
                schedule.step();
                losses[step] = loss.item();
            }
        }
        adam.close();
        return losses;
    }

    static double accuracy(Sequential net, Data data) {
        net.eval();
        int correct = 0;
        try (NoGrad off = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
            Tensor logits = net.forward(Tensors.fromArray(CPU, data.images(), data.count(), 1, SIDE, SIDE));
            float[] z = logits.toArray();
            for (int i = 0; i < data.count(); i++) {
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    if (z[i * CLASSES + c] > z[i * CLASSES + best]) best = c;
                }
                if (best == (int) data.labels()[i]) correct++;
            }
        }
        net.train();
        return correct / (double) data.count();
    }

    @Test
    void leNetLearnsTheSyntheticProblem() {
        float[][] prototypes = prototypes(2024);
        Data test = sample(prototypes, TEST_IMAGES, 99);
        try (Sequential net = ModuleTest.leNet(7)) {
            double before = accuracy(net, test);
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            float[] losses = train(net, prototypes, STEPS, 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            double after = accuracy(net, test);
            String report = String.format("LeNet on %s: %d steps of batch %d in %.1f s (%.1f s CPU on this thread);"
                            + " accuracy %.2f -> %.2f; loss %.3f -> %.3f",
                    CPU.deviceName(), STEPS, BATCH, seconds, cpuSeconds, before, after, losses[0], losses[STEPS - 1]);
            System.out.println(report);
            assertTrue(after >= REQUIRED_ACCURACY, report + " (required " + REQUIRED_ACCURACY + ", chance 0.1)");
        }
    }

    @Test
    void theSameSeedGivesTheSameLossesToTheLastBit() {
        float[][] prototypes = prototypes(2024);
        float[] first;
        float[] second;
        try (Sequential net = ModuleTest.leNet(3)) {
            first = train(net, prototypes, 2, 5);
        }
        try (Sequential net = ModuleTest.leNet(3)) {
            second = train(net, prototypes, 2, 5);
        }
        int[] a = new int[first.length];
        int[] b = new int[second.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Float.floatToRawIntBits(first[i]);
            b[i] = Float.floatToRawIntBits(second[i]);
        }
        assertArrayEquals(a, b, "loss bits of two runs from the same seed");
    }
}
