package org.deephash4j.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.deephash4j.autograd.Graph;
import org.deephash4j.autograd.Ops;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.cpu.CpuBackend;
import org.deephash4j.backend.cpu.CpuKernels;
import org.deephash4j.nn.Sequential;
import org.deephash4j.optim.Sgd;
import org.deephash4j.tensor.Tensor;
import org.deephash4j.tensor.TensorScope;
import org.deephash4j.tensor.Tensors;
import org.deephash4j.zoo.ResNet18;

/**
 * Where the time of {@link TrainStepBenchmark}'s step goes: the same network, loss, batch and
 * SGD step, with every kernel call of the vector set timed by wall clock and added to a row
 * named by the kernel and its shape (conv2d by layer, gemm by M×N×K and transposes). Prints,
 * per row, milliseconds per step, its share of the kernels' total, and GFLOP/s for the
 * convolutions and products, by wall clock and by process CPU time. Wall time per call includes
 * any wait for the slowest thread, which is what a step pays; CPU time counts only the cycles the
 * process got, so on a shared machine it says how efficient a kernel is when it runs (GFLOP per
 * CPU-second, to compare with one core's FMA peak).
 *
 * <p>With {@code resnet18} as the third argument it profiles {@link ResNet18TrainStepBenchmark}'s
 * step instead (batch 32 at 112 x 112, or at the size given fourth, loss Σ features · r, SGD).
 *
 * <p>Before the timed steps it runs {@link #WARM_UP_FACTOR} times as many untimed ones. A kernel
 * that runs once per step needs that many: with as many warm-up steps as timed ones (100),
 * LeNet's mean over 128 × 128 pairs was still interpreted and read 1.18 ms a step instead of
 * 0.01, and the whole step 86 ms instead of 60 (2026-12-05, sixth session).
 *
 * <p>Not a JMH benchmark (JMH cannot split one invocation); the step's throughput comes from
 * {@code TrainStepBenchmark} and {@code ResNet18TrainStepBenchmark}. Run it alone, under the benchmark lock:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.deephash4j.bench.StepProfile
 * [steps] [vector|reference] [lenet|resnet18 [size]]}
 */
public final class StepProfile {
    private StepProfile() {
    }

