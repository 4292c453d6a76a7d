package org.deephash4j.autograd;

/**
 * A scope in which ops record no graph (inference, optimizer updates, evaluation):
 * <pre>{@code try (NoGrad off = NoGrad.enter()) { codes = model.forward(images); }}</pre>
 * Per thread; scopes nest.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private NoGrad() {
    }

    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True when ops on this thread should record a graph. */
    public static boolean isGradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
