package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.cpu.CpuBackend;
import org.deephash4j.nn.Sequential;
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
 * Inference (forward without a graph) of {@link HashingNetwork} at batch 128 and 256 on the
 * reference or the vector CPU kernels. The score is images/s (one op = one image): JMH needs a
 * constant {@code @OperationsPerInvocation}, so one invocation encodes 256 images, as 256 / batch
 * forward passes of {@code batch} images (two at batch 128, one at 256).
 * Peer: {@code shared/peers/torch_step.py} (inference mode).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar InferenceBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class InferenceBenchmark {
    /** Images per invocation, a multiple of every batch size below. */
    static final int IMAGES = 256;

    @Param({"128", "256"})
    int batch;

    @Param({"vector", "reference"})
    String kernels;

    private Sequential model;
    private Tensor images;

    @Setup(Level.Trial)
    public void setUp() {
        CpuBackend backend = new CpuBackend(Kernels.named(kernels));
        Random random = new Random(2031L);
        float[] pixels = new float[batch * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        model = HashingNetwork.build(backend, 7L);
        model.eval();
        images = Tensors.fromArray(backend, pixels, batch, 1, 28, 28).keep();
        float[] codes = encode();
        if (!kernels.equals("reference")) {
            CpuBackend reference = new CpuBackend(Kernels.named("reference"));
            try (Sequential referenceModel = HashingNetwork.build(reference, 7L);
                 NoGrad noGrad = NoGrad.enter();
                 TensorScope scope = TensorScope.open()) {
                // The first 4 images are enough to catch a broken kernel and keep the set-up short.
                float[] few = java.util.Arrays.copyOf(pixels, 4 * 28 * 28);
                float[] expected = referenceModel.forward(Tensors.fromArray(reference, few, 4, 1, 28, 28)).toArray();
                Kernels.checkClose(kernels + " inference", expected,
                        java.util.Arrays.copyOf(codes, expected.length), 1e-4, 1e-3);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
        images.close();
    }

    /** IMAGES / batch passes of one batch through the network; returns the last outputs [batch, 48]. */
    @Benchmark
    @OperationsPerInvocation(IMAGES)
    public float[] forward() {
        float[] codes = null;
        for (int pass = 0; pass < IMAGES / batch; pass++) {
            codes = encode();
        }
        return codes;
    }

    private float[] encode() {
        try (NoGrad noGrad = NoGrad.enter(); TensorScope scope = TensorScope.open()) {
            return model.forward(images).toArray();
        }
    }
}
