package org.deephash4j.backend.cpu;

import java.util.Arrays;
import java.util.Random;

/**
 * Paired calls of VectorWinogradConv2d.convolveInImageGroups at two group sizes (a, b), alternated call by call
 * on all threads, forward (turned = false) or backward-data (turned = true): median of b / a per pair.
 * Args: inC outC side batch a b pairs.
 */
public final class GroupPairProbe {
    public static void main(String[] args) {
        int inC = Integer.parseInt(args[0]), outC = Integer.parseInt(args[1]), side = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]), a = Integer.parseInt(args[4]), b = Integer.parseInt(args[5]);
        int pairs = Integer.parseInt(args[6]);
        Random r = new Random(7);
        float[] src = new float[batch * inC * side * side];
        float[] weight = new float[outC * inC * 9];
        float[] bias = new float[outC];
        for (int i = 0; i < src.length; i++) src[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < weight.length; i++) weight[i] = (r.nextFloat() - 0.5f) * 0.1f;
        float[] outA = new float[batch * outC * side * side], outB = new float[outA.length];
        float[] backA = new float[src.length], backB = new float[src.length];
        for (String pass : new String[] {"forward", "backward-data"}) {
            boolean turned = pass.equals("backward-data");
            double[] ratio = new double[pairs];
            long[] ta = new long[pairs], tb = new long[pairs];
            for (int warm = 0; warm < 60; warm++) {
                run(turned, outA, backA, src, weight, bias, batch, inC, outC, side, a);
                run(turned, outB, backB, src, weight, bias, batch, inC, outC, side, b);
            }
            for (int p = 0; p < pairs; p++) {
                boolean aFirst = p % 2 == 0;
                long t0 = System.nanoTime();
                run(turned, aFirst ? outA : outB, aFirst ? backA : backB, src, weight, bias, batch, inC, outC, side, aFirst ? a : b);
                long t1 = System.nanoTime();
                run(turned, aFirst ? outB : outA, aFirst ? backB : backA, src, weight, bias, batch, inC, outC, side, aFirst ? b : a);
                long t2 = System.nanoTime();
                long first = t1 - t0, second = t2 - t1;
                ta[p] = aFirst ? first : second;
                tb[p] = aFirst ? second : first;
                ratio[p] = tb[p] / (double) ta[p];
            }
            if (!Arrays.equals(turned ? backA : outA, turned ? backB : outB)) throw new AssertionError("bits differ");
            int faster = 0;
            for (double x : ratio) if (x < 1) faster++;
            Arrays.sort(ratio); Arrays.sort(ta); Arrays.sort(tb);
            System.out.printf("%d-%d-%d batch %d %s: %d images %.3f ms, %d images %.3f ms, median ratio %.3f, %d of %d pairs faster%n",
                    inC, outC, side, batch, pass, a, ta[pairs / 2] / 1e6, b, tb[pairs / 2] / 1e6, ratio[pairs / 2], faster, pairs);
        }
    }

    static void run(boolean turned, float[] out, float[] back, float[] src, float[] weight, float[] bias, int batch,
                    int inC, int outC, int side, int images) {
        if (!turned) {
            VectorWinogradConv2d.convolveInImageGroups(out, src, weight, false, bias, batch, inC, outC, side, side, images);
        } else {
            // backward-data: gradient of the input from an output-shaped gradient (src reused as dY when shapes match)
            VectorWinogradConv2d.convolveInImageGroups(back, src, weight, true, null, batch, outC, inC, side, side, images);
        }
    }
}
