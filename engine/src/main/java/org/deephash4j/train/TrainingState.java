package org.deephash4j.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.model.HashingModel;
import org.deephash4j.nn.Parameter;
import org.deephash4j.optim.Adam;
import org.deephash4j.tensor.Tensor;

/**
 * What a checkpoint carries besides the weights so that a resumed run continues exactly where it
 * stopped: Adam's moments m and v of every parameter and its step count, and the method's
 * per-example state ({@link HashingMethod#trainingState()}: DSDH's bank and codes). The
 * tensors are named under {@link Checkpoint#STATE_PREFIX}, so loading a model for encoding
 * ignores them:
 * <pre>
 *   state.adam.m.&lt;parameter&gt;, state.adam.v.&lt;parameter&gt;   same shape as the parameter
 *   state.method.&lt;name&gt;                                [N, K], N training examples
 *   metadata state.adam.step                            Adam's t
 *   metadata state.adam.step.&lt;parameter&gt;              t of a parameter that was frozen for a while
 *                                                       (written only where it differs from state.adam.step)
 * </pre>
 * The shuffling order and HashNet's step counter need nothing saved: they follow from the seed,
 * the epoch and the step number.
 */
public record TrainingState(Map<String, String> metadata, List<Checkpoint.Entry> tensors) {
    private static final String ADAM_M = Checkpoint.STATE_PREFIX + "adam.m.";
    private static final String ADAM_V = Checkpoint.STATE_PREFIX + "adam.v.";
    private static final String ADAM_STEP = Checkpoint.STATE_PREFIX + "adam.step";
    private static final String METHOD = Checkpoint.STATE_PREFIX + "method.";

    public TrainingState {
        metadata = Map.copyOf(metadata);
        tensors = List.copyOf(tensors);
    }

    /** A copy of the current state of {@code adam} and of the model's method. */
    public static TrainingState of(HashingModel model, Adam adam) {
        List<Checkpoint.Entry> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(ADAM_STEP, Integer.toString(adam.stepCount()));
        model.parametersByName().forEach((name, p) -> {
            tensors.add(Checkpoint.Entry.of(ADAM_M + name, adam.firstMoment(p)));
            tensors.add(Checkpoint.Entry.of(ADAM_V + name, adam.secondMoment(p)));
            if (adam.stepCount(p) != adam.stepCount()) metadata.put(ADAM_STEP + "." + name, Integer.toString(adam.stepCount(p)));
        });
        int bits = model.bits();
        model.method().trainingState().forEach((name, values) ->
                tensors.add(new Checkpoint.Entry(METHOD + name, new int[] {values.length / bits, bits}, values)));
        return new TrainingState(metadata, tensors);
    }

    /**
     * Puts the state saved in {@code saved} (read from {@code where}) back into {@code adam} and the
     * model's method; an {@link IOException} says which tensor is missing or of the wrong shape.
     */
    public static void restore(Checkpoint saved, String where, HashingModel model, Adam adam) throws IOException {
        if (!saved.metadata().containsKey(ADAM_STEP)) {
            throw new IOException(where + ": no training state (metadata '" + ADAM_STEP + "' is missing); the"
                    + " weights can be loaded, but the run cannot be resumed from this file");
        }
        for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
            copy(saved, where, ADAM_M + e.getKey(), adam.firstMoment(e.getValue()));
            copy(saved, where, ADAM_V + e.getKey(), adam.secondMoment(e.getValue()));
        }
        adam.setStepCount((int) saved.requireLong(ADAM_STEP, 0, Integer.MAX_VALUE));
        for (Map.Entry<String, Parameter> e : model.parametersByName().entrySet()) {
            // a parameter whose own count differs (it was frozen for a while) has its own key
            String key = ADAM_STEP + "." + e.getKey();
            if (saved.metadata().containsKey(key)) adam.setStepCount(e.getValue(), (int) saved.requireLong(key, 0, Integer.MAX_VALUE));
        }
        Map<String, float[]> method = new LinkedHashMap<>();
        for (Checkpoint.Entry e : saved.tensors()) {
            if (e.name().startsWith(METHOD)) method.put(e.name().substring(METHOD.length()), e.values());
        }
        try {
            model.method().restoreTrainingState(method);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Checkpoint saved, String where, String name, Tensor target) throws IOException {
        try {
            saved.copyInto(name, target, where);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage() + " (training state; cannot resume)", e);
        }
    }
}
