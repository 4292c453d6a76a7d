package org.deephash4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;
import org.deephash4j.backend.cpu.CpuBackend;
import org.deephash4j.backend.cpu.CpuKernels;
import org.deephash4j.backend.cpu.ReferenceKernels;
import org.deephash4j.backend.cpu.VectorKernels;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.testing.ArrayAsserts;
import org.junit.jupiter.api.Test;

/**
 * The ops that allocate their outputs with {@code Tensors.forOverwrite} (convolution, pooling,
 * batch normalisation, unary and binary functions) give the same bits when the CPU backend hands
 * them arrays full of NaN left by closed storages as when it hands them fresh ones: every such
 * output is written in full by its kernel, on both kernel sets.
 */
class ForOverwriteTest {
    // Every activation of the block below holds at least 64K floats, so the backend reuses their arrays.
    private static final int[] IMAGES = {4, 8, 48, 48};

    @Test
    void reusedArraysFullOfNanChangeNothingOnTheVectorKernels() {
        check(new VectorKernels());
    }

    @Test
    void reusedArraysFullOfNanChangeNothingOnTheReferenceKernels() {
        check(new ReferenceKernels());
    }

    private static void check(CpuKernels kernels) {
        float[][] fresh = step(new CpuBackend(kernels), false);
        float[][] dirty = step(new CpuBackend(kernels), true);
        for (int i = 0; i < fresh.length; i++) {
            assertTrue(allFinite(fresh[i]), "output " + i + " of the fresh run");
            assertArrayEquals(fresh[i], dirty[i], "output " + i + " with arrays full of NaN reused");
        }
    }

    /** Loss, input gradient and parameter gradients of conv, batch norm, ReLU, max pool, add, tanh. */
    private static float[][] step(Backend backend, boolean poison) {
        if (poison) {
            // Leave arrays of every size the step allocates, full of NaN, for the backend to reuse.
            // All open at once, then closed: the pool keeps twelve of each.
            long[] sizes = {4L * 8 * 48 * 48, 4L * 16 * 48 * 48};
            Storage[] storages = new Storage[12 * sizes.length];
            for (int i = 0; i < storages.length; i++) {
                long size = sizes[i % sizes.length];
                storages[i] = backend.allocate(size);
                backend.fill(storages[i], Float.NaN, size);
            }
            for (Storage s : storages) {
                s.close();
            }
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensors.rand(backend, 1L, -1f, 1f, IMAGES).setRequiresGrad(true);
            Tensor w = Tensors.rand(backend, 2L, -0.2f, 0.2f, 16, 8, 3, 3).setRequiresGrad(true);
            Tensor gamma = Tensors.rand(backend, 3L, 0.5f, 1.5f, 16).setRequiresGrad(true);
            Tensor beta = Tensors.rand(backend, 4L, -0.5f, 0.5f, 16).setRequiresGrad(true);
            Tensor y = Ops.conv2d(x, w, null, 1, 1);
            y = Ops.batchNorm(y, gamma, beta, null, null, true, 0.1f, 1e-5f);
            Tensor r = Ops.relu(y);
            Tensor z = Ops.add(r, Ops.tanh(y));
            Tensor p = Ops.maxPool2d(z, 3, 3, 2, 1);
            Tensor loss = Ops.sum(Ops.mul(p, Tensors.rand(backend, 5L, -1f, 1f, p.shape().dims())));
            Graph.backward(loss);
            return new float[][] {loss.toArray(), x.grad().toArray(), w.grad().toArray(), gamma.grad().toArray(),
                    beta.grad().toArray()};
        }
    }

    private static boolean allFinite(float[] values) {
        return Arrays.stream(ArrayAsserts.toDouble(values)).allMatch(Double::isFinite);
    }
}
