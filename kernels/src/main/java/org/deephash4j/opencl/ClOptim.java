package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;
import org.jocl.cl_mem;

/** Launches {@code optim.cl}: the SGD (momentum, weight decay) and Adam updates, in place. */
final class ClOptim {
    private final OpenClBackend backend;

    ClOptim(OpenClBackend backend) {
        this.backend = backend;
    }

    void sgd(Storage param, Storage grad, Storage velocity, float lr, float momentum, float weightDecay, long n) {
        boolean hasVelocity = momentum > 0;
        cl_mem p = backend.mem(param, "sgdStep");
        cl_mem v = hasVelocity ? backend.mem(velocity, "sgdStep") : p;   // unused without momentum
        backend.kernel("optim.cl", "", "sgd_step").arg(p).arg(backend.mem(grad, "sgdStep")).arg(v)
                .arg(hasVelocity ? 1 : 0).arg(lr).arg(momentum).arg(weightDecay).arg(n).run1(n, ClElementwise.LOCAL);
    }

    void adam(Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2, float eps,
              float weightDecay, int step, long n) {
        float bc1 = (float) (1 - Math.pow(beta1, step));
        float bc2 = (float) (1 - Math.pow(beta2, step));
        backend.kernel("optim.cl", "", "adam_step").arg(backend.mem(param, "adamStep")).arg(backend.mem(grad, "adamStep"))
                .arg(backend.mem(m, "adamStep")).arg(backend.mem(v, "adamStep")).arg(lr).arg(beta1).arg(beta2).arg(eps)
                .arg(weightDecay).arg(bc1).arg(bc2).arg(n).run1(n, ClElementwise.LOCAL);
    }
}
