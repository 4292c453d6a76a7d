package org.deephash4j.opencl;

import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.Storage;

/**
 * Launches {@code pool2d.cl}: max and average pooling, forward one work-item per output element,
 * backward one per input element (gathering the windows that cover it, no atomics).
 */
final class ClPool2d {
    private static final String FILE = "pool2d.cl";
    private final OpenClBackend backend;

    ClPool2d(OpenClBackend backend) {
        this.backend = backend;
    }

    void maxForward(Storage output, Storage input, Pool2dGeometry g) {
        ClKernel k = backend.kernel(FILE, "", "max_pool_forward").arg(backend.mem(output, "maxPool2dForward"))
                .arg(backend.mem(input, "maxPool2dForward"));
        sizes(k, g).run1(g.outputSize(), ClElementwise.LOCAL);
    }

    void maxBackward(Storage gradInput, Storage gradOutput, Storage input, Storage output, Pool2dGeometry g) {
        String op = "maxPool2dBackward";
        ClKernel k = backend.kernel(FILE, "", "max_pool_backward").arg(backend.mem(gradInput, op))
                .arg(backend.mem(gradOutput, op)).arg(backend.mem(input, op)).arg(backend.mem(output, op));
        sizes(k, g).run1(g.inputSize(), ClElementwise.LOCAL);
    }

    void avgForward(Storage output, Storage input, Pool2dGeometry g) {
        ClKernel k = backend.kernel(FILE, "", "avg_pool_forward").arg(backend.mem(output, "avgPool2dForward"))
                .arg(backend.mem(input, "avgPool2dForward"));
        sizes(k, g).run1(g.outputSize(), ClElementwise.LOCAL);
    }

    void avgBackward(Storage gradInput, Storage gradOutput, Pool2dGeometry g) {
        ClKernel k = backend.kernel(FILE, "", "avg_pool_backward").arg(backend.mem(gradInput, "avgPool2dBackward"))
                .arg(backend.mem(gradOutput, "avgPool2dBackward"));
        sizes(k, g).run1(g.inputSize(), ClElementwise.LOCAL);
    }

    private static ClKernel sizes(ClKernel k, Pool2dGeometry g) {
        return k.arg(g.batch() * g.channels()).arg(g.inHeight()).arg(g.inWidth()).arg(g.kernelHeight())
                .arg(g.kernelWidth()).arg(g.stride()).arg(g.padding()).arg(g.outHeight()).arg(g.outWidth());
    }
}
