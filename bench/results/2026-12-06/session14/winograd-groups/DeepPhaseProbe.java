package org.deephash4j.backend.cpu;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;

/** Whole convolveInChunks against its filter transform alone (all blocks), two threads. Args: inC outC side batch reps. */
public final class DeepPhaseProbe {
    public static void main(String[] args) throws Exception {
        int inC = Integer.parseInt(args[0]), outC = Integer.parseInt(args[1]), side = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]), reps = Integer.parseInt(args[4]);
        Random r = new Random(3);
        float[] src = new float[batch * inC * side * side], out = new float[batch * outC * side * side];
        float[] weight = new float[outC * inC * 9];
        for (int i = 0; i < src.length; i++) src[i] = r.nextFloat();
        for (int i = 0; i < weight.length; i++) weight[i] = r.nextFloat();
        Method tf = VectorWinogradConv2d.class.getDeclaredMethod("transformFilters", float[].class, int.class, float[].class,
                boolean.class, int.class, int.class, int.class, int.class);
        tf.setAccessible(true);
        Method blockOf = VectorWinogradConv2d.class.getDeclaredMethod("outputChannelsPerBlock", int.class, int.class);
        blockOf.setAccessible(true);
        int block = (int) blockOf.invoke(null, inC, outC);
        float[] u = new float[36 * (inC * block + 16)];
        long[] whole = new long[reps], filters = new long[reps], turnedFilters = new long[reps];
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            VectorWinogradConv2d.convolveInChunks(out, src, weight, false, null, batch, inC, outC, side, side);
            long t1 = System.nanoTime();
            for (int k0 = 0; k0 < outC; k0 += block) {
                tf.invoke(null, u, inC * block + 16, weight, false, inC, outC, k0, Math.min(block, outC - k0));
            }
            long t2 = System.nanoTime();
            for (int k0 = 0; k0 < inC; k0 += block) {      // backward-data's: weight [outC, inC] read turned
                tf.invoke(null, u, outC * block + 16, weight, true, outC, inC, k0, Math.min(block, inC - k0));
            }
            long t3 = System.nanoTime();
            whole[rep] = t1 - t0; filters[rep] = t2 - t1; turnedFilters[rep] = t3 - t2;
        }
        long[] a = Arrays.copyOfRange(whole, reps / 2, reps), b = Arrays.copyOfRange(filters, reps / 2, reps);
        long[] c = Arrays.copyOfRange(turnedFilters, reps / 2, reps);
        Arrays.sort(a); Arrays.sort(b); Arrays.sort(c);
        System.out.printf("%d-%d-%d batch %d (block %d): whole forward %.2f ms, filter transform alone %.2f ms, turned %.2f ms%n",
                inC, outC, side, batch, block, a[a.length / 2] / 1e6, b[b.length / 2] / 1e6, c[c.length / 2] / 1e6);
    }
}
