package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.cpu.CpuBackend;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.zoo.ResNet18;
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
 * One ResNet-18 training step at batch 32 on 112 x 112 images ({@code -p size=64}: the quality runs'
 * input size), on the vector CPU kernels:
 * forward in training mode (batch statistics), loss = Σ features · r for a fixed r [32, 512],
 * backward, SGD step (lr 0.01, momentum 0.9), as the peer. The score is images/s (one op = one
 * image). Peer: {@code bench/peers/torch_resnet18.py train} ({@code train64} at 64 x 64).
 *
 * <p>Before timing, the loss of a 2-image step is checked against the reference kernels.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ResNet18TrainStepBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms6g", "-Xmx6g"})
public class ResNet18TrainStepBenchmark {
    static final int BATCH = 32;
    static final int SIZE = 112;

    @Param({"vector"})
    String kernels;

    /** Input height and width: {@link #SIZE} (issue 20's figure) unless given. */
    @Param({"112"})
    int size;

    private ResNet18 model;
    private Sgd optimizer;
    private Tensor images;
    private Tensor weights;

    @Setup(Level.Trial)
    public void setUp() {
        CpuBackend backend = new CpuBackend(Kernels.named(kernels));
        images = Tensors.rand(backend, 2060L, -1f, 1f, BATCH, 3, size, size).keep();
        weights = Tensors.rand(backend, 2061L, -1f, 1f, BATCH, ResNet18.FEATURES).keep();
        if (!kernels.equals("reference")) {
            float loss = lossOfTwo(backend);
            float expected = lossOfTwo(new CpuBackend(Kernels.named("reference")));
            if (!(Math.abs(loss - expected) <= 1e-4 + 1e-4 * Math.abs(expected))) {
                throw new IllegalStateException(kernels + " resnet18 loss " + loss + " vs reference " + expected);
            }
        }
        model = new ResNet18(backend, 7L);
        optimizer = new Sgd(model.parameters(), 0.01f, 0.9f, 0f);
    }

    /** The loss of the first two images on a fresh model (seed 7) on this backend. */
    private float lossOfTwo(CpuBackend backend) {
        float[] x = java.util.Arrays.copyOf(images.toArray(), 2 * 3 * size * size);
        float[] r = java.util.Arrays.copyOf(weights.toArray(), 2 * ResNet18.FEATURES);
        try (ResNet18 fresh = new ResNet18(backend, 7L); TensorScope scope = TensorScope.open()) {
            Tensor features = fresh.forward(Tensors.fromArray(backend, x, 2, 3, size, size));
            return Ops.sum(Ops.mul(features, Tensors.fromArray(backend, r, 2, ResNet18.FEATURES))).item();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
        model.close();
        images.close();
        weights.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float step() {
        try (TensorScope scope = TensorScope.open()) {
            optimizer.zeroGrad();
            Tensor loss = Ops.sum(Ops.mul(model.forward(images), weights));
            Graph.backward(loss);
            optimizer.step();
            return loss.item();
        }
    }
}
