package org.deephash4j.data;

import java.util.SplittableRandom;
import org.deephash4j.backend.CounterRandom;

/**
 * Turns stored images (unsigned bytes [c, h, w], any size) into a normalised float batch
 * [n, C, H, W] at a model's input, one batch at a time, as {@link Preprocessing} describes: the
 * bytes stay bytes in memory and only the batch in flight is float.
 *
 * <ul>
 *   <li>{@link #centre}: evaluation and encoding; the centre H x W window of the scaled image.</li>
 *   <li>{@link #augmented}: training with augmentation; a random H x W window of the scaled image and
 *       a horizontal flip with probability 1/2, drawn from (seed, epoch, image index) alone, so the same
 *       seed gives the same crops in any batch order, on any thread, and after a resume.</li>
 * </ul>
 * Scaling is bilinear with PyTorch's {@code align_corners=False} source positions
 * ({@code F.interpolate(x, size, mode='bilinear')}: src = (dst + 0.5) · h / hs - 0.5, clamped at 0),
 * on the byte values as floats, so a 28 x 28 grey image becomes the 3 x 64 x 64 input a PyTorch
 * peer computes from the same bytes up to float rounding. When nothing changes (same size and
 * channels, no crop), the batch is exactly {@link Dataset#images}.
 */
public final class InputPipeline {
    private InputPipeline() {
    }

    /** The images at {@code indices}, centre-cropped: [n, C, H, W]. */
    public static float[] centre(Dataset data, int[] indices, Preprocessing p) {
        checkChannels(data, p.input());
        if (data.channels() == p.input().channels() && data.height() == p.input().height() && data.width() == p.input().width()
                && p.scaleFor(data.height(), data.width()) == 1.0) {
            return data.images(indices, p.normalization());
        }
        float[] out = new float[indices.length * p.input().size()];
        Geometry g = new Geometry(data, p);
        for (int k = 0; k < indices.length; k++) {
            g.write(data.rawImage(indices[k]), (g.scaledH - p.input().height()) / 2, (g.scaledW - p.input().width()) / 2, false,
                    out, k * p.input().size());
        }
        return out;
    }

    /**
     * The images at {@code indices} with training augmentation: for image i in epoch e, a window
     * and a flip drawn from (seed, e, i): [n, C, H, W].
     */
    public static float[] augmented(Dataset data, int[] indices, Preprocessing p, long seed, int epoch) {
        checkChannels(data, p.input());
        float[] out = new float[indices.length * p.input().size()];
        Geometry g = new Geometry(data, p);
        long epochSeed = CounterRandom.bits(seed, epoch);
        for (int k = 0; k < indices.length; k++) {
            SplittableRandom random = new SplittableRandom(CounterRandom.bits(epochSeed, indices[k]));
            int top = random.nextInt(g.scaledH - p.input().height() + 1);
            int left = random.nextInt(g.scaledW - p.input().width() + 1);
            boolean flip = random.nextBoolean();
            g.write(data.rawImage(indices[k]), top, left, flip, out, k * p.input().size());
        }
        return out;
    }

    private static void checkChannels(Dataset data, InputShape input) {
        int c = data.channels(), want = input.channels();
        if (c != want && !(c == 1 && want == 3) && !(c == 3 && want == 1)) {
            throw new IllegalArgumentException(data.name() + " holds " + data.shapeText() + " images; a " + input
                    + " input takes 1 (grey) or 3 (RGB) channels");
        }
    }

    // Source rows and columns with their bilinear weights for every row and column of the scaled image.
    private static final class Geometry {
        final int c, h, w, outC, outH, outW, scaledH, scaledW;
        final int[] y0, y1, x0, x1;
        final float[] ly, lx;
        final float[] scale, shift;

        Geometry(Dataset data, Preprocessing p) {
            c = data.channels();
            h = data.height();
            w = data.width();
            outC = p.input().channels();
            outH = p.input().height();
            outW = p.input().width();
            double s = p.scaleFor(h, w);
            scaledH = Math.max(outH, (int) Math.round(h * s));
            scaledW = Math.max(outW, (int) Math.round(w * s));
            y0 = new int[scaledH];
            y1 = new int[scaledH];
            ly = new float[scaledH];
            taps(h, scaledH, y0, y1, ly);
            x0 = new int[scaledW];
            x1 = new int[scaledW];
            lx = new float[scaledW];
            taps(w, scaledW, x0, x1, lx);
            scale = new float[outC];
            shift = new float[outC];
            Normalization n = p.normalization();
            for (int ch = 0; ch < outC; ch++) {
                scale[ch] = 1f / (255f * n.std()[ch]);
                shift[ch] = n.mean()[ch] / n.std()[ch];
            }
        }

        // PyTorch's area_pixel_compute_source_index for align_corners=False, then the two neighbours.
        private static void taps(int in, int out, int[] i0, int[] i1, float[] frac) {
            float ratio = (float) in / out;
            for (int d = 0; d < out; d++) {
                float src = Math.max(0f, (d + 0.5f) * ratio - 0.5f);
                int lo = Math.min((int) src, in - 1);
                i0[d] = lo;
                i1[d] = Math.min(lo + 1, in - 1);
                frac[d] = src - lo;
            }
        }

        // One image: the H x W window at (top, left) of the scaled image, flipped or not, normalised, into out[off..].
        void write(byte[] src, int top, int left, boolean flip, float[] out, int off) {
            int plane = h * w;
            for (int oc = 0; oc < outC; oc++) {
                int dst = off + oc * outH * outW;
                for (int y = 0; y < outH; y++) {
                    int sy = top + y;
                    int r0 = y0[sy] * w, r1 = y1[sy] * w;
                    float fy = ly[sy];
                    for (int x = 0; x < outW; x++) {
                        int sx = left + (flip ? outW - 1 - x : x);
                        int a = x0[sx], b = x1[sx];
                        float fx = lx[sx];
                        float v;
                        if (c == outC || c == 1) {
                            int base = c == 1 ? 0 : oc * plane;
                            v = bilinear(src, base, r0, r1, a, b, fy, fx);
                        } else {
                            v = 0.299f * bilinear(src, 0, r0, r1, a, b, fy, fx)
                                    + 0.587f * bilinear(src, plane, r0, r1, a, b, fy, fx)
                                    + 0.114f * bilinear(src, 2 * plane, r0, r1, a, b, fy, fx);
                        }
                        out[dst + y * outW + x] = v * scale[oc] - shift[oc];
                    }
                }
            }
        }

        private static float bilinear(byte[] src, int base, int r0, int r1, int a, int b, float fy, float fx) {
            float top = (src[base + r0 + a] & 0xff) * (1 - fx) + (src[base + r0 + b] & 0xff) * fx;
            float bottom = (src[base + r1 + a] & 0xff) * (1 - fx) + (src[base + r1 + b] & 0xff) * fx;
            return top * (1 - fy) + bottom * fy;
        }
    }
}
