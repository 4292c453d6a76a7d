package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.cpu.CpuKernels;
import org.deephash4j.backend.cpu.ReferenceKernels;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Max pooling forward + backward at batch 128, reference and vector kernels, by {@code pool}:
 * {@code lenet}, 2×2 at stride 2 on [128, 32, 28, 28] (the LeNet network's first pooling; each
 * image moves 32·28·28·4 = 100 KB in, 25 KB out, and back), and {@code resnet}, 3×3 at stride 2
 * with padding 1 on [128, 64, 56, 56] (ResNet-18's stem pooling at 112×112 input; 800 KB in,
 * 200 KB out). Scores are images/s (one op = one image).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar PoolBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class PoolBenchmark {
    static final int BATCH = 128;

    @Param({"vector", "reference"})
    String kernels;

    private CpuKernels cpu;
    @Param({"lenet", "resnet"})
    String pool;

    private Pool2dGeometry g;
    private float[] input;
    private float[] output;
    private float[] gradOutput;
    private float[] gradInput;

    @Setup(Level.Trial)
    public void setUp() {
        g = pool.equals("lenet") ? new Pool2dGeometry(BATCH, 32, 28, 28, 2, 2, 2, 0)
                : new Pool2dGeometry(BATCH, 64, 56, 56, 3, 3, 2, 1);
        cpu = Kernels.named(kernels);
        Random random = new Random(2029L);
        input = Kernels.uniform(random, (int) g.inputSize());
        output = new float[(int) g.outputSize()];
        gradOutput = Kernels.uniform(random, (int) g.outputSize());
        gradInput = new float[(int) g.inputSize()];
        float[] expected = new float[(int) g.outputSize()];
        float[] expectedGrad = new float[(int) g.inputSize()];
        CpuKernels reference = new ReferenceKernels();
        reference.maxPool2dForward(expected, input, g);
        reference.maxPool2dBackward(expectedGrad, gradOutput, input, expected, g);
        forwardBackward();
        Kernels.checkClose(cpu.name() + " maxPool2dForward " + g, expected, output, 0, 0);
        Kernels.checkClose(cpu.name() + " maxPool2dBackward " + g, expectedGrad, gradInput, 0, 0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] forward() {
        cpu.maxPool2dForward(output, input, g);
        return output;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] forwardBackward() {
        cpu.maxPool2dForward(output, input, g);
        cpu.maxPool2dBackward(gradInput, gradOutput, input, output, g);
        return gradInput;
    }
}
