package org.deephash4j.autograd;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y = a op b element-wise for two tensors of the same shape, op one of {@link BinaryOp}.
 *
 * <p>Backward (dy = gradOutput): add: da = dy, db = dy; sub: da = dy, db = -dy;
 * mul: da = dy · b, db = dy · a; div: da = dy / b, db = -dy · a / b² = -(dy · y) / b.
 * Every gradient is a fresh tensor, so Graph may accumulate into it without touching dy.
 */
final class BinaryFunctionOp extends Op {
    private final BinaryOp function;
    private Tensor output;            // div's gradient for b reads y = a / b

    BinaryFunctionOp(BinaryOp function) {
        this.function = function;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        output = Tensors.forOverwrite(backend(), in[0].shape().dims());
        backend().binary(function, output.storage(), in[0].storage(), in[1].storage(), output.size());
        return output;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor a = inputs()[0];
        Tensor b = inputs()[1];
        long n = a.size();
        // Every case below writes all of gradA and gradB.
        Tensor gradA = needsGrad(0) ? Tensors.forOverwrite(backend(), a.shape().dims()) : null;
        Tensor gradB = needsGrad(1) ? Tensors.forOverwrite(backend(), b.shape().dims()) : null;
        switch (function) {
            case ADD -> {
                if (gradA != null) backend().copy(gradA.storage(), 0, gradOutput.storage(), 0, n);
                if (gradB != null) backend().copy(gradB.storage(), 0, gradOutput.storage(), 0, n);
            }
            case SUB -> {
                if (gradA != null) backend().copy(gradA.storage(), 0, gradOutput.storage(), 0, n);
                if (gradB != null) backend().affine(gradB.storage(), gradOutput.storage(), -1f, 0f, n);
            }
            case MUL -> {
                if (gradA != null) backend().binary(BinaryOp.MUL, gradA.storage(), gradOutput.storage(), b.storage(), n);
                if (gradB != null) backend().binary(BinaryOp.MUL, gradB.storage(), gradOutput.storage(), a.storage(), n);
            }
            case DIV -> {
                if (gradA != null) backend().binary(BinaryOp.DIV, gradA.storage(), gradOutput.storage(), b.storage(), n);
                if (gradB != null) {
                    backend().binary(BinaryOp.MUL, gradB.storage(), gradOutput.storage(), output.storage(), n);
                    backend().binary(BinaryOp.DIV, gradB.storage(), gradB.storage(), b.storage(), n);
                    backend().affine(gradB.storage(), gradB.storage(), -1f, 0f, n);
                }
            }
        }
        return new Tensor[] {gradA, gradB};
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
