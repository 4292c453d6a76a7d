package org.deephash4j.autograd;

import org.deephash4j.backend.Backend;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.Tensors;

/**
 * Reductions and their adjoints (expansions) built from Backend kernels: the pieces that
 * bias gradients and sum/mean backward share.
 */
final class Reductions {
    private Reductions() {
    }

    /** out[c] = Σ_{o, i} in[o, c, i] for in of outer · mid · inner elements, out of mid. */
    static void sumPerChannel(Backend backend, Tensor out, Tensor in, int outer, int mid, int inner) {
        if (inner == 1) {
            backend.sum(out.storage(), in.storage(), 1, outer, mid);
            return;
        }
        // first over the positions (innermost), then over the batch; both sums run in a fixed order
        Tensor perRow = Tensors.zeros(backend, outer * mid);
        backend.sum(perRow.storage(), in.storage(), outer * mid, inner, 1);
        backend.sum(out.storage(), perRow.storage(), 1, outer, mid);
        perRow.close();
    }

    /**
     * out[o, m, i] = in[o, i] for out of outer · mid · inner elements: the adjoint of summing
     * over the middle index. Backend has no such kernel, so it is a GEMM with a vector of ones
     * (an outer product), one per outer index when inner &gt; 1.
     */
    static void expand(Backend backend, Tensor out, Tensor in, int outer, int mid, int inner) {
        Tensor ones = Tensors.ones(backend, mid);
        if (inner == 1) {
            // out [outer × mid] = in [outer × 1] · ones [1 × mid]
            backend.gemm(false, false, outer, mid, 1, 1f, in.storage(), 0, ones.storage(), 0, 0f, out.storage(), 0);
        } else {
            for (int o = 0; o < outer; o++) {
                // out[o] [mid × inner] = ones [mid × 1] · in[o] [1 × inner]
                backend.gemm(false, false, mid, inner, 1, 1f, ones.storage(), 0, in.storage(), (long) o * inner,
                        0f, out.storage(), (long) o * mid * inner);
            }
        }
        ones.close();
    }
}
