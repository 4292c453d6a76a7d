package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.deephash4j.backend.BinaryOp;

/** Paired probe: main's channel blocks (OldBatchNorm) against the image groups, call by call alternated. */
public final class BnPairProbe {
    public static void main(String[] args) {
        VectorKernels vk = new VectorKernels();
        for (String shape : args) {
            String[] d = shape.split("x");
            int n = Integer.parseInt(d[0]), c = Integer.parseInt(d[1]), s = Integer.parseInt(d[2]) * Integer.parseInt(d[3]);
            int t = n * c * s;
            Random r = new Random(5);
            float[] x = new float[t], dy = new float[t], y = new float[t], dx = new float[t];
            for (int i = 0; i < t; i++) { x[i] = r.nextFloat(); dy[i] = r.nextFloat(); }
            float[] w = new float[c], b = new float[c], m = new float[c], v = new float[c], gw = new float[c], gb = new float[c];
            Arrays.fill(w, 1f);
            Runnable[] runs = {
                () -> { OldBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        OldBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { vk.batchNormTrainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        vk.batchNormBackward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { MaskedBlocksBatchNorm.trainingForward(y, m, v, x, w, b, 1e-5f, n, c, s);
                        MaskedBlocksBatchNorm.backward(dx, gw, gb, dy, x, m, v, w, 1e-5f, true, n, c, s); },
                () -> { vk.affine(y, x, 1f, 0f, t); vk.binary(BinaryOp.ADD, dx, dy, x, t); },
            };
            int reps = Integer.getInteger("reps", 400);
            double[][] times = new double[4][reps];
            for (int i = 0; i < 200; i++) for (Runnable run : runs) run.run();
            for (int i = 0; i < reps; i++) {
                for (int k = 0; k < 4; k++) {
                    int j = (i + k) % 4;
                    long t0 = System.nanoTime(); runs[j].run(); times[j][i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double[] med = new double[4];
            for (int k = 0; k < 4; k++) { double[] c2 = times[k].clone(); Arrays.sort(c2); med[k] = c2[reps / 2]; }
            int newWins = 0;
            for (int i = 0; i < reps; i++) if (times[1][i] < times[0][i]) newWins++;
            int maskedWins = 0;
            for (int i = 0; i < reps; i++) if (times[2][i] < times[0][i]) maskedWins++;
            System.out.printf("%s blocks %.3f groups %.3f maskedBlocks %.3f baseline %.3f ms; groups/blocks %.3f (%d of %d pairs faster), masked/blocks %.3f (%d); to baseline %.2f / %.2f / %.2f%n",
                shape, med[0], med[1], med[2], med[3], med[1] / med[0], newWins, reps, med[2] / med[0], maskedWins, med[0] / med[3], med[1] / med[3], med[2] / med[3]);
        }
    }
}
