import jdk.incubator.vector.*;
import java.util.*;

public class PoolProbe {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final int L = F.length(), HALF = L / 2;
    static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);
    static final VectorShuffle<Float> EVENS_FIRST = VectorShuffle.fromOp(F, i -> i < L / 2 ? 2 * i : 2 * (i - L / 2));
    static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(F, i -> 2 * i);   // two-vector: lanes >= L from b
    static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(F, i -> 2 * i + 1);

    static void masked(float[] out, float[] in, int planes, int h, int w) {
        int oh = h / 2, ow = w / 2;
        for (int p = 0; p < planes; p++) {
            int inb = p * h * w, outb = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                int r0 = inb + 2 * y * w, r1 = r0 + w, o = outb + y * ow;
                for (int x = 0; x < ow; x += HALF) {
                    int windows = Math.min(HALF, ow - x);
                    VectorMask<Float> cells = F.indexInRange(0, 2 * windows);
                    FloatVector down = FloatVector.fromArray(F, in, r0 + 2 * x, cells).max(FloatVector.fromArray(F, in, r1 + 2 * x, cells));
                    down.max(down.rearrange(SWAP_PAIRS)).rearrange(EVENS_FIRST).intoArray(out, o + x, F.indexInRange(0, windows));
                }
            }
        }
    }
    // L windows at a time from two vector pairs (rows r0 and r1, 2L cells each): EVENS/ODDS two-vector shuffles.
    static void pairs(float[] out, float[] in, int planes, int h, int w) {
        int oh = h / 2, ow = w / 2;
        for (int p = 0; p < planes; p++) {
            int inb = p * h * w, outb = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                int r0 = inb + 2 * y * w, r1 = r0 + w, o = outb + y * ow;
                int x = 0;
                if (ow >= HALF) {
                    while (x < ow) {
                        int at = Math.min(x, ow - HALF);
                        FloatVector down = FloatVector.fromArray(F, in, r0 + 2 * at).max(FloatVector.fromArray(F, in, r1 + 2 * at));
                        down.max(down.rearrange(SWAP_PAIRS)).rearrange(EVENS_FIRST).intoArray(out, o + at, F.indexInRange(0, HALF));
                        x = at + HALF;
                    }
                } else {
                    for (; x < ow; x++) out[o + x] = Math.max(Math.max(in[r0 + 2 * x], in[r0 + 2 * x + 1]), Math.max(in[r1 + 2 * x], in[r1 + 2 * x + 1]));
                }
            }
        }
    }
    public static void main(String[] a) {
        int planes = Integer.parseInt(a[0]), h = Integer.parseInt(a[1]), w = h;
        float[] in = new float[planes * h * w]; float[] o1 = new float[planes * h * w / 4], o2 = new float[o1.length];
        Random r = new Random(1); for (int i = 0; i < in.length; i++) in[i] = r.nextFloat() - 0.5f;
        List<Double> t1 = new ArrayList<>(), t2 = new ArrayList<>();
        for (int rep = 0; rep < 300; rep++) {
            long s = System.nanoTime(); masked(o1, in, planes, h, w); long m = System.nanoTime(); pairs(o2, in, planes, h, w); long e = System.nanoTime();
            if (rep > 100) { t1.add((m - s) / 1e6); t2.add((e - m) / 1e6); }
        }
        if (!Arrays.equals(o1, o2)) throw new AssertionError("differ");
        Collections.sort(t1); Collections.sort(t2);
        System.out.printf("masked %.3f ms  overlap %.3f ms (single thread, medians)%n", t1.get(t1.size() / 2), t2.get(t2.size() / 2));
    }
}
