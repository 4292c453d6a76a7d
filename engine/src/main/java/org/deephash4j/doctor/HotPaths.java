package org.deephash4j.doctor;

import java.util.ArrayList;
import java.util.List;
import org.deephash4j.backend.Backend;
import org.deephash4j.backend.Conv2dGeometry;
import org.deephash4j.backend.Pool2dGeometry;
import org.deephash4j.backend.Storage;

/**
 * The hot paths {@code deephash doctor} times on every device, one entry each: GEMM 1024³
 * (GFLOP/s = 2·M·N·K per run), the three passes of LeNet's second convolution at batch 128
 * (input [128, 32, 14, 14], weight [64, 32, 5, 5], pad 2; GFLOP/s = 2·N·outC·outH·outW·inC·kH·kW
 * per pass), max-pool 2 forward and backward on [128, 32, 28, 28] (images/s), the training step
 * of {@link LeNetHashStep} at batch 128 (and 1024 without --quick; images/s), and the Hamming
 * scan of {@link HammingScanPath} (Gcodes/s). A device's extra paths come from
 * {@link DoctorCheckProvider}.
 */
public final class HotPaths {
    static final int GEMM_SIZE = 1024;
    static final Conv2dGeometry CONV = new Conv2dGeometry(128, 32, 14, 14, 64, 5, 5, 1, 2);
    static final Pool2dGeometry POOL = new Pool2dGeometry(128, 32, 28, 28, 2, 2, 2, 0);

    private HotPaths() {
    }

    /** The paths in print order; without {@code quick} the training step also runs at batch 1024. */
    public static List<HotPath> all(boolean quick) {
        List<HotPath> paths = new ArrayList<>();
        paths.add(new KernelPath("gemm " + GEMM_SIZE + "x" + GEMM_SIZE + "x" + GEMM_SIZE, "GFLOP/s",
                2.0 * GEMM_SIZE * GEMM_SIZE * GEMM_SIZE / 1e9, HotPaths::gemm));
        double convFlop = 2.0 * CONV.outputSize() * CONV.inChannels() * CONV.kernelHeight() * CONV.kernelWidth() / 1e9;
        String conv = " (LeNet conv2, batch " + CONV.batch() + ")";
        paths.add(new KernelPath("conv2d forward" + conv, "GFLOP/s", convFlop, HotPaths::convForward));
        paths.add(new KernelPath("conv2d backward data" + conv, "GFLOP/s", convFlop, HotPaths::convBackwardData));
        paths.add(new KernelPath("conv2d backward filter" + conv, "GFLOP/s", convFlop, HotPaths::convBackwardFilter));
        paths.add(new KernelPath("max-pool 2 forward + backward [" + POOL.batch() + ", " + POOL.channels() + ", "
                + POOL.inHeight() + ", " + POOL.inWidth() + "]", "images/s", POOL.batch(), HotPaths::maxPool));
        paths.add(new TrainStepPath(128));
        if (!quick) paths.add(new TrainStepPath(1024));
        paths.add(new HammingScanPath());
        return paths;
    }

    // ---------------------------------------------------------------- single kernels

    /** Sets up storages on a backend and returns the run; the last storage is read back by finish(). */
    @FunctionalInterface
    private interface Setup {
        Runnable prepare(Backend backend, List<Storage> storages);
    }

    /** A path that times one kernel launch per run on storages filled once. */
    private record KernelPath(String name, String unit, double amountPerRun, Setup setup) implements HotPath {
        @Override
        public Workload prepare(Backend backend) {
            List<Storage> storages = new ArrayList<>();
            Runnable run;
            try {
                run = setup.prepare(backend, storages);
            } catch (RuntimeException e) {
                for (Storage s : storages) s.close();
                throw e;
            }
            float[] one = new float[1];
            Storage last = storages.get(storages.size() - 1);
            return new Workload() {
                @Override
                public double amountPerRun() {
                    return amountPerRun;
                }

                @Override
                public void run() {
                    run.run();
                }

                @Override
                public void finish() {
                    backend.copyOut(one, 0, last, 0, 1);   // waits for every kernel before it
                }

                @Override
                public void close() {
                    for (Storage s : storages) s.close();
                }
            };
        }
    }

    private static Storage filled(Backend backend, List<Storage> storages, long seed, long n) {
        Storage s = backend.allocate(n);
        storages.add(s);
        float[] values = KernelChecks.random(seed, (int) n);
        backend.copyIn(s, 0, values, 0, values.length);
        return s;
    }

    private static Runnable gemm(Backend backend, List<Storage> storages) {
        int n = GEMM_SIZE;
        Storage a = filled(backend, storages, 1, (long) n * n);
        Storage b = filled(backend, storages, 2, (long) n * n);
        Storage c = filled(backend, storages, 3, (long) n * n);
        return () -> backend.gemm(false, false, n, n, n, 1f, a, 0, b, 0, 0f, c, 0);
    }

    private static Runnable convForward(Backend backend, List<Storage> storages) {
        Storage input = filled(backend, storages, 4, CONV.inputSize());
        Storage weight = filled(backend, storages, 5, CONV.weightSize());
        Storage bias = filled(backend, storages, 6, CONV.outChannels());
        Storage output = filled(backend, storages, 7, CONV.outputSize());
        return () -> backend.conv2dForward(output, input, weight, bias, CONV);
    }

    private static Runnable convBackwardData(Backend backend, List<Storage> storages) {
        Storage gradOutput = filled(backend, storages, 8, CONV.outputSize());
        Storage weight = filled(backend, storages, 9, CONV.weightSize());
        Storage gradInput = filled(backend, storages, 10, CONV.inputSize());
        return () -> backend.conv2dBackwardData(gradInput, gradOutput, weight, CONV);
    }

    private static Runnable convBackwardFilter(Backend backend, List<Storage> storages) {
        Storage gradOutput = filled(backend, storages, 11, CONV.outputSize());
        Storage input = filled(backend, storages, 12, CONV.inputSize());
        Storage gradBias = filled(backend, storages, 13, CONV.outChannels());
        Storage gradWeight = filled(backend, storages, 14, CONV.weightSize());
        return () -> backend.conv2dBackwardFilter(gradWeight, gradBias, gradOutput, input, CONV);
    }

    private static Runnable maxPool(Backend backend, List<Storage> storages) {
        Storage input = filled(backend, storages, 15, POOL.inputSize());
        Storage output = filled(backend, storages, 16, POOL.outputSize());
        Storage gradOutput = filled(backend, storages, 17, POOL.outputSize());
        Storage gradInput = filled(backend, storages, 18, POOL.inputSize());
        return () -> {
            backend.maxPool2dForward(output, input, POOL);
            backend.maxPool2dBackward(gradInput, gradOutput, input, output, POOL);
        };
    }

    // ---------------------------------------------------------------- the training step

    /** {@link LeNetHashStep} at one batch size: images/s. */
    private record TrainStepPath(int batch) implements HotPath {
        @Override
        public String name() {
            return "train step (LeNet, HashNet, Adam), batch " + batch;
        }

        @Override
        public String unit() {
            return "images/s";
        }

        @Override
        public Workload prepare(Backend backend) {
            LeNetHashStep step = new LeNetHashStep(backend, batch, 7);
            return new Workload() {
                @Override
                public double amountPerRun() {
                    return batch;
                }

                @Override
                public void run() {
                    step.step();   // reads the loss back: the step is done when it returns
                }

                @Override
                public void finish() {
                }

                @Override
                public void close() {
                    step.close();
                }
            };
        }
    }
}
