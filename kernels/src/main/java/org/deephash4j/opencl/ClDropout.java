package org.deephash4j.opencl;

import org.deephash4j.backend.Storage;

/**
 * Launches {@code dropout.cl}: the inverted-dropout mask from {@code backend.CounterRandom}'s
 * mix, so the mask is the CPU backend's bit for bit.
 */
final class ClDropout {
    private final OpenClBackend backend;

    ClDropout(OpenClBackend backend) {
        this.backend = backend;
    }

    void mask(Storage mask, float p, long seed, long n) {
        float scale = 1.0f / (1.0f - p);   // computed here in Java float, as the CPU kernel does
        backend.kernel("dropout.cl", "", "dropout_mask").arg(backend.mem(mask, "dropoutMask")).arg(p).arg(scale)
                .arg(seed).arg(n).run1(n, ClElementwise.LOCAL);
    }
}
