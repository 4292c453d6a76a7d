package org.deephash4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.deephash4j.autograd.Graph;
import org.deephash4j.backend.cpu.CpuBackend;
import org.deephash4j.nn.Sequential;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;

/**
 * {@link TrainStepBenchmark}'s training step as a resident process that runs steps on request, so
 * that a driver can alternate it with the PyTorch peer every few seconds
 * ({@code bench/peers/interleave.py}): on a shared machine whose load changes by the minute, the
 * ratio of two runs seconds apart says more than two runs minutes apart. Reads a step count per
 * line on standard input and answers each with the seconds those steps took; "quit" ends it.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.deephash4j.bench.StepLoop}
 */
public final class StepLoop {
    private StepLoop() {
    }

    public static void main(String[] args) throws IOException {
        CpuBackend backend = new CpuBackend(Kernels.named(args.length > 0 ? args[0] : "vector"));
        int batch = TrainStepBenchmark.BATCH;
        Random random = new Random(2030L);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = random.nextInt(10);
        }
        float[] pixels = new float[batch * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        try (Sequential model = HashingNetwork.build(backend, 7L);
             Sgd optimizer = new Sgd(model.parameters(), 0.01f, 0.9f, 0f)) {
            Tensor images = Tensors.fromArray(backend, pixels, batch, 1, 28, 28).keep();
            Tensor similarity = Tensors.fromArray(backend, HashingNetwork.similarity(labels), batch, batch).keep();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            System.out.flush();
            for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
                int steps = Integer.parseInt(line.trim());
                long start = System.nanoTime();
                float loss = 0;
                for (int i = 0; i < steps; i++) {
                    try (TensorScope scope = TensorScope.open()) {
                        optimizer.zeroGrad();
                        Tensor l = HashingNetwork.pairwiseLoss(model.forward(images), similarity);
                        Graph.backward(l);
                        optimizer.step();
                        loss = l.item();
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("StepLoop: loss is " + loss);
                }
                System.out.println(seconds);
                System.out.flush();
            }
            images.close();
            similarity.close();
        }
    }
}
