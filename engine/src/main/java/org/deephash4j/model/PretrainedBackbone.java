package org.deephash4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.zoo.Backbone;

/**
 * Loads a torchvision state_dict, saved with {@code safetensors.torch.save_file(model.state_dict(), FILE)},
 * into a model's backbone by name: tensor {@code N} of the file goes to {@code backbone.N}
 * ({@code layer1.0.conv1.weight}, {@code bn1.running_mean}, {@code features.0.weight}, ...).
 *
 * <p>Checked tensor by tensor before anything is copied: every parameter and running statistic
 * of the backbone must be in the file with its shape, and the file may hold nothing else but the
 * classifier the hashing head replaces ({@code fc.*} for resnet18, {@code classifier.6.*} for
 * alexnet: skipped, and reported) and the {@code num_batches_tracked} counters (I64 in PyTorch's
 * files: read and ignored; the backbone's own counters stay as they are). The first problem is
 * one {@link PretrainedWeightsException} naming the tensor (and how many more there are).
 * F16 and BF16 files are widened to float32 by {@link Checkpoint#read}.
 */
public final class PretrainedBackbone {
    private static final String COUNTER = "num_batches_tracked";

    /**
     * What was loaded: the tensors copied into the backbone, the classifier tensors skipped, and the
     * integer tensors ignored, by their names in the file.
     */
    public record Report(Path file, List<String> loaded, List<String> skipped, List<String> ignored) {
        public Report {
            loaded = List.copyOf(loaded);
            skipped = List.copyOf(skipped);
            ignored = List.copyOf(ignored);
        }

        /** One line for the user: how many tensors were loaded, and what was skipped. */
        public String summary() {
            return "loaded " + loaded.size() + " tensors from " + file.getFileName()
                    + (skipped.isEmpty() ? "" : "; not used (the hashing head replaces the classifier): " + String.join(", ", skipped))
                    + (ignored.isEmpty() ? "" : "; " + ignored.size() + " integer counters ignored (" + COUNTER + ")");
        }
    }

    private PretrainedBackbone() {
    }

    /** The classifier tensors of torchvision's network that the hashing head replaces. */
    static Set<String> replacedClassifier(Backbone backbone) {
        return switch (backbone) {
            case RESNET18 -> Set.of("fc.weight", "fc.bias");
            case ALEXNET -> Set.of("classifier.6.weight", "classifier.6.bias");
            default -> Set.of();
        };
    }

    /** Reads {@code file} and loads it into {@code model}'s backbone; see the class comment. */
    public static Report load(HashingModel model, Path file) throws IOException {
        Backbone backbone = model.backbone();
        if (!backbone.torchvision()) {
            throw new IllegalArgumentException("pretrained weights load into resnet18 or alexnet (torchvision's layout), not "
                    + backbone.id());
        }
        Checkpoint checkpoint = Checkpoint.read(file);
        String where = file.getFileName().toString();
        Map<String, Tensor> wanted = new LinkedHashMap<>(model.network().stateByName());
        Set<String> classifier = replacedClassifier(backbone);
        List<String> problems = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String name : checkpoint.ignoredTensors()) {
            if (wanted.containsKey(name) && name.endsWith("." + COUNTER)) {
                ignored.add(name);
            } else if (!classifier.contains(name)) {
                problems.add(where + ": tensor '" + name + "' is an integer tensor that " + backbone.id() + " has no place for");
            }
        }
        Map<String, Checkpoint.Entry> found = new LinkedHashMap<>();
        for (Checkpoint.Entry e : checkpoint.tensors()) found.put(e.name(), e);
        for (Map.Entry<String, Tensor> w : wanted.entrySet()) {
            String name = w.getKey();
            Checkpoint.Entry e = found.get(name);
            if (e == null) {
                if (!name.endsWith("." + COUNTER)) {
                    problems.add(where + ": tensor '" + name + "' is missing; a torchvision " + backbone.id() + " state_dict has it"
                            + hint(found.keySet()));
                }
                continue;
            }
            int[] want = w.getValue().shape().dims();
            if (!Arrays.equals(want, e.shape())) {
                problems.add(where + ": tensor '" + name + "' has shape " + Arrays.toString(e.shape()) + " but " + backbone.id()
                        + " expects " + Arrays.toString(want));
            }
        }
        for (String name : found.keySet()) {
            if (wanted.containsKey(name)) continue;
            if (classifier.contains(name)) {
                skipped.add(name);
            } else {
                problems.add(where + ": tensor '" + name + "' is unexpected; " + backbone.id() + " has no such tensor"
                        + hint(found.keySet()));
            }
        }
        if (!problems.isEmpty()) {
            throw new PretrainedWeightsException(problems.getFirst()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
        for (Map.Entry<String, Tensor> w : wanted.entrySet()) {
            if (!found.containsKey(w.getKey())) continue;
            checkpoint.copyInto(w.getKey(), w.getValue(), where);
            loaded.add(w.getKey());
        }
        return new Report(file, loaded, skipped, ignored);
    }

    // A file of deephash4j's own names (backbone.conv1.weight) or of a wrapped model (module.conv1.weight) says so.
    private static String hint(Set<String> names) {
        for (String n : names) {
            if (n.startsWith(HashingModel.BACKBONE_PREFIX)) {
                return " (the file's names start with 'backbone.': a deephash4j checkpoint, not a torchvision state_dict)";
            }
            if (n.startsWith("module.")) {
                return " (the file's names start with 'module.': save model.module.state_dict() of the DataParallel wrapper)";
            }
        }
        return "";
    }
}
