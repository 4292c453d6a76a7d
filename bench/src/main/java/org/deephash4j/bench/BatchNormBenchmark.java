package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.backend.BinaryOp;
import org.deephash4j.backend.cpu.CpuKernels;
import org.deephash4j.backend.cpu.ReferenceKernels;
import org.deephash4j.backend.cpu.VectorKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch normalisation in training mode, forward (batch statistics and output) + backward (batch
 * statistics), against the time of reading and writing its tensors once, on ResNet-18's shapes at
 * batch 32: [32, 64, 56, 56] (after the stem at 224 x 224: 25.7 MB a tensor) and [32, 256, 14, 14].
 *
 * <ul>
 *   <li>{@code forwardBackward}: {@code batchNormTrainingForward} then {@code batchNormBackward},
 *       on the {@code kernels} set;</li>
 *   <li>{@code readWriteOnce}: the memory-bandwidth baseline on the same tensors, what the two
 *       passes must at least move: y = x (reads x, writes y) and dx = dy + x (reads dy and x,
 *       writes dx), with the vector kernels (multi-threaded like the batch norm) whatever
 *       {@code kernels} says.</li>
 * </ul>
 * The figure users compare is forwardBackward / readWriteOnce (target: at most 2). Scores are
 * milliseconds per call. Peer: {@code bench/peers/torch_resnet18.py bn} (PyTorch's batch norm and
 * the same baseline). Before timing, the kernel set's results are checked against the reference.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar BatchNormBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class BatchNormBenchmark {
    private static final float EPS = 1e-5f;

    @Param({"32x64x56x56", "32x256x14x14"})
    String shape;

    @Param({"vector", "reference"})
    String kernels;

    private CpuKernels cpu;
    private final CpuKernels vector = new VectorKernels();
    private int batch;
    private int channels;
    private int spatial;
    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private float[] weight;
    private float[] bias;
    private float[] mean;
    private float[] variance;
    private float[] gradWeight;
    private float[] gradBias;

    @Setup(Level.Trial)
    public void setUp() {
        String[] d = shape.split("x");
        batch = Integer.parseInt(d[0]);
        channels = Integer.parseInt(d[1]);
        spatial = Integer.parseInt(d[2]) * Integer.parseInt(d[3]);
        int n = batch * channels * spatial;
        cpu = Kernels.named(kernels);
        Random random = new Random(2040L);
        x = Kernels.uniform(random, n);
        dy = Kernels.uniform(random, n);
        y = new float[n];
        dx = new float[n];
        weight = Kernels.uniform(random, channels);
        bias = Kernels.uniform(random, channels);
        mean = new float[channels];
        variance = new float[channels];
        gradWeight = new float[channels];
        gradBias = new float[channels];
        forwardBackward();
        if (!kernels.equals("reference")) {
            CpuKernels reference = new ReferenceKernels();
            float[] ey = new float[n], em = new float[channels], ev = new float[channels];
            float[] edx = new float[n], ew = new float[channels], eb = new float[channels];
            reference.batchNormTrainingForward(ey, em, ev, x, weight, bias, EPS, batch, channels, spatial);
            reference.batchNormBackward(edx, ew, eb, dy, x, em, ev, weight, EPS, true, batch, channels, spatial);
            Kernels.checkClose(kernels + " batch norm output " + shape, ey, y, 1e-5, 1e-5);
            Kernels.checkClose(kernels + " batch norm gradInput " + shape, edx, dx, 1e-5, 1e-5);
            Kernels.checkClose(kernels + " batch norm gradWeight " + shape, ew, gradWeight, 1e-3, 1e-5);
        }
    }

    @Benchmark
    public float[] forwardBackward() {
        cpu.batchNormTrainingForward(y, mean, variance, x, weight, bias, EPS, batch, channels, spatial);
        cpu.batchNormBackward(dx, gradWeight, gradBias, dy, x, mean, variance, weight, EPS, true, batch, channels,
                spatial);
        return dx;
    }

    /** The forward alone (batch statistics and output): where forwardBackward's time goes. */
    @Benchmark
    public float[] forward() {
        cpu.batchNormTrainingForward(y, mean, variance, x, weight, bias, EPS, batch, channels, spatial);
        return y;
    }

    /** The backward alone, on the statistics the set-up's forward left. */
    @Benchmark
    public float[] backward() {
        cpu.batchNormBackward(dx, gradWeight, gradBias, dy, x, mean, variance, weight, EPS, true, batch, channels,
                spatial);
        return dx;
    }

    @Benchmark
    public float[] readWriteOnce() {
        vector.affine(y, x, 1f, 0f, x.length);
        vector.binary(BinaryOp.ADD, dx, dy, x, x.length);
        return dx;
    }
}
