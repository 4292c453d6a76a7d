package org.deephash4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.io.Checkpoint;

/**
 * A checkpoint's model weights and metadata in a form Spark can broadcast: read and validated once on the
 * driver ({@link Checkpoint#read}), shipped to each executor once, rebuilt there into a {@link Checkpoint}.
 * Training state ({@link Checkpoint#STATE_PREFIX} tensors: Adam's moments, DSDH's bank) is left behind,
 * since encoding does not read it and it triples the size.
 */
record CheckpointPayload(String fileName, HashMap<String, String> metadata, ArrayList<Tensor> tensors) implements Serializable {

    /** One float32 tensor. */
    record Tensor(String name, int[] shape, float[] values) implements Serializable {
    }

    /** Reads {@code path} on the driver, keeping the metadata and the model weights. */
    static CheckpointPayload read(Path path) throws IOException {
        Checkpoint checkpoint = Checkpoint.read(path);
        ArrayList<Tensor> tensors = new ArrayList<>();
        for (Checkpoint.Entry e : checkpoint.tensors()) {
            if (!e.name().startsWith(Checkpoint.STATE_PREFIX)) tensors.add(new Tensor(e.name(), e.shape(), e.values()));
        }
        return new CheckpointPayload(path.getFileName().toString(), new HashMap<>(checkpoint.metadata()), tensors);
    }

    /** The checkpoint again, as {@link Checkpoint#read} gave it (less the training state). */
    Checkpoint toCheckpoint() {
        List<Checkpoint.Entry> entries = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) entries.add(new Checkpoint.Entry(t.name(), t.shape(), t.values()));
        return new Checkpoint(Map.copyOf(metadata), entries);
    }

    /** Bytes of weights carried. */
    long weightBytes() {
        long n = 0;
        for (Tensor t : tensors) n += 4L * t.values().length;
        return n;
    }
}
