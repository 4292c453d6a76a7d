package org.deephash4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.io.Checkpoint;
import org.deephash4j.nn.Module;
import org.deephash4j.nn.Parameter;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.junit.jupiter.api.Test;

/**
 * The zoo against torchvision: ResNet18 and AlexNet with the weights of {@link FormulaWeights}
 * give what torchvision's resnet18 and alexnet gave with the same weights, as recorded by
 * {@code bench/peers/torchvision_parity.py} in the fixture {@code torchvision-parity.safetensors}
 * (regenerate it with the command in that script's header; {@code -Ddeephash.parity.fixture=FILE}
 * checks another one, e.g. at 224 x 224).
 *
 * <p>Checked, for each model: the state_dict names and shapes (torchvision's minus the final
 * classifier, in the same order); the pooled features in evaluation mode and in training mode
 * (batch statistics; AlexNet with the same dropout masks), relative error
 * max|f - f_torch| / max|f_torch| &lt;= 1e-4, and their norm and projection on the loss weights
 * r; the loss Σ f·r; after backward, every parameter's gradient; after one SGD step (lr 0.01),
 * every parameter; the running statistics after the training forward. A tensor is compared by its
 * Σ v² (relative 2e-4) and its values at 8 positions, |v - v_torch| &lt;= 1e-4 · rms(v_torch).
 */
class TorchvisionParityTest {
    private static final double FEATURE_TOLERANCE = 1e-4;
    private static final double TENSOR_TOLERANCE = 1e-4;
    private static final int SAMPLES = 8;
    private static final float LR = 0.01f;
    private final Backend cpu = Backends.cpu();

    static Checkpoint fixture() throws IOException, URISyntaxException {
        String override = System.getProperty("deephash.parity.fixture");
        Path path = override != null && !override.isBlank() ? Path.of(override)
                : Path.of(TorchvisionParityTest.class.getResource("torchvision-parity.safetensors").toURI());
        return Checkpoint.read(path);
    }

    @Test
    void resnet18MatchesTorchvision() throws Exception {
        try (ResNet18 model = new ResNet18(cpu, 0)) {
            check("resnet18", model, 1);
        }
    }

    @Test
    void alexnetMatchesTorchvision() throws Exception {
        try (AlexNet model = new AlexNet(cpu, 7)) {
            check("alexnet", model, 4);
        }
    }

