package org.deephash4j.autograd;

import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i·s + u - p, j·s + v - p]
 * (zero outside the image): input x [N, C, H, W], weight w [outC, C, kH, kW], optional bias
 * b [outC], stride s, padding p; the sizes are in {@link Conv2dGeometry}.
 *
 * <p>Backward: dx by {@code conv2dBackwardData} (the transposed convolution of dy with w),
 * dw and db by {@code conv2dBackwardFilter} (dy correlated with x; db sums dy). Inputs are
 * (x, w) or (x, w, b).
 */
final class Conv2dOp extends Op {
    private final Conv2dGeometry g;

    Conv2dOp(Conv2dGeometry g) {
        this.g = g;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = Tensors.forOverwrite(backend(), g.batch(), g.outChannels(), g.outHeight(), g.outWidth());
        backend().conv2dForward(y.storage(), in[0].storage(), in[1].storage(),
                in.length > 2 ? in[2].storage() : null, g);
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor[] in = inputs();
        Tensor[] grads = new Tensor[in.length];
        if (needsGrad(0)) {
            grads[0] = Tensors.forOverwrite(backend(), in[0].shape().dims());
            backend().conv2dBackwardData(grads[0].storage(), gradOutput.storage(), in[1].storage(), g);
        }
        boolean biasGrad = in.length > 2 && needsGrad(2);
        if (needsGrad(1) || biasGrad) {
            // the filter kernel computes both; the weight gradient is dropped if only the bias needs one
            Tensor gradWeight = Tensors.forOverwrite(backend(), in[1].shape().dims());
            Tensor gradBias = biasGrad ? Tensors.zeros(backend(), in[2].shape().dims()) : null;
            backend().conv2dBackwardFilter(gradWeight.storage(), gradBias == null ? null : gradBias.storage(),
                    gradOutput.storage(), in[0].storage(), g);
            if (needsGrad(1)) {
                grads[1] = gradWeight;
            } else {
                gradWeight.close();
            }
            if (biasGrad) grads[2] = gradBias;
        }
        return grads;
    }
}
