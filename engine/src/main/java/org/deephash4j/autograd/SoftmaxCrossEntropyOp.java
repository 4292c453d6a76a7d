package org.deephash4j.autograd;

import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Mean softmax cross-entropy, fused and numerically stable:
 * p[i, c] = e^{z[i, c]} / Σ_k e^{z[i, k]}, loss = -(1/N) Σ_i ln p[i, y_i],
 * for logits z [N, C] and labels y [N] (class indices stored as floats). The output is a scalar [].
 *
 * <p>Backward: dz[i, c] = dloss · (p[i, c] - [c = y_i]) / N; the probabilities p are kept from
 * the forward, owned by this op and closed when it is released. Labels get no gradient.
 */
final class SoftmaxCrossEntropyOp extends Op {
    private Tensor probs;            // [N, C], owned
    private int n;
    private int classes;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor logits = in[0];
        n = logits.dim(0);
        classes = logits.dim(1);
        probs = Tensors.zeros(backend(), n, classes);
        Tensor loss = Tensors.zeros(backend());
        backend().softmaxCrossEntropy(loss.storage(), probs.storage(), logits.storage(), in[1].storage(), n, classes);
        return loss;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor gradLogits = null;
        if (needsGrad(0)) {
            gradLogits = Tensors.zeros(backend(), n, classes);
            backend().softmaxCrossEntropyBackward(gradLogits.storage(), probs.storage(), inputs()[1].storage(),
                    gradOutput.storage(), n, classes);
        }
        return new Tensor[] {gradLogits, null};
    }

    @Override
    protected void releaseSaved() {
        if (probs != null) {
            probs.close();
            probs = null;
        }
    }
}