    private void check(String name, Module model, int featureStride) throws Exception {
        Checkpoint fixture = fixture();
        assertEquals(fixture.require(name + ".state_dict"), stateDictText(model),
                name + ": state_dict keys and shapes differ from torchvision's (minus the final classifier)");
        FormulaWeights.load(model.stateByName());
        float[] shape = fixture.tensor(name + ".input.shape").values();
        int[] dims = {(int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]};
        String what = name + " " + Arrays.toString(dims);
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensors.fromArray(cpu, FormulaWeights.values("input", product(dims), 0, 1), dims);
            model.eval();
            float[] evalFeatures;
            try (NoGrad off = NoGrad.enter()) {
                evalFeatures = model.forward(x).toArray();
            }
            int n = dims[0];
            int width = evalFeatures.length / n;
            float[] r = FormulaWeights.values("r." + name, (long) n * width, 0, 1);
            compareFeatures(what + " evaluation", fixture, name + ".eval", evalFeatures, r, featureStride);

            model.train();
            Tensor features = model.forward(x);
            float[] trainFeatures = features.toArray();
            compareFeatures(what + " training", fixture, name + ".train", trainFeatures, r, featureStride);
            double loss = 0;
            for (int i = 0; i < r.length; i++) loss += (double) trainFeatures[i] * r[i];
            double expectedLoss = fixture.tensor(name + ".train.loss").values()[0];
            assertClose(what + " loss sum(features * r)", expectedLoss, loss, 1e-4 * Math.abs(expectedLoss) + 1e-4);

            Graph.backward(features, Tensors.fromArray(cpu, r, n, width));
            Map<String, Parameter> parameters = model.parametersByName();
            List<String> order = lines(fixture.require(name + ".parameters"));
            assertEquals(order, new ArrayList<>(parameters.keySet()), name + ": parameter order");
            compareTensors(what + " gradient", fixture, name + ".grad", order, p -> parameters.get(p).grad().toArray());
            try (Sgd sgd = new Sgd(model.parameters(), LR)) {
                sgd.step();
            }
            compareTensors(what + " after one SGD step", fixture, name + ".step", order,
                    p -> parameters.get(p).tensor().toArray());
            Map<String, Tensor> buffers = model.buffersByName();
            if (!buffers.isEmpty()) {
                List<String> bufferOrder = lines(fixture.require(name + ".buffers"));
                compareTensors(what + " running statistics", fixture, name + ".buffer", bufferOrder,
                        b -> buffers.get(b).toArray());
                for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
                    if (e.getKey().endsWith("num_batches_tracked")) assertEquals(1f, e.getValue().item(), e.getKey());
                }
            }
        }
    }

    private static String stateDictText(Module model) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Tensor> e : model.stateByName().entrySet()) {
            if (s.length() > 0) s.append('\n');
            s.append(e.getKey()).append(' ').append(Arrays.toString(e.getValue().shape().dims()));
        }
        return s.toString();
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n"));
    }

    private static int product(int[] dims) {
        int p = 1;
        for (int d : dims) p *= d;
        return p;
    }

    /** Features (every stride-th, as stored) within FEATURE_TOLERANCE relative; norm and projection on r. */
    private static void compareFeatures(String what, Checkpoint fixture, String key, float[] features, float[] r,
                                        int stride) {
        float[] expected = fixture.tensor(key + ".features").values();
        float[] kept = new float[expected.length];
        for (int i = 0; i < kept.length; i++) kept[i] = features[i * stride];
        double maxRef = 0, maxDiff = 0;
        int worst = 0;
        for (int i = 0; i < kept.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            double d = Math.abs(kept[i] - (double) expected[i]);
            if (d > maxDiff) {
                maxDiff = d;
                worst = i;
            }
        }
        double relative = maxDiff / maxRef;
        System.out.printf("%s: features max|diff| / max|ref| = %.3g (at %d: %s vs torchvision %s)%n", what, relative,
                worst * stride, kept[worst], expected[worst]);
        if (!(relative <= FEATURE_TOLERANCE)) {
            throw new AssertionError(what + ": features differ from torchvision's: max|diff| / max|ref| = " + relative
                    + " > " + FEATURE_TOLERANCE + "; worst at feature " + worst * stride + ": " + kept[worst]
                    + " vs " + expected[worst]);
        }
        float[] stats = fixture.tensor(key + ".features.stats").values();
        double squares = 0, projection = 0, mass = 0;
        for (int i = 0; i < features.length; i++) {
            squares += (double) features[i] * features[i];
            projection += (double) features[i] * r[i];
            mass += Math.abs((double) features[i] * r[i]);
        }
        assertClose(what + " features sum(f^2)", stats[0], squares, 2 * FEATURE_TOLERANCE * stats[0]);
        assertClose(what + " features sum(f * r)", stats[1], projection, FEATURE_TOLERANCE * mass);
    }

    private interface Values {
        float[] of(String name);
    }

    /** One summary row per tensor: Σ v² within 2 · tolerance relative, 8 values within tolerance · rms. */
    private static void compareTensors(String what, Checkpoint fixture, String key, List<String> names, Values values) {
        float[] rows = fixture.tensor(key).values();
        int width = SAMPLES + 1;
        assertEquals(names.size() * width, rows.length, what + ": fixture rows");
        double worst = 0;
        String worstName = "";
        for (int t = 0; t < names.size(); t++) {
            String name = names.get(t);
            float[] v = values.of(name);
            double[] actual = FormulaWeights.summary(name, v, SAMPLES);
            double squares = rows[t * width];
            double rms = Math.sqrt(squares / v.length);
            assertClose(what + " " + name + " sum(v^2)", squares, actual[0], 2 * TENSOR_TOLERANCE * squares + 1e-30);
            for (int j = 1; j < width; j++) {
                double expected = rows[t * width + j];
                double relative = Math.abs(actual[j] - expected) / rms;
                if (relative > worst) {
                    worst = relative;
                    worstName = name;
                }
                if (!(relative <= TENSOR_TOLERANCE)) {
                    throw new AssertionError(what + " " + name + ": sampled value " + j + " is " + actual[j]
                            + " but torchvision's is " + expected + " (|diff| / rms = " + relative + " > "
                            + TENSOR_TOLERANCE + ")");
                }
            }
        }
        System.out.printf("%s: %d tensors, worst sampled |diff| / rms = %.3g (%s)%n", what, names.size(), worst, worstName);
    }

    private static void assertClose(String what, double expected, double actual, double tolerance) {
        if (!(Math.abs(actual - expected) <= tolerance)) {
            throw new AssertionError(what + ": " + actual + " vs torchvision " + expected + " (|diff| "
                    + Math.abs(actual - expected) + " > " + tolerance + ")");
        }
    }
}
