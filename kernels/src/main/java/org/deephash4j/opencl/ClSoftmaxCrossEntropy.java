package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;
import org.jocl.cl_mem;

/**
 * Launches {@code softmax_cross_entropy.cl}: the fused softmax + cross-entropy (one work-item
 * per row, row losses in scratch memory, then their mean summed in order by one work-item) and
 * its backward.
 */
final class ClSoftmaxCrossEntropy {
    private static final String FILE = "softmax_cross_entropy.cl";
    private final OpenClBackend backend;

    ClSoftmaxCrossEntropy(OpenClBackend backend) {
        this.backend = backend;
    }

    void forward(Storage loss, Storage probs, Storage logits, Storage labels, int n, int classes) {
        String op = "softmaxCrossEntropy";
        cl_mem rowLoss = backend.scratch().get(ClScratch.ROW_LOSS, n);
        backend.kernel(FILE, "", "softmax_rows").arg(backend.mem(probs, op)).arg(rowLoss).arg(backend.mem(logits, op))
                .arg(backend.mem(labels, op)).arg(n).arg(classes).run1(n, ClElementwise.LOCAL);
        backend.kernel(FILE, "", "mean_loss").arg(backend.mem(loss, op)).arg(rowLoss).arg(n).run1(1, 1);
    }

    void backward(Storage gradLogits, Storage probs, Storage labels, Storage gradLoss, int n, int classes) {
        String op = "softmaxCrossEntropyBackward";
        backend.kernel(FILE, "", "softmax_cross_entropy_backward").arg(backend.mem(gradLogits, op))
                .arg(backend.mem(probs, op)).arg(backend.mem(labels, op)).arg(backend.mem(gradLoss, op))
                .arg(n).arg(classes).run1((long) n * classes, ClElementwise.LOCAL);
    }
}
