package org.deephash4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.autograd.Graph;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Backends;
import org.deephash4j.data.Labels;
import org.deephash4j.hashing.Dhn;
import org.deephash4j.hashing.Dlbhc;
import org.deephash4j.hashing.Dsdh;
import org.deephash4j.hashing.DsdhSolvers;
import org.deephash4j.hashing.ExpH;
import org.deephash4j.hashing.HashHeadMethod;
import org.deephash4j.hashing.HashNet;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
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
 * The hashing losses and DSDH's discrete steps on the default CPU backend:
 * <ul>
 *   <li>{@code loss}: each method's loss forward + backward on a batch of 128 hash-layer outputs
 *       (12 and 48 bits); DSDH's is its likelihood against a bank of 5,000 training codes (the
 *       official code's training-set size) in its default per-epoch schedule, whose W and B steps
 *       run once per epoch and are timed on their own below;</li>
 *   <li>{@code dsdhWStep} / {@code dsdhBStep}: the closed-form W step and one DCC sweep of the B step
 *       over 5,000 and 60,000 training codes (the B step copies B back to its start first, O(N·K),
 *       small next to the sweep's O(N·K²));</li>
 *   <li>{@code bankLoss}: HashNet's bank pairing and DSDH's likelihood, a batch of 128 against all
 *       5,000 or 60,000 training codes, forward + backward.</li>
 * </ul>
 * Scores are operations per second (one batch loss or one step). Run just this class:
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar HashLossBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class HashLossBenchmark {
    static final int BATCH = 128;
    static final int CLASSES = 10;

    static Labels labels(int n, long seed) {
        Random r = new Random(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(CLASSES);
        return Labels.single(y, CLASSES);
    }

    static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    static HashHeadMethod method(String name, int bits, Labels training, Backend backend) {
        return switch (name) {
            case "DLBHC" -> {
                Dlbhc d = new Dlbhc(bits, CLASSES);
                d.head(backend, 64, 1);
                yield d;
            }
            case "DHN" -> new Dhn(bits);
            case "HashNet" -> new HashNet(bits);
            case "DSDH" -> Dsdh.create(bits, training);
            case "ExpH" -> ExpH.builder(bits, CLASSES).stage1Epochs(0).stage2Epochs(0).build();
            case "HashNetBank" -> HashNet.builder(bits).pairing(HashNet.Pairing.BANK).trainingLabels(training).build();
            default -> throw new IllegalArgumentException("unknown method " + name);
        };
    }

    /** One forward + backward; returns the loss (checked finite once in setup). */
    static float step(HashHeadMethod method, Tensor z, Labels y, int[] indices) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor loss = method.lossOnOutputs(z, y, indices);
            Graph.backward(loss);
            return loss.item();
        }
    }

    /** A batch of 128 outputs with labels and training-set indices, and a method over N training examples. */
    abstract static class Batch {
        HashHeadMethod m;
        Tensor z;
        Labels y;
        int[] indices;

        void build(String name, int bits, int trainingSize) {
            Backend backend = Backends.cpu();
            Labels training = labels(trainingSize, 3);
            m = method(name, bits, training, backend);
            indices = new int[BATCH];
            Random r = new Random(5);
            for (int i = 0; i < BATCH; i++) indices[i] = r.nextInt(trainingSize);
            y = training.subset(indices);
            z = Tensors.fromArray(backend, gaussian(BATCH * bits, 7), BATCH, bits).keep().setRequiresGrad(true);
            float first = step(m, z, y, indices);
            float[] grad = z.grad().toArray();
            double norm = 0;
            for (float g : grad) norm += g * g;
            if (!Float.isFinite(first) || !(norm > 0)) {
                throw new IllegalStateException(name + " " + bits + " bits: loss " + first + ", |grad|² " + norm);
            }
        }
    }

    /** Each method at batch 128; DSDH over 5,000 training examples. */
    @State(Scope.Benchmark)
    public static class LossState extends Batch {
        @Param({"DLBHC", "DHN", "HashNet", "DSDH", "ExpH"})
        String method;
        @Param({"12", "48"})
        int bits;

        @Setup(Level.Trial)
        public void setUp() {
            build(method, bits, 5000);
        }
    }

    /** HashNet's bank pairing and DSDH's likelihood: the batch against all N training codes. */
    @State(Scope.Benchmark)
    public static class BankState extends Batch {
        @Param({"HashNetBank", "DSDH"})
        String method;
        @Param({"12", "48"})
        int bits;
        @Param({"5000", "60000"})
        int trainingSize;

        @Setup(Level.Trial)
        public void setUp() {
            build(method, bits, trainingSize);
        }
    }

    /** N training codes B, outputs U and one-hot labels Y on the host, for DSDH's W and B steps. */
    @State(Scope.Benchmark)
    public static class DsdhState {
        @Param({"5000", "60000"})
        int trainingSize;
        @Param({"12", "48"})
        int bits;
        float[] b;
        float[] start;
        float[] u;
        float[] y;
        double[] w;

        @Setup(Level.Trial)
        public void setUp() {
            u = gaussian(trainingSize * bits, 11);
            start = new float[u.length];
            for (int i = 0; i < u.length; i++) start[i] = u[i] >= 0 ? 1f : -1f;
            b = start.clone();
            y = labels(trainingSize, 13).toMatrix();
            w = DsdhSolvers.solveW(b, y, trainingSize, bits, CLASSES, Dsdh.DEFAULT_NU / Dsdh.DEFAULT_MU);
            double before = DsdhSolvers.objective(b, u, y, w, trainingSize, bits, CLASSES, Dsdh.DEFAULT_ETA);
            DsdhSolvers.updateB(b, u, y, w, trainingSize, bits, CLASSES, Dsdh.DEFAULT_ETA, 1);
            double after = DsdhSolvers.objective(b, u, y, w, trainingSize, bits, CLASSES, Dsdh.DEFAULT_ETA);
            if (!(after <= before)) throw new IllegalStateException("DCC raised the objective: " + before + " -> " + after);
        }
    }

    @Benchmark
    public float loss(LossState s) {
        return step(s.m, s.z, s.y, s.indices);
    }

    @Benchmark
    public float bankLoss(BankState s) {
        return step(s.m, s.z, s.y, s.indices);
    }

    @Benchmark
    public double[] dsdhWStep(DsdhState s) {
        return DsdhSolvers.solveW(s.b, s.y, s.trainingSize, s.bits, CLASSES, Dsdh.DEFAULT_NU / Dsdh.DEFAULT_MU);
    }

    @Benchmark
    public float[] dsdhBStep(DsdhState s) {
        System.arraycopy(s.start, 0, s.b, 0, s.b.length);
        DsdhSolvers.updateB(s.b, s.u, s.y, s.w, s.trainingSize, s.bits, CLASSES, Dsdh.DEFAULT_ETA, 1);
        return s.b;
    }
}
