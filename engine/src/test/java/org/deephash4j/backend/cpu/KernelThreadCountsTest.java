package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deephash4j.backend.Conv2dGeometry;
import org.junit.jupiter.api.Test;

/**
 * The convolution, GEMM and batch norm parity suites again in forked JVMs with
 * {@code -Ddeephash.threads=1, 3 and 5} (CpuThreads is sized once per JVM, hence the forks; this
 * JVM runs them at its own count, two on the build machine), and their bits: each fork runs every kernel twice on the same inputs
 * and requires the same bits, then prints a fingerprint of all the outputs, which must equal the
 * one this JVM computes (the kernels cut their work and order their sums by shape alone, never by
 * thread count or by which thread finishes first).
 */
class KernelThreadCountsTest {
    private static final int[] THREAD_COUNTS = {1, 3, 5};
    private static final Pattern FINGERPRINT = Pattern.compile("fingerprint=([0-9a-f]+)");

    /** Entry point of a fork: parity suites, run-twice bit checks, then the fingerprint; exit 0 = all agree. */
    public static void main(String[] args) {
        System.out.println("threads=" + CpuThreads.threads());
        new GemmKernelsTest().agreesOnAwkwardSizesAndAllTransposes();
        new GemmKernelsTest().prepackedAAgrees();
        new ConvKernelsTest().forwardAgrees();
        new ConvKernelsTest().backwardDataAgrees();
        new ConvKernelsTest().backwardFilterAgreesAndIsReproducible();
        new WinogradConvTest().forwardAgreesWithTheDirectSum();
        new WinogradConvTest().backwardDataAgreesWithTheDirectSum();
        new WinogradConvTest().backwardFilterAgreesWithTheDirectSum();
        new BatchNormKernelsTest().trainingForwardAgrees();
        new BatchNormKernelsTest().backwardAgreesWithAndWithoutBatchStatistics();
        System.out.println("parity ok");
        System.out.println("fingerprint=" + Long.toHexString(fingerprint()));
    }

