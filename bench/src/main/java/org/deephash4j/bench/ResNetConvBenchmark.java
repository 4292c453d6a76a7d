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
 * The 3×3 convolutions of ResNet-18 (torchvision's {@code resnet18}: padding 1, no bias, stride 1
 * inside a stage and 2 where a stage starts) at batch 32, for 224×224 and 112×112 input images,
 * written out by shape so the figures exist whatever network code is present. {@code layer} is
 * {@code inC-outC-size-stride} with size the input's height and width: at 224×224 the stages run
 * at 56, 28, 14 and 7; at 112×112 at 28, 14, 7 and 4. Forward, backward-data and backward-filter
 * separately; scores are images/s, and one pass costs
 * {@code 2 · outC · inC · 9 · outH · outW} FLOP per image (k² instead of 9 for a k×k layer) (GFLOP/s = that · images/s / 1e9).
 * Only the vector kernels are timed (the reference would take minutes per batch); each pass is
 * checked against the reference on one image first.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ResNetConvBenchmark -p layer=128-128-28-1}
 * Peer: {@code bench/peers/torch_conv.py} (the same shapes in PyTorch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class ResNetConvBenchmark {
    static final int BATCH = 32;

    @Param({"64-64-56-1", "64-128-56-2", "128-128-28-1", "128-256-28-2", "256-256-14-1", "256-512-14-2",
            "512-512-7-1", "64-64-28-1", "64-128-28-2", "128-128-14-1", "128-256-14-2", "256-256-7-1",
            "256-512-7-2", "512-512-4-1", "64-128-28-2-1", "128-256-14-2-1", "256-512-7-2-1"})
    String layer;

    private CpuKernels cpu;
    private Conv2dGeometry g;
    private float[] input;
    private float[] weight;
    private float[] output;
    private float[] gradOutput;
    private float[] gradInput;
    private float[] gradWeight;

    /**
     * The geometry of {@code inC-outC-size-stride} (3×3, padding 1) or {@code inC-outC-size-stride-k}
     * (k×k, padding k / 2: {@code -1} names the 1×1 downsample of a stage's first block) at the given batch.
     */
    static Conv2dGeometry geometry(String layer, int batch) {
        String[] p = layer.split("-");
        if (p.length != 4 && p.length != 5) {
            throw new IllegalArgumentException("layer: got '" + layer + "', expected inC-outC-size-stride[-kernel]");
        }
        int size = Integer.parseInt(p[2]);
        int kernel = p.length == 5 ? Integer.parseInt(p[4]) : 3;
        return new Conv2dGeometry(batch, Integer.parseInt(p[0]), size, size, Integer.parseInt(p[1]), kernel, kernel,
                Integer.parseInt(p[3]), kernel / 2);
    }

    @Setup(Level.Trial)
    public void setUp() {
        cpu = Kernels.named("vector");
        g = geometry(layer, BATCH);
        Random random = new Random(2031L);
        input = Kernels.uniform(random, (int) g.inputSize());
        weight = Kernels.uniform(random, (int) g.weightSize());
        output = new float[(int) g.outputSize()];
        gradOutput = Kernels.uniform(random, (int) g.outputSize());
        gradInput = new float[(int) g.inputSize()];
        gradWeight = new float[(int) g.weightSize()];
        check();
    }

    /** Each pass on the first image, against the reference kernels. */
    private void check() {
        Conv2dGeometry one = geometry(layer, 1);
        CpuKernels reference = new ReferenceKernels();
        int taps = g.inChannels() * g.kernelHeight() * g.kernelWidth();
        float[] expected = new float[(int) one.outputSize()];
        float[] actual = new float[(int) one.outputSize()];
        reference.conv2dForward(expected, input, weight, null, one);
        cpu.conv2dForward(actual, input, weight, null, one);
        Kernels.checkClose("vector conv2dForward " + one, expected, actual, 2e-6 * taps, 1e-5);
        float[] expectedX = new float[(int) one.inputSize()];
        float[] actualX = new float[(int) one.inputSize()];
        reference.conv2dBackwardData(expectedX, gradOutput, weight, one);
        cpu.conv2dBackwardData(actualX, gradOutput, weight, one);
        Kernels.checkClose("vector conv2dBackwardData " + one, expectedX, actualX, 2e-6 * g.outChannels() * g.kernelHeight() * g.kernelWidth(), 1e-5);
        float[] expectedW = new float[(int) one.weightSize()];
        float[] actualW = new float[(int) one.weightSize()];
        reference.conv2dBackwardFilter(expectedW, null, gradOutput, input, one);
        cpu.conv2dBackwardFilter(actualW, null, gradOutput, input, one);
        Kernels.checkClose("vector conv2dBackwardFilter " + one, expectedW, actualW,
                2e-6 * g.outHeight() * g.outWidth(), 1e-5);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] forward() {
        cpu.conv2dForward(output, input, weight, null, g);
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
        cpu.conv2dBackwardFilter(gradWeight, null, gradOutput, input, g);
        return gradWeight;
    }
}
