package org.deephash4j.doctor;

import java.util.SplittableRandom;
import org.deephash4j.autograd.Graph;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Labels;
import org.deephash4j.hashing.HashNet;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.Flatten;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.MaxPool2d;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;
import org.deephash4j.optim.Adam;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;

/**
 * One training step of the LeNet-sized hashing network on a fixed seeded batch, the hot path of
 * {@code deephash train}: input [N, 1, 28, 28]; conv 5×5 32 pad 2, ReLU, max-pool 2, conv 5×5 64
 * pad 2, ReLU, max-pool 2, flatten (3136), linear 3136→500, ReLU, linear 500→48; HashNet's
 * weighted pairwise likelihood on the 48 outputs (Cao et al., ICCV 2017; METHODS.md §3, with the
 * continuation β and balance weights) and an Adam step (lr 1e-3). {@link #step()} uploads the
 * batch, runs forward, backward and update, and reads the loss back (which waits for the device).
 */
final class LeNetHashStep implements AutoCloseable {
    static final int BITS = 48;
    static final int CLASSES = 10;
    private static final int PIXELS = 28 * 28;

    private final Backend backend;
    private final int batch;
    private final Sequential net;
    private final Adam adam;
    private final HashNet hashNet = new HashNet(BITS);
    private final float[] images;
    private final Labels labels;

    LeNetHashStep(Backend backend, int batch, long seed) {
        this.backend = backend;
        this.batch = batch;
        net = new Sequential(
                new Conv2d(backend, 1, 32, 5, 1, 2, seed), new MaxPool2d(2), new ReLU(),   // the zoo's order
                new Conv2d(backend, 32, 64, 5, 1, 2, seed + 1), new MaxPool2d(2), new ReLU(),
                new Flatten(),
                new Linear(backend, 64 * 7 * 7, 500, seed + 2), new ReLU(),
                new Linear(backend, 500, BITS, seed + 3));
        adam = new Adam(net.parameters(), 1e-3f);
        images = KernelChecks.random(seed + 4, batch * PIXELS);
        int[] classes = new int[batch];
        SplittableRandom r = new SplittableRandom(seed + 5);
        for (int i = 0; i < batch; i++) classes[i] = r.nextInt(CLASSES);
        labels = Labels.single(classes, CLASSES);
    }

    int batch() {
        return batch;
    }

    /** One step; returns its loss. */
    float step() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensors.fromArray(backend, images, batch, 1, 28, 28);
            adam.zeroGrad();
            Tensor loss = hashNet.lossOnOutputs(net.forward(x), labels, null);
            Graph.backward(loss);
            adam.step();
            hashNet.afterStep();
            return loss.item();
        }
    }

    @Override
    public void close() {
        adam.close();
        net.close();
    }
}
