package org.deephash4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The input pipeline against an independent double-precision oracle written from PyTorch's
 * definition of bilinear scaling ({@code F.interpolate(mode='bilinear', align_corners=False)}:
 * src = (dst + 0.5) · in / out - 0.5, clamped at 0, the two neighbours weighted by distance), for
 * awkward sizes; exact crops and flips; augmentation a function of (seed, epoch, image).
 */
class InputPipelineTest {
    private static final Normalization GREY = new Normalization(new float[] {0.25f}, new float[] {0.5f});

    private static Dataset random(int n, int c, int h, int w, long seed) {
        byte[] px = new byte[n * c * h * w];
        new Random(seed).nextBytes(px);
        return Dataset.singleLabel("random", c, h, w, px, new int[n], List.of("x"));
    }

    // The oracle: PyTorch's bilinear resize of one plane [h, w] to [oh, ow], in double.
    private static double[] torchBilinear(double[] src, int h, int w, int oh, int ow) {
        double[] out = new double[oh * ow];
        for (int y = 0; y < oh; y++) {
            double sy = Math.max(0, (y + 0.5) * h / oh - 0.5);
            int y0 = Math.min((int) Math.floor(sy), h - 1), y1 = Math.min(y0 + 1, h - 1);
            double ly = sy - y0;
            for (int x = 0; x < ow; x++) {
                double sx = Math.max(0, (x + 0.5) * w / ow - 0.5);
                int x0 = Math.min((int) Math.floor(sx), w - 1), x1 = Math.min(x0 + 1, w - 1);
                double lx = sx - x0;
                out[y * ow + x] = (1 - ly) * ((1 - lx) * src[y0 * w + x0] + lx * src[y0 * w + x1])
                        + ly * ((1 - lx) * src[y1 * w + x0] + lx * src[y1 * w + x1]);
            }
        }
        return out;
    }

    @Test
    void sameSizeIsExactlyTheDatasetsBatch() {
        Dataset d = random(5, 1, 28, 28, 1);
        int[] idx = {4, 0, 2};
        assertArrayEquals(d.images(idx, GREY), InputPipeline.centre(d, idx, Preprocessing.of(new InputShape(1, 28, 28), GREY)));
    }

