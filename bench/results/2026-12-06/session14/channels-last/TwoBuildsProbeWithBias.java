import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Two builds of the engine in one JVM (one class loader each), a Winograd layer's forward or backward-data
 * called alternately on each, pair by pair (which goes first swapped every pair): median of new / old.
 * Args: oldClasses newClasses inC outC side batch pairs.
 */
public final class TwoBuildsProbe {
    public static void main(String[] args) throws Exception {
        int inC = Integer.parseInt(args[2]), outC = Integer.parseInt(args[3]), side = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]), pairs = Integer.parseInt(args[6]);
        Object[] builds = new Object[2];
        Method[] fwd = new Method[2], bwd = new Method[2], filter = new Method[2];
        for (int i = 0; i < 2; i++) {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(args[i]).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> geometry = loader.loadClass("org.deephash4j.backend.Conv2dGeometry");
            Constructor<?> make = geometry.getConstructor(int.class, int.class, int.class, int.class, int.class,
                    int.class, int.class, int.class, int.class);
            builds[i] = make.newInstance(batch, inC, side, side, outC, 3, 3, 1, 1);
            Class<?> wino = loader.loadClass("org.deephash4j.backend.cpu.VectorWinogradConv2d");
            fwd[i] = wino.getDeclaredMethod("forward", float[].class, float[].class, float[].class, float[].class, geometry);
            bwd[i] = wino.getDeclaredMethod("backwardData", float[].class, float[].class, float[].class, geometry);
            filter[i] = wino.getDeclaredMethod("backwardFilter", float[].class, float[].class, float[].class, float[].class,
                    geometry);
            filter[i].setAccessible(true);
            fwd[i].setAccessible(true);
            bwd[i].setAccessible(true);
        }
        Random r = new Random(5);
        float[] x = new float[batch * inC * side * side], w = new float[outC * inC * 9], b = new float[outC];
        float[] dy = new float[batch * outC * side * side];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < dy.length; i++) dy[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < outC; i++) b[i] = 0.3f * i - 1.7f;
        for (int i = 0; i < w.length; i++) w[i] = (r.nextFloat() - 0.5f) * 0.1f;
        float[][] y = {new float[dy.length], new float[dy.length]}, dx = {new float[x.length], new float[x.length]};
        float[][] dw = {new float[w.length], new float[w.length]};
        for (int i = 0; i < 2; i++) {
            filter[i].invoke(null, dw[i], null, dy, x, builds[i]);
        }
        System.out.printf("%d-%d-%d batch %d backward-filter: same bits %b%n", inC, outC, side, batch, Arrays.equals(dw[0], dw[1]));
        for (String pass : new String[] {"forward", "backward-data"}) {
            boolean forward = pass.equals("forward");
            double[] ratio = new double[pairs];
            long[][] t = new long[2][pairs];
            for (int p = -30; p < pairs; p++) {
                for (int s = 0; s < 2; s++) {
                    int i = (p & 1) == 0 ? s : 1 - s;
                    long t0 = System.nanoTime();
                    if (forward) fwd[i].invoke(null, y[i], x, w, b, builds[i]);
                    else bwd[i].invoke(null, dx[i], dy, w, builds[i]);
                    long el = System.nanoTime() - t0;
                    if (p >= 0) t[i][p] = el;
                }
                if (p >= 0) ratio[p] = t[1][p] / (double) t[0][p];
            }
            boolean same = forward ? Arrays.equals(y[0], y[1]) : Arrays.equals(dx[0], dx[1]);
            int faster = 0;
            for (double v : ratio) if (v < 1) faster++;
            Arrays.sort(ratio); Arrays.sort(t[0]); Arrays.sort(t[1]);
            System.out.printf("%d-%d-%d batch %d %s: old %.3f ms, new %.3f ms, median new/old %.3f, new faster in %d of %d, same bits %b%n",
                    inC, outC, side, batch, pass, t[0][pairs / 2] / 1e6, t[1][pairs / 2] / 1e6, ratio[pairs / 2], faster, pairs, same);
        }
    }
}
