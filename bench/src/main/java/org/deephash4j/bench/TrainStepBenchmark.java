package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.autograd.Graph;
import org.deephash4j.backend.cpu.CpuBackend;
import org.deephash4j.nn.Sequential;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole training step of {@link HashingNetwork} at batch 128: forward, the pairwise hashing
 * loss, backward, SGD update (momentum 0.9, weight decay 5e-4), on the reference or the vector
 * CPU kernels. The score is images/s (one op = one image). Peer: {@code shared/peers/torch_step.py}.
 *
 * <p>Before timing, the first step's loss on this kernel set is checked against the reference
 * kernels' loss for the same seeded model and batch.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar TrainStepBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class TrainStepBenchmark {
    static final int BATCH = 128;

    @Param({"vector", "reference"})
    String kernels;

    private Sequential model;
    private Sgd optimizer;
    private Tensor images;
    private Tensor similarity;

    @Setup(Level.Trial)
    public void setUp() {
        CpuBackend backend = new CpuBackend(Kernels.named(kernels));
        Random random = new Random(2030L);
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = random.nextInt(10);
        }
        float[] pixels = new float[BATCH * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        model = HashingNetwork.build(backend, 7L);
        optimizer = new Sgd(model.parameters(), 0.01f, 0.9f, 5e-4f);
        images = Tensors.fromArray(backend, pixels, BATCH, 1, 28, 28).keep();
        similarity = Tensors.fromArray(backend, HashingNetwork.similarity(labels), BATCH, BATCH).keep();

        float loss = lossOnce(model, images, similarity);
        if (!kernels.equals("reference")) {
            CpuBackend reference = new CpuBackend(Kernels.named("reference"));
            try (Sequential referenceModel = HashingNetwork.build(reference, 7L)) {
                Tensor referenceImages = Tensors.fromArray(reference, pixels, BATCH, 1, 28, 28).keep();
                Tensor referenceSimilarity = Tensors.fromArray(reference, HashingNetwork.similarity(labels),
                        BATCH, BATCH).keep();
                float expected = lossOnce(referenceModel, referenceImages, referenceSimilarity);
                referenceImages.close();
                referenceSimilarity.close();
                if (!(Math.abs(loss - expected) <= 1e-4 + 1e-4 * Math.abs(expected))) {
                    throw new IllegalStateException(kernels + " training loss " + loss + " vs reference " + expected);
                }
            }
        }
    }

    private static float lossOnce(Sequential model, Tensor images, Tensor similarity) {
        try (TensorScope scope = TensorScope.open()) {
            return HashingNetwork.pairwiseLoss(model.forward(images), similarity).item();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
        model.close();
        images.close();
        similarity.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float step() {
        try (TensorScope scope = TensorScope.open()) {
            optimizer.zeroGrad();
            Tensor loss = HashingNetwork.pairwiseLoss(model.forward(images), similarity);
            Graph.backward(loss);
            optimizer.step();
            return loss.item();
        }
    }
}
