package org.deephash4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.deephash4j.backend.Backends;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;

/**
 * The models of one executor JVM, per broadcast checkpoint. The broadcast value is turned into a
 * {@link Checkpoint} once per executor; a task borrows a {@link HashingModel} built from it and gives it back when
 * it ends (failed or not), so a model is built once per task slot that runs concurrently, never once per task.
 * A model is not shared by two tasks at once: {@link HashingModel#hashOutputs} switches the network between
 * eval and train mode.
 *
 * <p>The most recent {@link #KEPT} checkpoints are kept; an older one's idle models are closed.
 */
final class ExecutorModels {
    /** Checkpoints kept per executor (a session that encodes with many models one after the other). */
    static final int KEPT = 4;

    private static final Map<Long, Entry> BY_BROADCAST = new LinkedHashMap<>(16, 0.75f, true);

    private ExecutorModels() {
    }

    /** What one executor holds for one broadcast checkpoint. */
    private static final class Entry {
        final Checkpoint checkpoint;
        final String fileName;
        final ArrayDeque<HashingModel> idle = new ArrayDeque<>();
        int built;

        Entry(CheckpointPayload payload) {
            this.checkpoint = payload.toCheckpoint();
            this.fileName = payload.fileName();
        }
    }

    /** A model for the calling task: an idle one, or a new one built from the broadcast checkpoint. */
    static HashingModel borrow(Broadcast<CheckpointPayload> broadcast) {
        Entry entry;
        synchronized (BY_BROADCAST) {
            entry = BY_BROADCAST.get(broadcast.id());
            if (entry == null) {
                entry = new Entry(broadcast.value());
                BY_BROADCAST.put(broadcast.id(), entry);
                evictOld();
            }
            HashingModel model = entry.idle.poll();
            if (model != null) return model;
            entry.built++;
        }
        try {
            return HashingModel.load(entry.checkpoint, Path.of(entry.fileName), Backends.cpu(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a borrowed model for the next task; closes it if its checkpoint was evicted meanwhile. */
    static void giveBack(Broadcast<CheckpointPayload> broadcast, HashingModel model) {
        synchronized (BY_BROADCAST) {
            Entry entry = BY_BROADCAST.get(broadcast.id());
            if (entry != null) {
                entry.idle.push(model);
                return;
            }
        }
        model.close();
    }

    /** Number of models built in this JVM for {@code broadcast} so far (tests: one per concurrent task, not per task). */
    static int built(Broadcast<CheckpointPayload> broadcast) {
        synchronized (BY_BROADCAST) {
            Entry entry = BY_BROADCAST.get(broadcast.id());
            return entry == null ? 0 : entry.built;
        }
    }

    private static void evictOld() {
        Iterator<Map.Entry<Long, Entry>> it = BY_BROADCAST.entrySet().iterator();
        while (BY_BROADCAST.size() > KEPT && it.hasNext()) {
            Entry old = it.next().getValue();
            it.remove();
            for (HashingModel m : old.idle) m.close();
        }
    }
}
