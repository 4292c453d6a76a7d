package org.deephash4j.doctor;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Storage;

/**
 * One case of a kernel's parity check: host buffers, the kernel call on device copies of them,
 * and the tolerance. The call runs once on the device under test and once on the CPU reference
 * kernels, each from fresh copies of {@code buffers}; afterwards every buffer (outputs, and inputs
 * a kernel updates in place) must agree element by element within
 * {@code atol + rtol · |reference|} (NaN must meet NaN, infinity the same infinity).
 *
 * @param what    the case as a failure names it: kernel and shape, e.g. {@code gemm m=7 n=509 k=31 transA}
 * @param buffers the starting contents of storages s[0], s[1], ... (not modified)
 * @param call    the kernel call on those storages
 * @param atol    absolute tolerance
 * @param rtol    relative tolerance
 */
public record ParityCase(String what, float[][] buffers, Call call, double atol, double rtol) {

    /** A kernel call on storages s[0], s[1], ... of one backend. */
    @FunctionalInterface
    public interface Call {
        void run(Backend backend, Storage[] s);
    }

    public ParityCase {
        if (buffers == null || buffers.length == 0) {
            throw new IllegalArgumentException("ParityCase " + what + ": needs at least one buffer");
        }
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("ParityCase " + what + ": atol = " + atol + ", rtol = " + rtol
                    + "; expected both >= 0");
        }
    }

    /** Runs the call on {@code backend} from copies of the buffers and returns every buffer afterwards. */
    float[][] runOn(Backend backend) {
        Storage[] s = new Storage[buffers.length];
        try {
            for (int i = 0; i < buffers.length; i++) {
                s[i] = backend.allocate(buffers[i].length);
                backend.copyIn(s[i], 0, buffers[i], 0, buffers[i].length);
            }
            call.run(backend, s);
            float[][] out = new float[buffers.length][];
            for (int i = 0; i < buffers.length; i++) {
                out[i] = new float[buffers[i].length];
                backend.copyOut(out[i], 0, s[i], 0, out[i].length);
            }
            return out;
        } finally {
            for (Storage storage : s) if (storage != null) storage.close();
        }
    }
}
