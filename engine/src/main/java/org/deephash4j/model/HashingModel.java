package org.deephash4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.Backend;
import org.deephash4j.data.Dataset;
import org.deephash4j.data.InputPipeline;
import org.deephash4j.data.InputProfile;
import org.deephash4j.data.InputShape;
import org.deephash4j.data.Labels;
import org.deephash4j.data.Normalization;
import org.deephash4j.data.Preprocessing;
import org.deephash4j.hashing.HashingMethod;
import org.deephash4j.hashing.HashingMethods;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.io.FormatException;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.Parameter;
import org.deephash4j.search.BinaryCodes;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.zoo.Backbone;

/**
 * A backbone from the zoo with a hashing method's head on top, the preprocessing its inputs go
 * through (input size, resize, normalisation) and the class names: what a checkpoint holds and
 * what encoding needs. Parameters are named {@code backbone.<name>} with the network's own names
 * ({@code backbone.0.weight} for lenet; torchvision's for resnet18 and alexnet:
 * {@code backbone.layer1.0.conv1.weight}, {@code backbone.features.0.weight}) and
 * {@code head.hash.weight} (and {@code head.classifier.*} for the methods that train a classifier).
 */
public final class HashingModel implements AutoCloseable {
    /** Name prefix of the backbone's parameters and buffers in checkpoints. */
    public static final String BACKBONE_PREFIX = "backbone.";

    private final Backbone backbone;
    private final Module network;
    private final HashingMethod method;
    private final Module head;
    private final Preprocessing preprocessing;
    private final List<String> classNames;
    private final Backend backend;
    private final long seed;
    private InputProfile inputProfile;

    /**
     * A freshly initialised model at the backbone's default input ({@link Backbone#defaultInput()}):
     * see {@link #HashingModel(Backend, Backbone, HashingMethod, Preprocessing, List, long)}.
     */
    public HashingModel(Backend backend, Backbone backbone, HashingMethod method, Normalization normalization,
                        List<String> classNames, long seed) {
        this(backend, backbone, method, checkedPreprocessing(backbone, normalization), classNames, seed);
    }

    /**
     * A freshly initialised model: {@code backbone}'s network with {@code method}'s head on top, on
     * {@code backend}, its layers drawn from {@code seed}. {@code preprocessing} is what every input
     * image goes through (its size, which the backbone must take; resize and crop; (pixel / 255 - mean) / std
     * per channel) and is saved with the weights.
     */
    public HashingModel(Backend backend, Backbone backbone, HashingMethod method, Preprocessing preprocessing,
                        List<String> classNames, long seed) {
        backbone.checkInput(preprocessing.input());
        this.backend = backend;
        this.backbone = backbone;
        this.network = backbone.build(backend, Backbone.layerSeed(seed, 100));
        this.method = method;
        this.head = method.head(backend, backbone.features(), Backbone.layerSeed(seed, 101));
        this.preprocessing = preprocessing;
        this.classNames = List.copyOf(classNames);
        this.seed = seed;
    }

    private static Preprocessing checkedPreprocessing(Backbone backbone, Normalization normalization) {
        if (normalization.channels() != backbone.channels()) {
            throw new IllegalArgumentException("model " + backbone.id() + " takes " + backbone.channels()
                    + " channels but the normalisation has " + normalization.channels());
        }
        return Preprocessing.of(backbone.defaultInput(), normalization);
    }

    public Backbone backbone() {
        return backbone;
    }

    /** The backbone's network: images [N, C, H, W] to features [N, backbone.features()]. */
    public Module network() {
        return network;
    }

    /** The head the method put on the backbone. */
    public Module head() {
        return head;
    }

    /** The model's input size C x H x W. */
    public InputShape input() {
        return preprocessing.input();
    }

    /** What every input image goes through. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** What the training images looked like, or null when not recorded (see {@link #recordInputProfile}). */
    public InputProfile inputProfile() {
        return inputProfile;
    }

    /**
     * Records what the training images looked like ({@link InputProfile#measure}), saved with the
     * weights so that a query can be matched to them; the trainer calls it when a run starts.
     */
    public void recordInputProfile(InputProfile profile) {
        this.inputProfile = profile;
    }

