package org.deephash4j.opencl;

import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Storage;

/**
 * Launches {@code conv2d.cl}: direct convolution, forward and both backward passes, one
 * work-item per output element (forward), per input element (backward data, a gather with no
 * atomics), per weight element (backward filter) and per channel (bias gradient).
 */
final class ClConv2d {
    private static final String FILE = "conv2d.cl";
    private final OpenClBackend backend;

    ClConv2d(OpenClBackend backend) {
        this.backend = backend;
    }

    void forward(Storage output, Storage input, Storage weight, Storage bias, Conv2dGeometry g) {
        ClKernel k = backend.kernel(FILE, "", "conv2d_forward").arg(backend.mem(output, "conv2dForward"))
                .arg(backend.mem(input, "conv2dForward")).arg(backend.mem(weight, "conv2dForward"))
                .arg(backend.mem(bias != null ? bias : weight, "conv2dForward")).arg(bias != null ? 1 : 0);
        sizes(k, g).run1(g.outputSize(), ClElementwise.LOCAL);
    }

    void backwardData(Storage gradInput, Storage gradOutput, Storage weight, Conv2dGeometry g) {
        ClKernel k = backend.kernel(FILE, "", "conv2d_backward_data").arg(backend.mem(gradInput, "conv2dBackwardData"))
                .arg(backend.mem(gradOutput, "conv2dBackwardData")).arg(backend.mem(weight, "conv2dBackwardData"));
        sizes(k, g).run1(g.inputSize(), ClElementwise.LOCAL);
    }

    void backwardFilter(Storage gradWeight, Storage gradBias, Storage gradOutput, Storage input, Conv2dGeometry g) {
        ClKernel k = backend.kernel(FILE, "", "conv2d_backward_filter")
                .arg(backend.mem(gradWeight, "conv2dBackwardFilter")).arg(backend.mem(gradOutput, "conv2dBackwardFilter"))
                .arg(backend.mem(input, "conv2dBackwardFilter"));
        sizes(k, g).run1(g.weightSize(), ClElementwise.LOCAL);
        if (gradBias != null) {
            backend.kernel(FILE, "", "conv2d_backward_bias").arg(backend.mem(gradBias, "conv2dBackwardFilter"))
                    .arg(backend.mem(gradOutput, "conv2dBackwardFilter")).arg(g.batch()).arg(g.outChannels())
                    .arg(g.outHeight()).arg(g.outWidth()).run1(g.outChannels(), ClElementwise.LOCAL);
        }
    }

    private static ClKernel sizes(ClKernel k, Conv2dGeometry g) {
        return k.arg(g.batch()).arg(g.inChannels()).arg(g.inHeight()).arg(g.inWidth()).arg(g.outChannels())
                .arg(g.kernelHeight()).arg(g.kernelWidth()).arg(g.stride()).arg(g.padding())
                .arg(g.outHeight()).arg(g.outWidth());
    }
}
