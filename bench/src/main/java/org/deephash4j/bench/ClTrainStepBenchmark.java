package org.deephash4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.nn.Sequential;
import org.deephash4j.optim.Adam;
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
 * One whole training step of the LeNet-sized network of {@link HashingNetwork} (conv 5x5 32 pad 2,
 * ReLU, max-pool 2, conv 5x5 64 pad 2, ReLU, max-pool 2, fc 3136→500, ReLU, fc 500→48), the
 * network of {@link TrainStepBenchmark}, at batch 128 on 28x28 images, with DHN's pairwise
 * loss plus quantization (Zhu et al., AAAI 2016; HashNet's balance weights) composed from Ops,
 * and an Adam update: upload the batch, forward, backward, update, read the loss. The same step
 * runs on {@code cpu} and {@code opencl:0} ({@code -p backend=...}); tensors stay on the device
 * for the whole step. Before timing, one step from the same seed must give the same loss on both
 * backends (within 1e-4 relative). Scores are images per second. Run just this class:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ClTrainStepBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xms4g", "-Xmx4g"})
public class ClTrainStepBenchmark {
    static final int BATCH = 128;
    static final int PIXELS = 28 * 28;
    static final long SEED = 7;

    @Param({"opencl:0", "cpu"})
    String backend;

    private Trainer trainer;

    /** A model, its optimizer and one fixed batch on one backend. */
    static final class Trainer implements AutoCloseable {
        final Backend backend;
        final Sequential net;
        final Adam adam;
        final float[] images;
        final float[] weightedSimilar = new float[BATCH * BATCH];
        final float[] weights = new float[BATCH * BATCH];

        Trainer(Backend backend) {
            this.backend = backend;
            net = HashingNetwork.build(backend, SEED);
            adam = new Adam(net.parameters(), 1e-3f);
            images = BenchData.uniform(SEED, BATCH * PIXELS);
            int[] labels = new int[BATCH];
            SplittableRandom r = new SplittableRandom(SEED);
            for (int i = 0; i < BATCH; i++) labels[i] = r.nextInt(10);
            int similar = 0;
            for (int i = 0; i < BATCH; i++) for (int j = 0; j < BATCH; j++) if (labels[i] == labels[j]) similar++;
            for (int i = 0; i < BATCH; i++) {
                for (int j = 0; j < BATCH; j++) {
                    boolean s = labels[i] == labels[j];
                    weights[i * BATCH + j] = s ? BATCH * BATCH / (2f * similar) : BATCH * BATCH / (2f * (BATCH * BATCH - similar));
                    weightedSimilar[i * BATCH + j] = s ? weights[i * BATCH + j] : 0f;
                }
            }
        }

        float step() {
            try (TensorScope scope = TensorScope.open()) {
                Tensor x = Tensors.fromArray(backend, images, BATCH, 1, 28, 28);
                Tensor ws = Tensors.fromArray(backend, weightedSimilar, BATCH, BATCH);
                Tensor w = Tensors.fromArray(backend, weights, BATCH, BATCH);
                adam.zeroGrad();
                Tensor z = Ops.tanh(net.forward(x));
                Tensor theta = Ops.matmul(z, z, false, true);
                Tensor pairwise = Ops.mean(Ops.sub(Ops.mul(w, Ops.softplus(theta)), Ops.mul(ws, theta)));
                Tensor quantization = Ops.scale(Ops.sum(Ops.logCosh(Ops.affine(Ops.abs(z), 1f, -1f))), 0.01f / BATCH);
                Tensor loss = Ops.add(pairwise, quantization);
                Graph.backward(loss);
                adam.step();
                return loss.item();   // the one copy to the host: waits for the whole step
            }
        }

        @Override
        public void close() {
            adam.close();
            net.close();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Backend b = Backends.get(backend);
        try (Trainer cpu = new Trainer(Backends.cpu()); Trainer check = new Trainer(b)) {
            float expected = cpu.step();
            float actual = check.step();
            if (!(Math.abs(actual - expected) <= 1e-4 * (1 + Math.abs(expected)))) {
                throw new IllegalStateException("train step on " + backend + ": loss " + actual + " vs CPU " + expected
                        + "; not timing a wrong step");
            }
        }
        trainer = new Trainer(b);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float step() {
        return trainer.step();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
    }
}
