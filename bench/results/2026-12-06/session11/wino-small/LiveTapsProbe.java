package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;
import org.deephash4j.backend.Conv2dGeometry;

/**
 * Probe (eleventh session): a 3x3, padding-1 convolution on 2 x 2 images as one product per (output position,
 * live tap) pair, 16 instead of 36 taps' work, against VectorConv2d's direct forward. Checks the answer.
 */
public final class LiveTapsProbe {
    public static void main(String[] args) {
        int batch = 32, c = Integer.parseInt(args.length > 0 ? args[0] : "512"), outC = c, h = 2, w = 2, hw = h * w;
        Random r = new Random(3);
        float[] x = new float[batch * c * hw], wt = new float[outC * c * 9], y = new float[batch * outC * hw];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < wt.length; i++) wt[i] = r.nextFloat() - 0.5f;
        Conv2dGeometry g = new Conv2dGeometry(batch, c, h, w, outC, 3, 3, 1, 1);
        VectorKernels vk = new VectorKernels();
        float[] taps = new float[9 * c * outC], xq = new float[hw * batch * c], yp = new float[hw * batch * outC];
        float[] y2 = new float[y.length];
        Runnable direct = () -> vk.conv2dForward(y, x, wt, null, g);
        Runnable live = () -> {
            // taps[t][ci][o] = W[o][ci][t]
            CpuThreads.forEach(outC / 16, b -> {
                for (int o = b * 16; o < b * 16 + 16; o++) for (int ci = 0; ci < c; ci++) for (int t = 0; t < 9; t++)
                    taps[(t * c + ci) * outC + o] = wt[(o * c + ci) * 9 + t];
            });
            for (int n = 0; n < batch; n++) for (int ci = 0; ci < c; ci++) for (int q = 0; q < hw; q++)
                xq[(q * batch + n) * c + ci] = x[(n * c + ci) * hw + q];
            for (int py = 0; py < h; py++) for (int px = 0; px < w; px++) {
                int p = py * w + px;
                boolean first = true;
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
                    int qy = py + i - 1, qx = px + j - 1;
                    if (qy < 0 || qy >= h || qx < 0 || qx >= w) continue;
                    VectorGemm.gemm(false, false, batch, outC, c, 1f, xq, (qy * w + qx) * batch * c,
                            taps, (i * 3 + j) * c * outC, first ? 0f : 1f, yp, p * batch * outC);
                    first = false;
                }
            }
            for (int n = 0; n < batch; n++) for (int o = 0; o < outC; o++) for (int p = 0; p < hw; p++)
                y2[(n * outC + o) * hw + p] = yp[(p * batch + n) * outC + o];
        };
        int ps = VectorGemm.packedSize(outC, c);
        float[] taps2 = new float[9 * outC * c], packed = new float[9 * ps], ytp = new float[hw * outC * batch];
        float[] y3 = new float[y.length];
        Runnable packedLive = () -> {
            // taps2[t][o][ci] = W[o][ci][t], then each tap packed once as the products' A
            CpuThreads.forEach(outC / 16, b -> {
                for (int o = b * 16; o < b * 16 + 16; o++) for (int ci = 0; ci < c; ci++) for (int t = 0; t < 9; t++)
                    taps2[(t * outC + o) * c + ci] = wt[(o * c + ci) * 9 + t];
            });
            CpuThreads.forEach(9, t -> VectorGemm.packAll(false, outC, c, taps2, t * outC * c, packed, t * ps));
            for (int n = 0; n < batch; n++) for (int ci = 0; ci < c; ci++) for (int q = 0; q < hw; q++)
                xq[(q * batch + n) * c + ci] = x[(n * c + ci) * hw + q];
            for (int py = 0; py < h; py++) for (int px = 0; px < w; px++) {
                int p = py * w + px;
                boolean first = true;
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
                    int qy = py + i - 1, qx = px + j - 1;
                    if (qy < 0 || qy >= h || qx < 0 || qx >= w) continue;
                    VectorGemm.gemmPacked(true, outC, batch, c, 1f, packed, (i * 3 + j) * ps,
                            xq, (qy * w + qx) * batch * c, first ? 0f : 1f, ytp, p * outC * batch);
                    first = false;
                }
            }
            for (int n = 0; n < batch; n++) for (int o = 0; o < outC; o++) for (int p = 0; p < hw; p++)
                y3[(n * outC + o) * hw + p] = ytp[(p * outC + o) * batch + n];
        };
        direct.run(); live.run(); packedLive.run();
        double err3 = 0; for (int i = 0; i < y.length; i++) err3 = Math.max(err3, Math.abs(y[i] - y3[i]));
        System.out.println("max |direct - packed live| = " + err3);
        double err = 0; for (int i = 0; i < y.length; i++) err = Math.max(err, Math.abs(y[i] - y2[i]));
        System.out.println("max |direct - live| = " + err);
        for (int round = 0; round < 3; round++) {
            double[][] t = new double[3][200];
            for (int i = 0; i < 50; i++) { direct.run(); live.run(); packedLive.run(); }
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime(); direct.run(); t[0][i] = (System.nanoTime() - t0) / 1e6;
                t0 = System.nanoTime(); live.run(); t[1][i] = (System.nanoTime() - t0) / 1e6;
                t0 = System.nanoTime(); packedLive.run(); t[2][i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(t[0]); Arrays.sort(t[1]); Arrays.sort(t[2]);
            System.out.printf("round %d: packed live taps %.3f ms: %.2fx direct%n", round, t[2][100], t[0][100] / t[2][100]);
            System.out.printf("round %d: direct %.3f ms, live taps %.3f ms (medians of 200, alternated): %.2fx%n",
                    round, t[0][100], t[1][100], t[0][100] / t[1][100]);
        }
    }
}
