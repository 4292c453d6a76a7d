package org.deephash4j.opencl;

import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.backend.Storage;

/**
 * Launches {@code adaptive_avg_pool2d.cl}: forward one work-item per output element, backward
 * one per input element (gathering the windows that cover it, no atomics).
 */
final class ClAdaptiveAvgPool2d {
    private static final String FILE = "adaptive_avg_pool2d.cl";
    private final OpenClBackend backend;

    ClAdaptiveAvgPool2d(OpenClBackend backend) {
        this.backend = backend;
    }

    void forward(Storage output, Storage input, AdaptivePool2dGeometry g) {
        String op = "adaptiveAvgPool2dForward";
        ClKernel k = backend.kernel(FILE, "", "adaptive_avg_pool_forward").arg(backend.mem(output, op))
                .arg(backend.mem(input, op));
        sizes(k, g).run1(g.outputSize(), ClElementwise.LOCAL);
    }

    void backward(Storage gradInput, Storage gradOutput, AdaptivePool2dGeometry g) {
        String op = "adaptiveAvgPool2dBackward";
        ClKernel k = backend.kernel(FILE, "", "adaptive_avg_pool_backward").arg(backend.mem(gradInput, op))
                .arg(backend.mem(gradOutput, op));
        sizes(k, g).run1(g.inputSize(), ClElementwise.LOCAL);
    }

    private static ClKernel sizes(ClKernel k, AdaptivePool2dGeometry g) {
        return k.arg(g.batch() * g.channels()).arg(g.inHeight()).arg(g.inWidth()).arg(g.outHeight()).arg(g.outWidth());
    }
}
