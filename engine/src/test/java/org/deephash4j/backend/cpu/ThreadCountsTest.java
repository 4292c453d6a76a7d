package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.NoGrad;
import org.deephash4j.backend.AdaptivePool2dGeometry;
import org.deephash4j.nn.Parameter;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.zoo.ResNet18;
import org.junit.jupiter.api.Test;

/**
 * The batch-normalisation and adaptive-pooling kernels and ResNet-18 on 1, 2 and 3 threads
 * ({@code CpuThreads} is sized once per JVM, hence forked JVMs with {@code -Ddeephash.threads=N}):
 * in every fork the parity suites pass; the batch-normalisation and pooling kernels and
 * ResNet-18's evaluation forward give the same bits whatever the thread count (each channel,
 * plane or image is one task's, summed in one order); a ResNet-18 training step, whose
 * convolution filter gradients add per-thread partial sums in chunk order, gives the same bits
 * for the same thread count.
 */
class ThreadCountsTest {
    /** Entry point of a fork: runs the parity suites, then prints one line of bit hashes. */
    public static void main(String[] args) {
        new BatchNormKernelsTest().trainingForwardAgrees();
        new BatchNormKernelsTest().backwardAgreesWithAndWithoutBatchStatistics();
        new AdaptivePoolKernelsTest().forwardAndBackwardAgree();
        System.out.println(hashes() + " resnetStepAgain=" + resnetStep());
    }

    /** "threads=N batchNorm=... pool=... resnetEval=... resnetStep=...": hashes of the bits. */
    static String hashes() {
        CpuKernels vector = new VectorKernels();
        Random random = new Random(90L);
        int batch = 8, channels = 16, spatial = 56 * 56;
        int n = batch * channels * spatial;
        float[] x = KernelParity.uniform(random, n, -1f, 3f);
        float[] w = KernelParity.uniform(random, channels, 0.5f, 1.5f);
        float[] b = KernelParity.uniform(random, channels, -1f, 1f);
        float[] dy = KernelParity.uniform(random, n, -1f, 1f);
        float[] y = new float[n], mean = new float[channels], var = new float[channels];
        float[] dx = new float[n], dw = new float[channels], db = new float[channels];
        vector.batchNormTrainingForward(y, mean, var, x, w, b, 1e-5f, batch, channels, spatial);
        vector.batchNormBackward(dx, dw, db, dy, x, mean, var, w, 1e-5f, true, batch, channels, spatial);
        int batchNorm = Arrays.deepHashCode(new float[][] {y, mean, var, dx, dw, db});

        AdaptivePool2dGeometry g = new AdaptivePool2dGeometry(32, 64, 7, 7, 1, 1);
        float[] pooled = new float[(int) g.outputSize()];
        float[] gradIn = new float[(int) g.inputSize()];
        vector.adaptiveAvgPool2dForward(pooled, KernelParity.uniform(random, (int) g.inputSize(), -1, 1), g);
        vector.adaptiveAvgPool2dBackward(gradIn, KernelParity.uniform(random, (int) g.outputSize(), -1, 1), g);
        int pool = Arrays.deepHashCode(new float[][] {pooled, gradIn});

        CpuBackend backend = new CpuBackend(vector);
        int eval;
        try (ResNet18 net = new ResNet18(backend, 3); TensorScope scope = TensorScope.open()) {
            net.eval();
            try (NoGrad off = NoGrad.enter()) {
                eval = Arrays.hashCode(net.forward(Tensors.rand(backend, 4, -1, 1, 3, 3, 40, 36)).toArray());
            }
        }
        return "threads=" + CpuThreads.threads() + " batchNorm=" + batchNorm + " pool=" + pool + " resnetEval=" + eval
                + " resnetStep=" + resnetStep();
    }

    /** Hash of a seeded ResNet18's parameters after one SGD step (momentum 0.9) on a seeded batch. */
    static int resnetStep() {
        CpuBackend backend = new CpuBackend(new VectorKernels());
        try (ResNet18 net = new ResNet18(backend, 3); Sgd sgd = new Sgd(net.parameters(), 0.05f, 0.9f, 0f);
             TensorScope scope = TensorScope.open()) {
            Tensor features = net.forward(Tensors.rand(backend, 4, -1, 1, 2, 3, 24, 20));
            Graph.backward(features, Tensors.rand(backend, 5, -1, 1, features.shape().dims()));
            sgd.step();
            return Arrays.deepHashCode(net.parameters().stream().map(Parameter::tensor).map(Tensor::toArray)
                    .toArray(float[][]::new));
        }
    }

    private static Map<String, String> fork(int threads) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "--add-modules=jdk.incubator.vector", "-Ddeephash.threads=" + threads,
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), ThreadCountsTest.class.getName()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "fork with " + threads + " threads did not finish:\n" + output);
        assertEquals(0, p.exitValue(), "fork with " + threads + " threads failed:\n" + output);
        String line = output.lines().filter(l -> l.startsWith("threads=")).findFirst()
                .orElseThrow(() -> new AssertionError("no result line from the fork:\n" + output));
        return parse(line);
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> out = new HashMap<>();
        for (String field : line.trim().split(" ")) {
            String[] kv = field.split("=");
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    @Test
    void theSameBitsOnOneTwoAndThreeThreads() throws Exception {
        Map<String, String> one = fork(1);
        Map<String, String> three = fork(3);
        Map<String, String> here = parse(hashes());
        assertEquals("1", one.get("threads"));
        assertEquals("3", three.get("threads"));
        for (String key : List.of("batchNorm", "pool", "resnetEval")) {
            assertEquals(one.get(key), three.get(key), key + ": 1 thread vs 3 threads");
            assertEquals(one.get(key), here.get(key), key + ": 1 thread vs " + here.get("threads") + " threads");
        }
        assertEquals(one.get("resnetStep"), one.get("resnetStepAgain"), "a training step on 1 thread, run twice");
        assertEquals(three.get("resnetStep"), three.get("resnetStepAgain"), "a training step on 3 threads, run twice");
    }
}
