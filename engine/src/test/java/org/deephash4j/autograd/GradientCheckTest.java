package org.deephash4j.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.UnaryOp;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/** The checker must fail when a backward is wrong (a check that cannot fail proves nothing). */
class GradientCheckTest {
    private static final Backend CPU = Backends.cpu();

    /** y = x², with the derivative deliberately wrong: dx = dy · x (the factor 2 is missing). */
    static final class WrongSquareOp extends Op {
        @Override
        protected Tensor forward(Tensor... in) {
            Tensor y = Tensors.zeros(backend(), in[0].shape().dims());
            backend().unary(UnaryOp.SQUARE, y.storage(), in[0].storage(), y.size());
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            Tensor g = Tensors.zeros(backend(), gradOutput.shape().dims());
            backend().binary(BinaryOp.MUL, g.storage(), gradOutput.storage(), inputs()[0].storage(), g.size());
            return new Tensor[] {g};
        }
    }

    @Test
    void aWrongBackwardFailsTheCheck() {
        AssertionError e = assertThrows(AssertionError.class, () -> GradientCheck.named("wrong square")
                .input(Oracles.uniform(1, 15, -1, 1), 3, 5)
                .engine(t -> new WrongSquareOp().apply(t[0]))
                .oracle(x -> Oracles.map(x[0], v -> v * v))
                .run(CPU));
        assertTrue(e.getMessage().contains("wrong square") && e.getMessage().contains("central differences"),
                e.getMessage());
    }

    @Test
    void aWrongBackwardFailsAlongRandomDirectionsOfALargeInput() {
        int n = GradientCheck.MAX_COORDINATES + 101;
        assertThrows(AssertionError.class, () -> GradientCheck.named("wrong square, large")
                .input(Oracles.uniform(2, n, 0.5f, 1), n)
                .engine(t -> new WrongSquareOp().apply(t[0]))
                .oracle(x -> Oracles.map(x[0], v -> v * v))
                .run(CPU));
        // the same large input passes with the right op, so the failure above is the op's
        GradientCheck.named("square, large")
                .input(Oracles.uniform(2, n, 0.5f, 1), n)
                .engine(t -> Ops.square(t[0]))
                .oracle(x -> Oracles.map(x[0], v -> v * v))
                .run(CPU);
    }

    @Test
    void aWrongForwardFailsTheCheck() {
        AssertionError e = assertThrows(AssertionError.class, () -> GradientCheck.named("tanh vs sigmoid")
                .input(Oracles.uniform(3, 6, -1, 1), 6)
                .engine(t -> Ops.tanh(t[0]))
                .oracle(x -> Oracles.map(x[0], v -> 1 / (1 + Math.exp(-v))))
                .run(CPU));
        assertTrue(e.getMessage().contains("forward"), e.getMessage());
    }
}
