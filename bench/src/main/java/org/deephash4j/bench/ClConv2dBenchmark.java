package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Storage;
import org.deephash4j.opencl.OpenClBackend;
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
 * OpenCL convolution (conv2d.cl, direct) on LeNet's two layers at batch 128: {@code conv1}
 * [128, 1, 28, 28] * [6, 1, 5, 5] and {@code conv2} [128, 6, 12, 12] * [16, 6, 5, 5]; forward,
 * backward data and backward filter (with the bias gradient), each waiting for the device, by
 * both algorithms ({@code direct} kernels, or {@code im2col} + the tiled GEMM).
 * Scores are images per second. Each pass is checked once against the CPU backend before timing.
 * Run just this class: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ClConv2dBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xms4g", "-Xmx4g"})
public class ClConv2dBenchmark {
    static final int BATCH = 128;

    @Param({"conv1", "conv2"})
    String layer;

    @Param({"opencl:0"})
    String device;

    /** The OpenCL convolution algorithm (-Ddeephash.opencl.conv); each fork opens its own backend. */
    @Param({"direct", "im2col"})
    String algorithm;

    private OpenClBackend cl;
    private Conv2dGeometry g;
    private Storage input;
    private Storage weight;
    private Storage bias;
    private Storage output;
    private Storage gradInput;
    private Storage gradWeight;
    private Storage gradBias;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("deephash.opencl.conv", algorithm);
        cl = (OpenClBackend) Backends.get(device);
        g = layer.equals("conv1") ? new Conv2dGeometry(BATCH, 1, 28, 28, 6, 5, 5, 1, 0)
                : new Conv2dGeometry(BATCH, 6, 12, 12, 16, 5, 5, 1, 0);
        float[] x = BenchData.uniform(1, (int) g.inputSize());
        float[] w = BenchData.uniform(2, (int) g.weightSize());
        float[] bv = BenchData.uniform(3, g.outChannels());
        input = BenchData.upload(cl, x);
        weight = BenchData.upload(cl, w);
        bias = BenchData.upload(cl, bv);
        output = cl.allocate(g.outputSize());
        gradInput = cl.allocate(g.inputSize());
        gradWeight = cl.allocate(g.weightSize());
        gradBias = cl.allocate(g.outChannels());

        Backend cpu = Backends.cpu();
        try (Storage cx = BenchData.upload(cpu, x); Storage cw = BenchData.upload(cpu, w); Storage cb = BenchData.upload(cpu, bv);
             Storage co = cpu.allocate(g.outputSize()); Storage cgi = cpu.allocate(g.inputSize());
             Storage cgw = cpu.allocate(g.weightSize())) {
            cpu.conv2dForward(co, cx, cw, cb, g);
            cl.conv2dForward(output, input, weight, bias, g);
            BenchData.check("conv2d forward " + g, BenchData.download(cpu, co, (int) g.outputSize()),
                    BenchData.download(cl, output, (int) g.outputSize()), 1e-4, 1e-4);
            // the forward output stands in for gradOutput in both backward passes
            cpu.conv2dBackwardData(cgi, co, cw, g);
            cl.conv2dBackwardData(gradInput, output, weight, g);
            BenchData.check("conv2d backward data " + g, BenchData.download(cpu, cgi, (int) g.inputSize()),
                    BenchData.download(cl, gradInput, (int) g.inputSize()), 1e-3, 1e-4);
            cpu.conv2dBackwardFilter(cgw, null, co, cx, g);
            cl.conv2dBackwardFilter(gradWeight, gradBias, output, input, g);
            BenchData.check("conv2d backward filter " + g, BenchData.download(cpu, cgw, (int) g.weightSize()),
                    BenchData.download(cl, gradWeight, (int) g.weightSize()), 1e-1, 1e-3);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Storage forward() {
        cl.conv2dForward(output, input, weight, bias, g);
        cl.finish();
        return output;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Storage backwardData() {
        cl.conv2dBackwardData(gradInput, output, weight, g);
        cl.finish();
        return gradInput;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Storage backwardFilter() {
        cl.conv2dBackwardFilter(gradWeight, gradBias, output, input, g);
        cl.finish();
        return gradWeight;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Storage s : new Storage[] {input, weight, bias, output, gradInput, gradWeight, gradBias}) s.close();
    }
}