    /**
     * A hash of the bits of every conv pass of both LeNet layers and five other shapes (batch 9:
     * uneven chunks), of three GEMMs and of batch norm's training forward and backward on both of its
     * paths, each computed twice; throws if a second run differs.
     */
    static long fingerprint() {
        CpuKernels vector = new VectorKernels();
        List<Conv2dGeometry> shapes = List.of(
                new Conv2dGeometry(9, 1, 28, 28, 32, 5, 5, 1, 2),
                new Conv2dGeometry(9, 32, 14, 14, 64, 5, 5, 1, 2),
                new Conv2dGeometry(9, 17, 9, 11, 33, 3, 3, 2, 1),
                new Conv2dGeometry(3, 5, 12, 12, 7, 1, 1, 1, 0),
                new Conv2dGeometry(19, 3, 10, 9, 20, 3, 3, 1, 1),
                new Conv2dGeometry(9, 67, 7, 7, 65, 3, 3, 1, 1),      // ResNet's 7x7 stage: the Winograd path
                // 28x28-like: Winograd image by image at 1 and 3 threads, in chunks at 5 (batch < 2 per thread),
                // backward-filter in image groups at all three
                new Conv2dGeometry(9, 64, 27, 29, 65, 3, 3, 1, 1));
        Random random = new Random(2026L);
        long hash = 17;
        for (Conv2dGeometry g : shapes) {
            float[] input = KernelParity.uniform(random, (int) g.inputSize(), -1, 1);
            float[] weight = KernelParity.uniform(random, (int) g.weightSize(), -1, 1);
            float[] bias = KernelParity.uniform(random, g.outChannels(), -1, 1);
            float[] gradOutput = KernelParity.uniform(random, (int) g.outputSize(), -1, 1);
            hash = 31 * hash + sameTwice("VectorConv2d " + g, () -> {
                float[] output = new float[(int) g.outputSize()];
                float[] gradInput = new float[(int) g.inputSize()];
                float[] gradWeight = new float[(int) g.weightSize()];
                float[] gradBias = new float[g.outChannels()];
                vector.conv2dForward(output, input, weight, bias, g);
                vector.conv2dBackwardData(gradInput, gradOutput, weight, g);
                vector.conv2dBackwardFilter(gradWeight, gradBias, gradOutput, input, g);
                return hash(hash(hash(hash(17, output), gradInput), gradWeight), gradBias);
            });
        }
        int[][] products = {{200, 190, 600}, {128, 500, 3136}, {509, 61, 1031}};
        for (int[] p : products) {
            float[] a = KernelParity.uniform(random, p[0] * p[2], -1, 1);
            float[] b = KernelParity.uniform(random, p[2] * p[1], -1, 1);
            hash = 31 * hash + sameTwice("VectorGemm m=" + p[0] + " n=" + p[1] + " k=" + p[2], () -> {
                float[] c = new float[p[0] * p[1]];
                vector.gemm(false, true, p[0], p[1], p[2], 1f, a, 0, b, 0, 0f, c, 0);
                return hash(17, c);
            });
        }
        // channel blocks (two a thread, then one a thread at every count), streamed x 2
        int[][] normalized = {{9, 67, 7 * 7}, BatchNormKernelsTest.ONE_BLOCK_A_THREAD, {9, 5, 1031}, {3, 130, 56 * 56}};
        for (int[] s : normalized) {
            int n = s[0] * s[1] * s[2];
            float[] x = KernelParity.uniform(random, n, -1, 3);
            float[] w = KernelParity.uniform(random, s[1], 0.5f, 1.5f);
            float[] b = KernelParity.uniform(random, s[1], -1, 1);
            float[] dy = KernelParity.uniform(random, n, -1, 1);
            hash = 31 * hash + sameTwice("VectorBatchNorm " + java.util.Arrays.toString(s), () -> {
                float[] y = new float[n], mean = new float[s[1]], var = new float[s[1]];
                float[] dx = new float[n], dw = new float[s[1]], db = new float[s[1]];
                vector.batchNormTrainingForward(y, mean, var, x, w, b, 1e-5f, s[0], s[1], s[2]);
                vector.batchNormBackward(dx, dw, db, dy, x, mean, var, w, 1e-5f, true, s[0], s[1], s[2]);
                return hash(hash(hash(hash(hash(hash(17, y), mean), var), dx), dw), db);
            });
        }
        return hash;
    }

    /** The hash of what {@code kernels} computes, run twice; throws if the second run's bits differ. */
    private static long sameTwice(String what, java.util.function.LongSupplier kernels) {
        long first = kernels.getAsLong();
        if (kernels.getAsLong() != first) {
            throw new AssertionError(what + ": a second run gave different bits at " + CpuThreads.threads() + " threads");
        }
        return first;
    }

    private static long hash(long h, float[] x) {
        for (float v : x) {
            h = h * 1_000_003L + Float.floatToRawIntBits(v);
        }
        return h;
    }

    @Test
    void sameParityAndSameBitsAtOneThreeAndFiveThreads() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> forks = new ArrayList<>();
        for (int threads : THREAD_COUNTS) {
            forks.add(new ProcessBuilder(List.of(java, "--add-modules=jdk.incubator.vector",
                    "-Ddeephash.threads=" + threads, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                    KernelThreadCountsTest.class.getName()))
                    .redirectErrorStream(true).start());
        }
        String fingerprint = Long.toHexString(fingerprint());     // this JVM's, at its own thread count
        for (int i = 0; i < forks.size(); i++) {
            Process fork = forks.get(i);
            String output = new String(fork.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int threads = THREAD_COUNTS[i];
            assertTrue(fork.waitFor(300, TimeUnit.SECONDS), "fork with " + threads + " threads did not finish:\n" + output);
            assertEquals(0, fork.exitValue(), "fork with " + threads + " threads failed:\n" + output);
            assertTrue(output.contains("threads=" + threads), "the fork did not run " + threads + " threads:\n" + output);
            assertTrue(output.contains("parity ok"), output);
            Matcher m = FINGERPRINT.matcher(output);
            assertTrue(m.find(), output);
            assertEquals(fingerprint, m.group(1), "conv/GEMM/batch norm bits at " + threads + " threads differ from those at "
                    + CpuThreads.threads());
        }
    }
}
