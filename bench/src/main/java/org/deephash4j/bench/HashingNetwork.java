package org.deephash4j.bench;

import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.nn.Conv2d;
import org.deephash4j.nn.Flatten;
import org.deephash4j.nn.Linear;
import org.deephash4j.nn.MaxPool2d;
import org.deephash4j.nn.ReLU;
import org.deephash4j.nn.Sequential;
import org.deephash4j.tensor.Tensor;

/**
 * The LeNet-sized hashing network of issue 9 and the pairwise loss the training benchmark uses.
 *
 * <p>Network, input [N, 1, 28, 28]: conv 5×5 32 pad 2, ReLU, max-pool 2, conv 5×5 64 pad 2, ReLU,
 * max-pool 2, flatten (3136), fc 3136→500, ReLU, fc 500→48 (48 bits).
 *
 * <p>Loss, a pairwise logistic likelihood in the manner of DHN / HashNet (Zhu et al. 2016,
 * Cao et al. 2017, without their weights and quantization term): with u = tanh(z) and
 * θ_ij = α · u_i·u_j,
 * L = (1 / N²) Σ_ij [ softplus(θ_ij) - s_ij θ_ij ], s_ij = 1 when images i and j share a label.
 */
final class HashingNetwork {
    /** Code length (K in the papers). */
    static final int BITS = 48;
    /** Scale of the inner products: u·u lies in [-48, 48]; α = 10 / bits, as the peer shared/peers/torch_step.py. */
    static final float ALPHA = 10f / BITS;

    private HashingNetwork() {
    }

    static Sequential build(Backend backend, long seed) {
        return new Sequential(
                new Conv2d(backend, 1, 32, 5, 1, 2, seed),
                new MaxPool2d(2),      // before ReLU, as the zoo's lenet: the same function (see Backbone)
                new ReLU(),
                new Conv2d(backend, 32, 64, 5, 1, 2, seed + 1),
                new MaxPool2d(2),
                new ReLU(),
                new Flatten(),
                new Linear(backend, 64 * 7 * 7, 500, seed + 2),
                new ReLU(),
                new Linear(backend, 500, BITS, seed + 3));
    }

    /** The loss above for outputs z [N, BITS] and the similarity matrix s [N, N] (0 or 1). */
    static Tensor pairwiseLoss(Tensor z, Tensor similarity) {
        Tensor u = Ops.tanh(z);
        Tensor theta = Ops.scale(Ops.matmul(u, u, false, true), ALPHA);
        return Ops.mean(Ops.sub(Ops.softplus(theta), Ops.mul(similarity, theta)));
    }

    /** s[i, j] = 1 when labels i and j are equal, else 0. */
    static float[] similarity(int[] labels) {
        int n = labels.length;
        float[] s = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i * n + j] = labels[i] == labels[j] ? 1f : 0f;
            }
        }
        return s;
    }
}
