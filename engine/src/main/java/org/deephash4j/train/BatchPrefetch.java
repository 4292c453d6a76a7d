package org.deephash4j.train;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Prepares the next batch's input (crop, flip, scale, normalise: {@code InputPipeline}) on one
 * background thread while the current step runs, so that the float batch is ready when the step
 * ends. The batch is a pure function of its image indices (and the epoch the maker was made for),
 * so a prefetched batch is bit for bit the one {@link #take} would compute; one thread, one batch
 * ahead, so at most two float batches exist at a time.
 */
final class BatchPrefetch implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "deephash-batch-prefetch");
        t.setDaemon(true);
        return t;
    });
    private Function<int[], float[]> maker;
    private int[] pendingIndices;
    private Future<float[]> pending;

    /** Batches from now on are made by {@code maker} (one per epoch: the epoch decides the crops); drops a pending batch. */
    void use(Function<int[], float[]> newMaker) {
        cancel();
        maker = newMaker;
    }

    /** Starts making the batch of {@code indices} in the background. */
    void prefetch(int[] indices) {
        cancel();
        Function<int[], float[]> m = maker;
        int[] copy = indices.clone();
        pendingIndices = copy;
        pending = thread.submit(() -> m.apply(copy));
    }

    /** The batch of {@code indices}: the prefetched one when it is that batch, else made now. */
    float[] take(int[] indices) {
        if (pending != null && Arrays.equals(pendingIndices, indices)) {
            Future<float[]> f = pending;
            pending = null;
            pendingIndices = null;
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while preparing a batch", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }
        cancel();
        return maker.apply(indices);
    }

    private void cancel() {
        if (pending != null) pending.cancel(false);
        pending = null;
        pendingIndices = null;
    }

    @Override
    public void close() {
        cancel();
        thread.shutdownNow();
    }
}
