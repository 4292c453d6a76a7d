package org.deephash4j.bench;

import java.util.concurrent.TimeUnit;

import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.backend.Pool2dGeometry;
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
 * OpenCL pooling (pool2d.cl) on the LeNet-sized network's first pooling at batch 128, the tensor of
 * {@link PoolBenchmark}: 2x2 windows, stride 2, over [128, 32, 28, 28]; max and average, forward and backward, each waiting for the device. Scores
 * are images per second. Max forward and backward are checked once against the CPU backend.
 * Run just this class: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ClPool2dBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xms4g", "-Xmx4g"})
public class ClPool2dBenchmark {
    static final int BATCH = 128;

    @Param({"opencl:0"})
    String device;

    private final Pool2dGeometry g = new Pool2dGeometry(BATCH, 32, 28, 28, 2, 2, 2, 0);
    private OpenClBackend cl;
    private Storage input;
    private Storage output;
    private Storage gradInput;

    @Setup(Level.Trial)
    public void setUp() {
        cl = (OpenClBackend) Backends.get(device);
        float[] x = BenchData.uniform(1, (int) g.inputSize());
        input = BenchData.upload(cl, x);
        output = cl.allocate(g.outputSize());
        gradInput = cl.allocate(g.inputSize());
        Backend cpu = Backends.cpu();
        try (Storage cx = BenchData.upload(cpu, x); Storage co = cpu.allocate(g.outputSize());
             Storage cgi = cpu.allocate(g.inputSize())) {
            cpu.maxPool2dForward(co, cx, g);
            cl.maxPool2dForward(output, input, g);
            BenchData.check("max pool forward " + g, BenchData.download(cpu, co, (int) g.outputSize()),
                    BenchData.download(cl, output, (int) g.outputSize()), 0, 0);
            cpu.maxPool2dBackward(cgi, co, cx, co, g);
            cl.maxPool2dBackward(gradInput, output, input, output, g);
            BenchData.check("max pool backward " + g, BenchData.download(cpu, cgi, (int) g.inputSize()),
                    BenchData.download(cl, gradInput, (int) g.inputSize()), 0, 0);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Storage maxForward() {
        cl.maxPool2dForward(output, input, g);
        cl.finish();
        return output;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Storage maxBackward() {
        cl.maxPool2dBackward(gradInput, output, input, output, g);
        cl.finish();
        return gradInput;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Storage avgForward() {
        cl.avgPool2dForward(output, input, g);
        cl.finish();
        return output;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Storage avgBackward() {
        cl.avgPool2dBackward(gradInput, output, g);
        cl.finish();
        return gradInput;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        input.close();
        output.close();
        gradInput.close();
    }
}