    @Test
    void greyUpsampledToRgbMatchesPyTorchsBilinear() {
        // 28 -> 64 (the protocol's Fashion-MNIST input), and awkward sizes: 1 -> 3, 7 -> 13, 13 -> 61, 31 -> 32, 5x9 -> cover 17x17.
        int[][] cases = {{28, 28, 64, 64}, {1, 1, 3, 3}, {7, 7, 13, 13}, {13, 13, 61, 61}, {31, 31, 32, 32}, {5, 9, 17, 17}};
        Normalization imagenet = Preprocessing.IMAGENET;
        for (int[] c : cases) {
            int h = c[0], w = c[1], oh = c[2], ow = c[3];
            Dataset d = random(2, 1, h, w, h * 31L + w);
            Preprocessing p = Preprocessing.of(new InputShape(3, oh, ow), imagenet);
            float[] got = InputPipeline.centre(d, new int[] {1}, p);
            double s = p.scaleFor(h, w);
            int sh = Math.max(oh, (int) Math.round(h * s)), sw = Math.max(ow, (int) Math.round(w * s));
            byte[] raw = d.rawImage(1);
            double[] src = new double[h * w];
            for (int i = 0; i < src.length; i++) src[i] = raw[i] & 0xff;
            double[] scaled = torchBilinear(src, h, w, sh, sw);
            int top = (sh - oh) / 2, left = (sw - ow) / 2;
            double maxDiff = 0;
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double want = (scaled[(top + y) * sw + left + x] / 255 - imagenet.mean()[ch]) / imagenet.std()[ch];
                        double diff = Math.abs(got[(ch * oh + y) * ow + x] - want);
                        if (diff > 1e-5 + 1e-5 * Math.abs(want)) {
                            throw new AssertionError(String.format("InputPipeline %dx%d -> 3x%dx%d: out[%d, %d, %d] = %.6f vs oracle %.6f",
                                    h, w, oh, ow, ch, y, x, got[(ch * oh + y) * ow + x], want));
                        }
                        maxDiff = Math.max(maxDiff, diff);
                    }
                }
            }
            assertTrue(maxDiff < 1e-5, h + "x" + w + ": max diff " + maxDiff);
        }
    }

    @Test
    void rgbToGreyIsTheLuma() {
        Dataset d = random(1, 3, 4, 4, 9);
        float[] got = InputPipeline.centre(d, new int[] {0}, Preprocessing.of(new InputShape(1, 4, 4), GREY));
        byte[] raw = d.rawImage(0);
        for (int p = 0; p < 16; p++) {
            double luma = 0.299 * (raw[p] & 0xff) + 0.587 * (raw[16 + p] & 0xff) + 0.114 * (raw[32 + p] & 0xff);
            assertEquals((luma / 255 - 0.25) / 0.5, got[p], 1e-5, "pixel " + p);
        }
    }

    @Test
    void aStoredMarginIsCroppedAtTheCentre() {
        // Photos are decoded at resize x resize (here 9 x 9 for a 7 x 7 input): the centre window, no scaling.
        Dataset d = random(1, 3, 9, 9, 4);
        Preprocessing p = new Preprocessing(new InputShape(3, 7, 7), 9, Preprocessing.IMAGENET);
        assertEquals(new InputShape(3, 9, 9), p.decodeShape());
        float[] got = InputPipeline.centre(d, new int[] {0}, p);
        float[] all = d.images(new int[] {0}, Preprocessing.IMAGENET);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 7; x++) assertEquals(all[(c * 9 + y + 1) * 9 + x + 1], got[(c * 7 + y) * 7 + x], 0f);
            }
        }
    }

    @Test
    void augmentedWindowsAreCropsOrMirroredCropsDrawnFromTheSeed() {
        Dataset d = random(6, 3, 11, 11, 8);
        Preprocessing p = new Preprocessing(new InputShape(3, 8, 8), 11, Preprocessing.IMAGENET);
        int[] idx = {0, 1, 2, 3, 4, 5};
        float[] a = InputPipeline.augmented(d, idx, p, 42, 0);
        assertArrayEquals(a, InputPipeline.augmented(d, idx, p, 42, 0), "same seed and epoch, same crops");
        assertFalse(java.util.Arrays.equals(a, InputPipeline.augmented(d, idx, p, 42, 1)), "another epoch, other crops");
        // An image's crop does not depend on the batch it is in.
        float[] alone = InputPipeline.augmented(d, new int[] {3}, p, 42, 0);
        assertArrayEquals(alone, java.util.Arrays.copyOfRange(a, 3 * 192, 4 * 192));
        int flips = 0;
        for (int k = 0; k < idx.length; k++) {
            float[] all = d.images(new int[] {idx[k]}, Preprocessing.IMAGENET);
            float[] got = java.util.Arrays.copyOfRange(a, k * 192, (k + 1) * 192);
            boolean found = false;
            for (int top = 0; top <= 3 && !found; top++) {
                for (int left = 0; left <= 3 && !found; left++) {
                    for (boolean flip : new boolean[] {false, true}) {
                        if (window(all, 11, top, left, 8, flip, got)) {
                            found = true;
                            if (flip) flips++;
                            break;
                        }
                    }
                }
            }
            assertTrue(found, "image " + idx[k] + " is an 8x8 window of its 11x11, mirrored or not");
        }
        assertTrue(flips > 0 && flips < idx.length, "some flipped, some not: " + flips);
    }

    private static boolean window(float[] all, int size, int top, int left, int out, boolean flip, float[] got) {
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < out; y++) {
                for (int x = 0; x < out; x++) {
                    int sx = left + (flip ? out - 1 - x : x);
                    if (all[(c * size + top + y) * size + sx] != got[(c * out + y) * out + x]) return false;
                }
            }
        }
        return true;
    }

    @Test
    void badShapesAreRefusedWithTheReason() {
        Dataset two = random(1, 2, 8, 8, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputPipeline.centre(two, new int[] {0}, Preprocessing.of(new InputShape(3, 8, 8), Preprocessing.IMAGENET)));
        assertTrue(e.getMessage().contains("takes 1 (grey) or 3 (RGB) channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Preprocessing(new InputShape(3, 64, 64), 60, Preprocessing.IMAGENET));
        assertTrue(e.getMessage().contains("--resize 60"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InputShape.parse("3x64", "--image-size"));
        assertEquals("--image-size '3x64': expected CxHxW such as 1x28x28 or 3x224x224", e.getMessage());
    }
}
