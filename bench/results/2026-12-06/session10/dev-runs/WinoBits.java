import org.deephash4j.backend.cpu.*;
import org.deephash4j.backend.Conv2dGeometry;
import java.util.*;
public class WinoBits {
    public static void main(String[] a) throws Exception {
        CpuKernels k = new VectorKernels();
        long h = 1;
        int[][] shapes = {{32,64,64,28,28},{3,65,67,13,11},{2,64,70,28,28},{4,64,64,9,9}};
        for (int[] sh : shapes) {
            int n = sh[0], ci = sh[1], co = sh[2], hh = sh[3], ww = sh[4];
            Random r = new Random(5);
            float[] x = new float[n*ci*hh*ww], w = new float[co*ci*9], b = new float[co], y = new float[n*co*hh*ww];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.1f;
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            Conv2dGeometry g = new Conv2dGeometry(n, ci, hh, ww, co, 3, 3, 1, 1);
            k.conv2dForward(y, x, w, b, g);
            float[] dx = new float[x.length];
            k.conv2dBackwardData(dx, y, w, g);
            h = h * 31 + Arrays.hashCode(y); h = h * 31 + Arrays.hashCode(dx);
            // reference comparison
            CpuKernels ref = new ReferenceKernels();
            float[] ey = new float[y.length]; ref.conv2dForward(ey, x, w, b, g);
            double md = 0; for (int i = 0; i < y.length; i++) md = Math.max(md, Math.abs(ey[i]-y[i]));
            System.out.println(Arrays.toString(sh) + " max |y - ref| " + md);
        }
        System.out.println("fingerprint " + Long.toHexString(h));
    }
}
