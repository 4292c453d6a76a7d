package org.deephash4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the parity suites again in forked JVMs with {@code -Ddeephash.vectorBitSize=128} and {@code 256},
 * so the tails and masks of 4-lane (NEON, SSE) and 8-lane (AVX2) vectors are checked on a wide machine
 * too. The species is fixed at class load, hence the forks.
 */
class NarrowLanesTest {
    /** Entry point of the fork: prints the lane count, then runs every parity check; exit 0 = all agree. */
    public static void main(String[] args) {
        System.out.println("lanes=" + KernelParity.LANES);
        new GemmKernelsTest().agreesOnAwkwardSizesAndAllTransposes();
        new GemmKernelsTest().agreesWithAlphaBetaAndOffsets();
        new GemmKernelsTest().prepackedAAgrees();
        new ConvKernelsTest().forwardAgrees();
        new ConvKernelsTest().backwardDataAgrees();
        new ConvKernelsTest().backwardFilterAgreesAndIsReproducible();
        new WinogradConvTest().forwardAgreesWithTheDirectSum();
        new WinogradConvTest().backwardDataAgreesWithTheDirectSum();
        new WinogradConvTest().backwardFilterAgreesWithTheDirectSum();
        new WinogradConvTest().sameBitsOnOneThreadAndOnAll();
        new PoolKernelsTest().maxPoolAgrees();
        new PoolKernelsTest().maxPoolTiesAndForeignOutputsRouteAsTheReference();
        new PoolKernelsTest().maxPoolWithNanInfinityAndSignedZerosRoutesAsTheReference();
        new PoolKernelsTest().avgPoolAgrees();
        new ElementwiseKernelsTest().unaryAndBackwardAgree();
        new ElementwiseKernelsTest().binaryAffineAxpyAgree();
        new ElementwiseKernelsTest().broadcastAndSumAgree();
        new ElementwiseKernelsTest().optimizerStepsAndLossAgree();
        new BatchNormKernelsTest().trainingForwardAgrees();
        new BatchNormKernelsTest().evaluationForwardAgrees();
        new BatchNormKernelsTest().backwardAgreesWithAndWithoutBatchStatistics();
        new AdaptivePoolKernelsTest().forwardAndBackwardAgree();
        System.out.println("parity ok");
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 256})
    void parityHoldsWithNarrowerVectors(int bits) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process fork = new ProcessBuilder(List.of(java, "--add-modules=jdk.incubator.vector",
                "-Ddeephash.vectorBitSize=" + bits, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                NarrowLanesTest.class.getName()))
                .redirectErrorStream(true).start();
        String output = new String(fork.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(fork.waitFor(120, TimeUnit.SECONDS), "forked parity run did not finish:\n" + output);
        assertEquals(0, fork.exitValue(), "parity with " + bits + "-bit vectors failed:\n" + output);
        // VectorWidth caps the request at the machine's widest species (NEON: 128 bits, so the 256 fork runs 4 lanes)
        int lanes = Math.min(bits, FloatVector.SPECIES_PREFERRED.vectorBitSize()) / 32;
        assertTrue(output.contains("lanes=" + lanes), "the fork did not run with " + lanes + " lanes:\n" + output);
        assertTrue(output.contains("parity ok"), output);
    }
}
