package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.backend.Conv2dGeometry;
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
 * The two convolutions of the LeNet-sized hashing network at batch 128: forward, backward-data and
 * backward-filter alone, and forward + both backwards, on the reference and vector kernels. Scores
 * are images/s (one op = one image). FLOP per image and pass: conv1 (1×28×28 → 32, 5×5, pad 2)
 * 2·32·25·784 = 1.25 MFLOP; conv2 (32×14×14 → 64, 5×5, pad 2) 2·64·800·196 = 20.1 MFLOP; each
 * pass costs the same, forward + backward three times that (conv1's backward-data, which training
 * skips because the images need no gradient, is still computed).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar Conv2dBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class Conv2dBenchmark {
    static final int BATCH = 128;

    @Param({"conv1", "conv2"})
    String layer;

    @Param({"vector", "reference"})
    String kernels;

    private CpuKernels cpu;
    private Conv2dGeometry g;
    private float[] input;
    private float[] weight;
    private float[] bias;
    private float[] output;
    private float[] gradOutput;
    private float[] gradInput;
    private float[] gradWeight;
    private float[] gradBias;

    @Setup(Level.Trial)
    public void setUp() {
        cpu = Kernels.named(kernels);
        g = layer.equals("conv1")
                ? new Conv2dGeometry(BATCH, 1, 28, 28, 32, 5, 5, 1, 2)
                : new Conv2dGeometry(BATCH, 32, 14, 14, 64, 5, 5, 1, 2);
        Random random = new Random(2028L);
        input = Kernels.uniform(random, (int) g.inputSize());
        weight = Kernels.uniform(random, (int) g.weightSize());
        bias = Kernels.uniform(random, g.outChannels());
        output = new float[(int) g.outputSize()];
        gradOutput = Kernels.uniform(random, (int) g.outputSize());
        gradInput = new float[(int) g.inputSize()];
        gradWeight = new float[(int) g.weightSize()];
        gradBias = new float[g.outChannels()];
        check();
    }

    /** Each pass on the first two images, against the reference kernels. */
    private void check() {
        Conv2dGeometry small = new Conv2dGeometry(2, g.inChannels(), g.inHeight(), g.inWidth(), g.outChannels(),
                g.kernelHeight(), g.kernelWidth(), g.stride(), g.padding());
        CpuKernels reference = new ReferenceKernels();
        int k = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        float[] expected = new float[(int) small.outputSize()];
        float[] actual = new float[(int) small.outputSize()];
        reference.conv2dForward(expected, input, weight, bias, small);
        cpu.conv2dForward(actual, input, weight, bias, small);
        Kernels.checkClose(cpu.name() + " conv2dForward " + small, expected, actual, 2e-6 * k, 1e-5);
        float[] expectedW = new float[(int) small.weightSize()];
        float[] actualW = new float[(int) small.weightSize()];
        reference.conv2dBackwardFilter(expectedW, null, gradOutput, input, small);
        cpu.conv2dBackwardFilter(actualW, null, gradOutput, input, small);
        Kernels.checkClose(cpu.name() + " conv2dBackwardFilter " + small, expectedW, actualW,
                2e-6 * 2 * g.outHeight() * g.outWidth(), 1e-5);
        float[] expectedX = new float[(int) small.inputSize()];
        float[] actualX = new float[(int) small.inputSize()];
        reference.conv2dBackwardData(expectedX, gradOutput, weight, small);
        cpu.conv2dBackwardData(actualX, gradOutput, weight, small);
        Kernels.checkClose(cpu.name() + " conv2dBackwardData " + small, expectedX, actualX,
                2e-6 * g.outChannels() * g.kernelHeight() * g.kernelWidth(), 1e-5);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] forward() {
        cpu.conv2dForward(output, input, weight, bias, g);
        return output;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] backwardData() {
        cpu.conv2dBackwardData(gradInput, gradOutput, weight, g);
        return gradInput;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] backwardFilter() {
        cpu.conv2dBackwardFilter(gradWeight, gradBias, gradOutput, input, g);
        return gradWeight;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] forwardBackward() {
        cpu.conv2dForward(output, input, weight, bias, g);
        cpu.conv2dBackwardData(gradInput, gradOutput, weight, g);
        cpu.conv2dBackwardFilter(gradWeight, gradBias, gradOutput, input, g);
        return gradWeight;
    }
}