    public HashingMethod method() {
        return method;
    }

    public Normalization normalization() {
        return preprocessing.normalization();
    }

    public List<String> classNames() {
        return classNames;
    }

    public Backend backend() {
        return backend;
    }

    /** The seed the layers were initialised from (0 for a model loaded from a checkpoint). */
    public long seed() {
        return seed;
    }

    public int bits() {
        return method.bits();
    }

    /** Backbone and head parameters, for the optimiser. */
    public List<Parameter> parameters() {
        return new ArrayList<>(parametersByName().values());
    }

    /** Every parameter tensor by checkpoint name. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parametersByName().forEach((name, p) -> out.put(name, p.tensor()));
        return out;
    }

    /**
     * What a checkpoint holds of the model, by checkpoint name: every parameter and every buffer
     * (batch normalisation's running statistics), in the order of PyTorch's {@code state_dict}.
     */
    public Map<String, Tensor> namedState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        network.stateByName().forEach((k, v) -> out.put(BACKBONE_PREFIX + k, v));
        head.stateByName().forEach((k, v) -> out.put("head." + k, v));
        return out;
    }

    /** The parameters by checkpoint name ("backbone.…", "head.…"), in the order of {@link #parameters()}. */
    public Map<String, Parameter> parametersByName() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        network.parametersByName().forEach((k, v) -> out.put(BACKBONE_PREFIX + k, v));
        head.parametersByName().forEach((k, v) -> out.put("head." + k, v));
        return out;
    }

    /**
     * Loads a torchvision state_dict saved as safetensors into the backbone (resnet18 or alexnet),
     * checked tensor by tensor; the classifier it replaces is skipped ({@link PretrainedBackbone}).
     */
    public PretrainedBackbone.Report loadPretrainedBackbone(Path file) throws IOException {
        return PretrainedBackbone.load(this, file);
    }

    /** Checks that a dataset's images fit the model's input. */
    public void checkInput(Dataset data) {
        checkInput(backbone, input(), data);
    }

    /** As {@link #checkInput(Backbone, InputShape, Dataset)} at the backbone's default input. */
    public static void checkInput(Backbone backbone, Dataset data) {
        checkInput(backbone, backbone.defaultInput(), data);
    }

    /**
     * The one image-size check: {@link InputMismatchException} unless {@code data}'s images can be
     * {@code backbone}'s input {@code input}: exactly that size for lenet and cifarnet; grey or RGB
     * images of any size for resnet18 and alexnet, which {@link InputPipeline} scales and crops.
     */
    public static void checkInput(Backbone backbone, InputShape input, Dataset data) {
        if (backbone.fixedSize()) {
            if (data.channels() != input.channels() || data.height() != input.height() || data.width() != input.width()) {
                throw new InputMismatchException(data.name() + " holds " + data.shapeText() + " images but model " + backbone.id()
                        + " takes " + input.text());
            }
        } else if (data.channels() != 1 && data.channels() != 3) {
            throw new InputMismatchException(data.name() + " holds " + data.shapeText() + " images but model " + backbone.id()
                    + " takes grey or RGB images (1 or 3 channels), brought to " + input.text());
        }
    }

    /** Hash-layer outputs z [n, K] of the images at {@code indices}, in batches, without a graph. */
    public float[] hashOutputs(Dataset data, int[] indices, int batchSize) {
        checkInput(data);
        boolean training = network.isTraining();
        network.eval();
        int bits = bits();
        float[] out = new float[indices.length * bits];
        try (NoGrad ignored = NoGrad.enter()) {
            for (int from = 0; from < indices.length; from += batchSize) {
                int[] batch = Arrays.copyOfRange(indices, from, Math.min(indices.length, from + batchSize));
                try (TensorScope scope = TensorScope.open()) {
                    InputShape in = input();
                    Tensor x = Tensors.fromArray(backend, InputPipeline.centre(data, batch, preprocessing), batch.length,
                            in.channels(), in.height(), in.width());
                    float[] z = method.hashOutputs(network.forward(x)).toArray();
                    System.arraycopy(z, 0, out, from * bits, z.length);
                }
            }
        }
        network.train(training);
        return out;
    }

    /** Binary codes of the images at {@code indices}: bit k is z_k &gt;= 0 (sgn with sgn(0) = +1). */
    public BinaryCodes encode(Dataset data, int[] indices) {
        return BinaryCodes.fromSigns(hashOutputs(data, indices, encodeBatch()), bits());
    }

    // 256 images of lenet's size; fewer of larger inputs, whose activations grow with them (27 at 3x224x224).
    private int encodeBatch() {
        return Math.max(8, Math.min(256, (1 << 22) / input().size()));
    }

    /** What the checkpoint metadata says about this model ({@code splitSeed} is the trainer's to record). */
    public ModelInfo info() {
        return new ModelInfo(backbone, method.name(), bits(), normalization(), classNames, 0, input(), preprocessing.resize(),
                inputProfile);
    }

    /** Checkpoint metadata describing this model (the trainer adds the training fields). */
    public Map<String, String> metadata() {
        Map<String, String> m = info().toMetadata();
        m.putAll(method.settings());
        return m;
    }

    /** Writes the weights and {@code extra} metadata (atomic). */
    public void save(Path path, Map<String, String> extra) throws IOException {
        save(path, extra, List.of());
    }

    /**
     * Writes the weights, {@code extra} metadata and {@code extraTensors} (atomic): the trainer adds
     * the state a resumed run needs, under names that start with {@link Checkpoint#STATE_PREFIX}.
     */
    public void save(Path path, Map<String, String> extra, List<Checkpoint.Entry> extraTensors) throws IOException {
        Map<String, String> meta = metadata();
        meta.putAll(extra);
        List<Checkpoint.Entry> entries = new ArrayList<>();
        namedState().forEach((name, t) -> entries.add(Checkpoint.Entry.of(name, t)));
        entries.addAll(extraTensors);
        new Checkpoint(meta, entries).write(path);
    }

    /**
     * A model rebuilt from a checkpoint: the metadata says which backbone, method and code length
     * ({@link ModelInfo}); every tensor's name and shape is checked against that model before the
     * weights are copied. {@code trainingLabels} are needed only to go on training (DSDH keeps
     * per-example state); pass null to encode.
     */
    public static HashingModel load(Path path, Backend backend, Labels trainingLabels) throws IOException {
        return load(Checkpoint.read(path), path, backend, trainingLabels);
    }

    /** As {@link #load(Path, Backend, Labels)} for a checkpoint already read from {@code path}. */
    public static HashingModel load(Checkpoint checkpoint, Path path, Backend backend, Labels trainingLabels) throws IOException {
        ModelInfo info = ModelInfo.of(checkpoint, path);
        checkSizeAgainstFile(checkpoint, path, info);
        HashingMethod method = trainingLabels != null
                ? HashingMethods.create(info.method(), info.bits(), trainingLabels, checkpoint.metadata())
                : HashingMethods.forEncoding(info.method(), info.bits(), info.classNames().size());
        HashingModel model = new HashingModel(backend, info.backbone(), method, info.preprocessing(), info.classNames(), 0);
        model.recordInputProfile(info.profile());
        try {
            checkpoint.loadInto(model.namedState(), path.getFileName().toString());
        } catch (IllegalArgumentException e) {
            model.close();
            throw new FormatException(path, "tensors", 8, e.getMessage(), e);
        }
        return model;
    }

    // The model is built before its weights are compared with the file: a metadata entry that claims a
    // huge code length or class count must not allocate more than the file's tensors could fill.
    private static void checkSizeAgainstFile(Checkpoint checkpoint, Path path, ModelInfo info) throws FormatException {
        long stored = 0;
        for (Checkpoint.Entry e : checkpoint.tensors()) if (!e.name().startsWith(Checkpoint.STATE_PREFIX)) stored += e.values().length;
        long head = (long) info.bits() * (info.backbone().features() + info.classNames().size() + 1);
        if (head > stored) {
            throw new FormatException(path, "__metadata__.bits", 8, "a " + info.bits() + "-bit head for "
                    + info.classNames().size() + " classes needs " + head + " weights but the file holds " + stored);
        }
    }

    @Override
    public void close() {
        network.close();
        head.close();
    }
}
