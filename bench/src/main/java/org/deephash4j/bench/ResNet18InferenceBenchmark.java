package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.cpu.CpuBackend;
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
 * ResNet-18 inference ({@link ResNet18}: forward in evaluation mode, no graph, to the pooled
 * features [32, 512]) at batch 32 on 224 x 224 images, on the vector CPU kernels. The score is
 * images/s (one op = one image; 1.82 GFLOP each). Peer: {@code bench/peers/torch_resnet18.py infer}.
 *
 * <p>Before timing, the first image's features are checked against the reference kernels.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ResNet18InferenceBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms6g", "-Xmx6g"})
public class ResNet18InferenceBenchmark {
    static final int BATCH = 32;
    static final int SIZE = 224;

    @Param({"vector"})
    String kernels;

    private ResNet18 model;
    private Tensor images;

    @Setup(Level.Trial)
    public void setUp() {
        CpuBackend backend = new CpuBackend(Kernels.named(kernels));
        model = new ResNet18(backend, 7L);
        model.eval();
        images = Tensors.rand(backend, 2050L, -1f, 1f, BATCH, 3, SIZE, SIZE).keep();
        float[] features = forward();
        if (!kernels.equals("reference")) {
            CpuBackend reference = new CpuBackend(Kernels.named("reference"));
            try (ResNet18 referenceModel = new ResNet18(reference, 7L); NoGrad off = NoGrad.enter();
                 TensorScope scope = TensorScope.open()) {
                referenceModel.eval();
                float[] first = java.util.Arrays.copyOf(images.toArray(), 3 * SIZE * SIZE);
                float[] expected = referenceModel.forward(Tensors.fromArray(reference, first, 1, 3, SIZE, SIZE)).toArray();
                Kernels.checkClose(kernels + " resnet18 inference", expected,
                        java.util.Arrays.copyOf(features, expected.length), 1e-4, 1e-3);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        images.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] forward() {
        try (NoGrad off = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
            return model.forward(images).toArray();
        }
    }
}
