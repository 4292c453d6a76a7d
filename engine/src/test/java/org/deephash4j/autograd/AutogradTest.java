package org.deephash4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** Graph bookkeeping, NoGrad, TensorScope lifetimes, sign, dropout and the argument checks of Ops. */
class AutogradTest {
    private static final Backend CPU = Backends.cpu();

    /** The identity, remembering the gradient it was handed, to watch what Graph does with it. */
    static final class SpyOp extends Op {
        Tensor seenGradOutput;

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor y = Tensors.zeros(backend(), in[0].shape().dims());
            backend().copy(y.storage(), 0, in[0].storage(), 0, y.size());
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            seenGradOutput = gradOutput;
            Tensor g = Tensors.zeros(backend(), gradOutput.shape().dims());
            backend().copy(g.storage(), 0, gradOutput.storage(), 0, g.size());
            return new Tensor[] {g};
        }
    }

    @Test
    void backwardReleasesIntermediateGradientsAndUnlinksTheGraph() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensors.fromArray(CPU, new float[] {1, -2, 3}, 3).setRequiresGrad(true);
            SpyOp spy = new SpyOp();
            Tensor h = Ops.tanh(x);
            Tensor s = spy.apply(h);
            Tensor loss = Ops.sum(Ops.square(s));
            Graph.backward(loss);
            assertNotNull(spy.seenGradOutput);
            assertTrue(spy.seenGradOutput.isClosed(), "the gradient of an intermediate tensor is released after use");
            assertNull(loss.gradFn());
            assertNull(s.gradFn());
            assertNull(h.gradFn());
            assertNull(spy.inputs(), "an op drops its inputs after its backward");
            // leaf gradient d/dx Σ tanh(x)² = 2 tanh(x) (1 - tanh²(x)), and it is kept
            float[] g = x.grad().toArray();
            float[] v = {1, -2, 3};
            for (int i = 0; i < 3; i++) {
                double t = Math.tanh(v[i]);
                assertEquals(2 * t * (1 - t * t), g[i], 1e-5);
            }
            assertFalse(x.grad().isClosed());
        }
    }

    @Test
    void leafGradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensors.fromArray(CPU, new float[] {0.5f, -1.5f}, 2).setRequiresGrad(true);
        Graph.backward(Ops.sum(Ops.scale(x, 3f)));
        Graph.backward(Ops.sum(Ops.scale(x, 3f)));
        assertArrayEquals(new float[] {6f, 6f}, x.grad().toArray());
        x.close();
    }

    @Test
    void noGradRecordsNoGraph() {
        Tensor x = Tensors.fromArray(CPU, new float[] {1, 2, 3, 4}, 2, 2).setRequiresGrad(true);
        try (NoGrad off = NoGrad.enter()) {
            assertFalse(NoGrad.isGradEnabled());
            Tensor y = Ops.relu(Ops.matmul(x, x));
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            assertThrows(IllegalStateException.class, () -> Graph.backward(Ops.sum(y)));
            try (NoGrad nested = NoGrad.enter()) {
                assertFalse(NoGrad.isGradEnabled());
            }
            assertFalse(NoGrad.isGradEnabled(), "leaving a nested NoGrad keeps the outer one");
        }
        assertTrue(NoGrad.isGradEnabled());
        Tensor y = Ops.relu(x);
        assertTrue(y.requiresGrad());
        assertNotNull(y.gradFn());
        x.close();
    }

    @Test
    void detachStopsTheGradient() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensors.fromArray(CPU, new float[] {1, 2}, 2).setRequiresGrad(true);
            Tensor h = Ops.scale(x, 3f);
            Tensor d = Ops.detach(h);
            assertFalse(d.requiresGrad());
            assertArrayEquals(h.toArray(), d.toArray());
            // loss = Σ (h · detach(h)): dloss/dx = 3 · detach(h) only
            Graph.backward(Ops.sum(Ops.mul(h, d)));
            assertArrayEquals(new float[] {9f, 18f}, x.grad().toArray());
        }
    }

    @Test
    void opsOnTensorsThatNeedNoGradientRecordNothing() {
        Tensor x = Tensors.fromArray(CPU, new float[] {1, 2}, 2);
        Tensor y = Ops.exp(x);
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
    }

    @Test
    void tensorScopeClosesWhatItMadeExceptKeptTensors() {
        Tensor outside = Tensors.zeros(CPU, 3);
        Tensor made;
        Tensor kept;
        Tensor viaOp;
        Tensor innerKept;
        try (TensorScope scope = TensorScope.open()) {
            made = Tensors.ones(CPU, 4);
            kept = Tensors.ones(CPU, 4).keep();
            viaOp = Ops.relu(made);
            try (TensorScope inner = TensorScope.open()) {
                innerKept = Ops.neg(made).keep();    // moves to the outer scope
            }
            assertFalse(innerKept.isClosed(), "kept in the inner scope: survives it");
        }
        assertTrue(made.isClosed());
        assertTrue(viaOp.isClosed(), "tensors made by ops are tracked by the scope");
        assertTrue(innerKept.isClosed(), "a tensor kept in an inner scope belongs to the outer scope");
        assertFalse(kept.isClosed());
        assertFalse(outside.isClosed());
        assertArrayEquals(new float[] {1, 1, 1, 1}, kept.toArray());
        kept.close();
        outside.close();
    }

    @Test
    void signHasNoGradientAndMapsZeroToPlusOne() {
        Tensor x = Tensors.fromArray(CPU, new float[] {-2f, 0f, 3f, -0.001f}, 4).setRequiresGrad(true);
        Tensor s = Ops.sign(x);
        assertFalse(s.requiresGrad());
        assertNull(s.gradFn());
        assertArrayEquals(new float[] {-1f, 1f, 1f, -1f}, s.toArray());
        x.close();
        s.close();
    }

    @Test
    void dropoutMaskIsInvertedSeededAndItsGradientIsTheMask() {
        int n = 20_000;
        float p = 0.3f;
        try (TensorScope scope = TensorScope.open()) {
            Tensor ones = Tensors.ones(CPU, n).setRequiresGrad(true);
            Tensor y = Ops.dropout(ones, p, 7L);
            float[] mask = y.toArray();
            int dropped = 0;
            for (float m : mask) {
                assertTrue(m == 0f || m == 1f / (1f - p), "mask value " + m);
                if (m == 0f) dropped++;
            }
            // a binomial(20000, 0.3) count is within 0.3 ± 0.02 with overwhelming probability
            assertEquals(p, dropped / (double) n, 0.02);
            assertArrayEquals(mask, Ops.dropout(Tensors.ones(CPU, n), p, 7L).toArray(), "same seed, same mask");
            assertFalse(java.util.Arrays.equals(mask, Ops.dropout(Tensors.ones(CPU, n), p, 8L).toArray()));
            Graph.backward(y, Tensors.ones(CPU, n));
            assertArrayEquals(mask, ones.grad().toArray(), "d(x·mask)/dx = mask");
            Tensor x = Tensors.ones(CPU, 3);
            assertSame(x, Ops.dropout(x, 0f, 1L), "p = 0 is the identity");
            assertThrows(IllegalArgumentException.class, () -> Ops.dropout(x, 1f, 1L));
        }
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void badShapesFailAtOnceNamingTheOpAndTheShapes() {
        try (TensorScope scope = TensorScope.open()) {
            assertMessage("matmul: A is [64, 30] and B is [31, 10]; inner dimensions must match (transA=false, transB=false)",
                    () -> Ops.matmul(Tensors.zeros(CPU, 64, 30), Tensors.zeros(CPU, 31, 10)));
            assertMessage("matmul: A is [30, 64] and B is [31, 10]; inner dimensions must match (transA=true, transB=false)",
                    () -> Ops.matmul(Tensors.zeros(CPU, 30, 64), Tensors.zeros(CPU, 31, 10), true, false));
            assertMessage("matmul: A is [2, 3, 4] and B is [4, 2]; both must be matrices (rank 2)",
                    () -> Ops.matmul(Tensors.zeros(CPU, 2, 3, 4), Tensors.zeros(CPU, 4, 2)));
            assertMessage("linear: input [8, 5] has 5 features but weight [3, 4] expects 4 (weight is [out, in])",
                    () -> Ops.linear(Tensors.zeros(CPU, 8, 5), Tensors.zeros(CPU, 3, 4), null));
            assertMessage("linear: bias [4] must be [3] for weight [3, 4]",
                    () -> Ops.linear(Tensors.zeros(CPU, 8, 4), Tensors.zeros(CPU, 3, 4), Tensors.zeros(CPU, 4)));
            assertMessage("conv2d: input [128, 3, 28, 28] has 3 channels but weight [32, 1, 5, 5] expects 1"
                            + " (weight is [outC, inC, kH, kW])",
                    () -> Ops.conv2d(Tensors.zeros(CPU, 128, 3, 28, 28), Tensors.zeros(CPU, 32, 1, 5, 5), null, 1, 2));
            assertMessage("conv2d: input [2, 28, 28] must be [N, C, H, W]",
                    () -> Ops.conv2d(Tensors.zeros(CPU, 2, 28, 28), Tensors.zeros(CPU, 32, 1, 5, 5), null, 1, 2));
            assertMessage("add: a is [2, 3] and b is [3, 2]; shapes must be equal"
                            + " (no implicit broadcasting; use addBias / mulBias for a vector over dim 1)",
                    () -> Ops.add(Tensors.zeros(CPU, 2, 3), Tensors.zeros(CPU, 3, 2)));
            assertMessage("addBias: x is [4, 3, 2, 2] and the vector is [4]; expected [3] (one value per entry of dim 1)",
                    () -> Ops.addBias(Tensors.zeros(CPU, 4, 3, 2, 2), Tensors.zeros(CPU, 4)));
            assertMessage("sum: axis 3 is out of range for [2, 3, 4] (rank 3)",
                    () -> Ops.sum(Tensors.zeros(CPU, 2, 3, 4), 3));
            assertMessage("softmaxCrossEntropy: labels [3] must be [2] for logits [2, 5]",
                    () -> Ops.softmaxCrossEntropy(Tensors.zeros(CPU, 2, 5), Tensors.zeros(CPU, 3)));
            assertMessage("softmaxCrossEntropy: labels[1] = 5.0 is not a class index in [0, 5)",
                    () -> Ops.softmaxCrossEntropy(Tensors.zeros(CPU, 2, 5), Tensors.fromArray(CPU, new float[] {0, 5}, 2)));
            assertMessage("transpose: x is [2, 3, 4]; expected a matrix (rank 2)",
                    () -> Ops.transpose(Tensors.zeros(CPU, 2, 3, 4)));
            IllegalArgumentException pool = assertThrows(IllegalArgumentException.class,
                    () -> Ops.maxPool2d(Tensors.zeros(CPU, 1, 1, 3, 3), 5, 5, 1, 0));
            assertTrue(pool.getMessage().startsWith("maxPool2d: "), pool.getMessage());
            IllegalArgumentException reshape = assertThrows(IllegalArgumentException.class,
                    () -> Ops.reshape(Tensors.zeros(CPU, 2, 3), 4, 2));
            assertTrue(reshape.getMessage().contains("[2, 3]") && reshape.getMessage().contains("[4, 2]"),
                    reshape.getMessage());
        }
    }
}
