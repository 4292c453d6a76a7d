package org.deephash4j.autograd;

import org.deephash4j.backend.UnaryOp;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y = f(x) element-wise, for one {@link UnaryOp} (relu, sigmoid, tanh, exp, log, abs, softplus,
 * logCosh, square, neg); the equations and derivatives are in {@link UnaryOp}.
 *
 * <p>Backward: dx = dy · f'(x), where the kernel reads x or y, whichever the derivative needs.
 * Both stay alive as graph tensors, so this op keeps references, not copies.
 */
final class UnaryFunctionOp extends Op {
    private final UnaryOp function;
    private Tensor output;

    UnaryFunctionOp(UnaryOp function) {
        this.function = function;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        output = Tensors.forOverwrite(backend(), in[0].shape().dims());
        backend().unary(function, output.storage(), in[0].storage(), output.size());
        return output;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor x = inputs()[0];
        Tensor gradInput = Tensors.forOverwrite(backend(), x.shape().dims());
        backend().unaryBackward(function, gradInput.storage(), gradOutput.storage(), x.storage(),
                output.storage(), x.size());
        return new Tensor[] {gradInput};
    }

    @Override
    protected void releaseSaved() {
        output = null;
    }

    @Override
    public String name() {
        return function.name().toLowerCase(java.util.Locale.ROOT);
    }
}
