package org.deephash4j.autograd;

import org.deephash4j.backend.BinaryOp;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Inverted dropout: y = x · mask with mask[i] = 0 with probability p, else 1 / (1 - p)
 * (Srivastava et al. 2014, scaled at training time so evaluation is the identity). The mask is
 * a pure function of (seed, i) ({@code Backend.dropoutMask}), so a seed gives the same mask on
 * every backend. Backward: dx = dy · mask; the mask is owned by this op.
 */
final class DropoutOp extends Op {
    private final float p;
    private final long seed;
    private Tensor mask;

    DropoutOp(float p, long seed) {
        this.p = p;
        this.seed = seed;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        mask = Tensors.zeros(backend(), x.shape().dims());
        backend().dropoutMask(mask.storage(), p, seed, x.size());
        Tensor y = Tensors.zeros(backend(), x.shape().dims());
        backend().binary(BinaryOp.MUL, y.storage(), x.storage(), mask.storage(), x.size());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradInput = Tensors.zeros(backend(), gradOutput.shape().dims());
        backend().binary(BinaryOp.MUL, gradInput.storage(), gradOutput.storage(), mask.storage(), gradInput.size());
        return new Tensor[] {gradInput};
    }

    @Override
    protected void releaseSaved() {
        if (mask != null) {
            mask.close();
            mask = null;
        }
    }
}
