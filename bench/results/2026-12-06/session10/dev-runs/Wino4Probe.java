package org.deephash4j.backend.cpu;

import java.lang.reflect.Method;
import java.util.*;
import org.deephash4j.backend.Conv2dGeometry;

/** Where 512-512-4-1's Winograd forward spends its time: the whole call against the filter transform alone. */
public class Wino4Probe {
    public static void main(String[] a) throws Exception {
        int inC = Integer.parseInt(a[0]), outC = inC, hw = Integer.parseInt(a[1]), batch = 32;
        Conv2dGeometry g = new Conv2dGeometry(batch, inC, hw, hw, outC, 3, 3, 1, 1);
        Random r = new Random(1);
        float[] x = new float[(int) g.inputSize()], w = new float[(int) g.weightSize()], b = new float[outC], y = new float[(int) g.outputSize()];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        for (int i = 0; i < w.length; i++) w[i] = r.nextFloat();
        Method tf = VectorWinogradConv2d.class.getDeclaredMethod("transformFilters", float[].class, int.class, float[].class, boolean.class, int.class, int.class, int.class, int.class);
        tf.setAccessible(true);
        int stride = inC * outC + 16;
        float[] u = new float[36 * stride];
        List<Double> whole = new ArrayList<>(), filters = new ArrayList<>(), turnedList = new ArrayList<>();
        for (int rep = 0; rep < 60; rep++) {
            long t0 = System.nanoTime();
            VectorWinogradConv2d.forward(y, x, w, b, g);
            long t1 = System.nanoTime();
            tf.invoke(null, u, stride, w, false, inC, outC, 0, outC);
            long t2 = System.nanoTime();
            tf.invoke(null, u, stride, w, true, inC, outC, 0, outC);
            long t3 = System.nanoTime();
            if (rep >= 20) { whole.add((t1 - t0) / 1e6); filters.add((t2 - t1) / 1e6); turnedList.add((t3 - t2) / 1e6); }
        }
        Collections.sort(whole); Collections.sort(filters); Collections.sort(turnedList);
        System.out.printf("%d-%d-%d-1 forward median %.3f ms; transformFilters (all of U) median %.3f ms, turned %.3f ms%n", inC, outC, hw, whole.get(20), filters.get(20), turnedList.get(20));
    }
}