    /** Wall and process-CPU nanoseconds, calls and floating-point operations of one row. */
    private static final class Row {
        long nanos;
        long cpuNanos;
        long calls;
        double flop;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Untimed warm-up steps per timed step. */
    static final int WARM_UP_FACTOR = 3;

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();
    private static boolean recording;

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        CpuKernels timed = timed(Kernels.named(args.length > 1 ? args[1] : "vector"));
        CpuBackend backend = new CpuBackend(timed);
        if (args.length > 2 && args[2].equals("resnet18")) {
            profileResNet18(backend, steps, args.length > 3 ? Integer.parseInt(args[3]) : ResNet18TrainStepBenchmark.SIZE);
            return;
        }
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
            for (int i = 0; i < WARM_UP_FACTOR * steps; i++) {   // warm-up: let the JIT compile the kernels
                step(model, optimizer, images, similarity);
            }
            recording = true;
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(model, optimizer, images, similarity);
            }
            long total = System.nanoTime() - start;
            recording = false;
            print(steps, total, batch);
            images.close();
            similarity.close();
        }
    }

    /** {@link ResNet18TrainStepBenchmark}'s step at {@code size} x {@code size}, timed the same way. */
    private static void profileResNet18(CpuBackend backend, int steps, int size) {
        int batch = ResNet18TrainStepBenchmark.BATCH;
        try (ResNet18 model = new ResNet18(backend, 7L);
             Sgd optimizer = new Sgd(model.parameters(), 0.01f, 0.9f, 0f);
             Tensor images = Tensors.rand(backend, 2060L, -1f, 1f, batch, 3, size, size).keep();
             Tensor weights = Tensors.rand(backend, 2061L, -1f, 1f, batch, ResNet18.FEATURES).keep()) {
            Runnable step = () -> {
                try (TensorScope scope = TensorScope.open()) {
                    optimizer.zeroGrad();
                    Graph.backward(Ops.sum(Ops.mul(model.forward(images), weights)));
                    optimizer.step();
                }
            };
            for (int i = 0; i < WARM_UP_FACTOR * steps; i++) {   // warm-up: let the JIT compile the kernels
                step.run();
            }
            recording = true;
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            long total = System.nanoTime() - start;
            recording = false;
            print(steps, total, batch);
        }
    }

    private static void step(Sequential model, Sgd optimizer, Tensor images, Tensor similarity) {
        try (TensorScope scope = TensorScope.open()) {
            optimizer.zeroGrad();
            Tensor loss = HashingNetwork.pairwiseLoss(model.forward(images), similarity);
            Graph.backward(loss);
            optimizer.step();
            loss.item();
        }
    }

    private static void print(int steps, long totalNanos, int batch) {
        long kernelNanos = ROWS.values().stream().mapToLong(r -> r.nanos).sum();
        System.out.printf("step: %.2f ms (%.0f images/s); kernels %.2f ms of it%n", totalNanos / 1e6 / steps,
                batch * steps / (totalNanos / 1e9), kernelNanos / 1e6 / steps);
        long kernelCpu = ROWS.values().stream().mapToLong(r -> r.cpuNanos).sum();
        System.out.printf("%-44s %8s %6s %8s %7s %6s %12s%n", "kernel", "ms/step", "share", "GFLOP/s",
                "cpu-ms", "share", "GFLOP/cpu-s");
        ROWS.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().cpuNanos, x.getValue().cpuNanos))
                .forEach(e -> {
                    Row r = e.getValue();
                    System.out.printf("%-44s %8.2f %5.1f%% %8s %7.2f %5.1f%% %12s%n", e.getKey(),
                            r.nanos / 1e6 / steps, 100.0 * r.nanos / kernelNanos,
                            r.flop > 0 ? String.format("%.1f", r.flop / r.nanos) : "",
                            r.cpuNanos / 1e6 / steps, 100.0 * r.cpuNanos / kernelCpu,
                            r.flop > 0 ? String.format("%.1f", r.flop / r.cpuNanos) : "");
                });
    }

    private static CpuKernels timed(CpuKernels kernels) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (!recording || method.getName().equals("name")) {
                return invoke(kernels, method, args);
            }
            long c0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            Object result = invoke(kernels, method, args);
            long dt = System.nanoTime() - t0;
            long dc = OS.getProcessCpuTime() - c0;
            Row row = ROWS.computeIfAbsent(rowName(method, args), k -> new Row());
            row.nanos += dt;
            row.cpuNanos += dc;
            row.calls++;
            row.flop += flop(method, args);
            return result;
        };
        return (CpuKernels) Proxy.newProxyInstance(CpuKernels.class.getClassLoader(),
                new Class<?>[] {CpuKernels.class}, handler);
    }

    private static Object invoke(CpuKernels kernels, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(kernels, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String rowName(Method method, Object[] args) {
        String name = method.getName();
        if (name.startsWith("conv2d")) {
            Conv2dGeometry g = (Conv2dGeometry) args[args.length - 1];
            return name + " " + g.inChannels() + "->" + g.outChannels() + " " + g.inHeight() + "x" + g.inWidth()
                    + " k" + g.kernelHeight() + " s" + g.stride();
        }
        if (name.equals("gemm")) {
            return "gemm " + args[2] + "x" + args[3] + "x" + args[4] + ((Boolean) args[0] ? " tA" : "")
                    + ((Boolean) args[1] ? " tB" : "");
        }
        if (name.equals("sum")) {
            return "sum " + args[2] + "x" + args[3] + "x" + args[4];
        }
        if (name.equals("unary") || name.equals("unaryBackward") || name.equals("binary")
                || name.equals("broadcast")) {
            return name + " " + args[0];
        }
        return name;
    }

    private static double flop(Method method, Object[] args) {
        String name = method.getName();
        if (name.startsWith("conv2d")) {
            Conv2dGeometry g = (Conv2dGeometry) args[args.length - 1];
            return 2.0 * g.outputSize() * g.inChannels() * g.kernelHeight() * g.kernelWidth();
        }
        if (name.equals("gemm")) {
            return 2.0 * (Integer) args[2] * (Integer) args[3] * (Integer) args[4];
        }
        return 0;
    }
}
