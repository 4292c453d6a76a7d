package org.deephash4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.deephash4j.backend.Pool2dGeometry;

/**
 * Max and average pooling, NCHW: the same contracts as {@code ReferencePool2d}.
 *
 * <p>The {@code batch · channels} planes are independent, so they are split into fixed chunks
 * over {@link CpuThreads}; each plane is written by one task. Max pooling with 2×2 windows at
 * stride 2 (LeNet) takes L/2 windows of a row pair at a time, one input column per lane, and
 * pairs the lanes of a window with shuffles; other max windows take the maximum down each window's
 * rows in vectors, then across the columns by gathers (ResNet's 3×3 at stride 2: by shuffles that
 * split a padded row into its even and odd columns, 1.5× the gathers' speed); average pooling sums
 * windows with plain loops and scales whole planes in vectors. Max pooling routes each
 * window's gradient to the first position, row-major in the window, whose input equals the
 * forward's output, as the reference does, so the two agree exactly.
 */
final class VectorPool2d {
    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    /** Ints with as many lanes as F: the backward's window positions, lane for lane. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Planes per task: enough work per task to amortise the hand-off. */
    private static final int PLANES_PER_TASK = 16;
    /** 2×2 windows: L/2 windows of a row pair at a time, one input column per lane. */
    private static final int HALF = F.length() / 2;
    /** Lane i takes lane i xor 1: each lane meets the other cell of its window's row. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);
    /** Lane i < L/2 takes lane 2i: the even lanes, one per window, to the front. */
    private static final VectorShuffle<Float> EVENS_FIRST = VectorShuffle.fromOp(F, i -> (2 * i) % F.length());
    /** Lane i takes lane i/2: one value per window spread over the window's two columns. */
    private static final VectorShuffle<Float> SPREAD_PAIRS = VectorShuffle.fromOp(F, i -> i / 2);
    /** Lane i of a two-vector rearrange takes lane 2i of the pair (indexes past L pick from the second). */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(F, i -> 2 * i);
    /** Lane i of a two-vector rearrange takes lane 2i + 1 of the pair. */
    private static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(F, i -> 2 * i + 1);
    /** The even lanes: the first column of each window. */
    private static final VectorMask<Float> EVEN_LANES = VectorMask.fromLong(F, 0x5555_5555_5555_5555L);

    private VectorPool2d() {
    }

    static void maxForward(float[] output, float[] input, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        int[] strided = VectorWidth.strided(g.stride());
        forPlanes(planes, (from, to) -> {
            float[] columnMax = isTwoByTwo(g) ? null : paddedRow(g);   // the 2x2 path needs no buffer
            for (int plane = from; plane < to; plane++) {
                maxForwardPlane(output, input, plane, g, columnMax, strided);
            }
        });
    }

    static void maxBackward(float[] gradInput, float[] gradOutput, float[] input, float[] output, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        // Non-overlapping 2x2 windows that tile the plane write every cell themselves.
        boolean tiles = g.kernelHeight() == 2 && g.kernelWidth() == 2 && g.stride() == 2 && g.padding() == 0
                && g.inHeight() % 2 == 0 && g.inWidth() % 2 == 0;
        int[] strided = VectorWidth.strided(g.stride());
        forPlanes(planes, (from, to) -> {
            if (!tiles) {
                fill(gradInput, from * inPlane, (to - from) * inPlane, 0f);
            }
            float[][] rows = new float[isTwoByTwo(g) ? 0 : g.kernelHeight()][];   // the 2x2 path needs none
            for (int i = 0; i < rows.length; i++) {
                rows[i] = paddedRow(g);
            }
            int[] firstCells = new int[F.length()];
            for (int plane = from; plane < to; plane++) {
                maxBackwardPlane(gradInput, gradOutput, input, output, plane, g, rows, strided, firstCells);
            }
        });
    }

    static void avgForward(float[] output, float[] input, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        int outPlane = g.outHeight() * g.outWidth();
        float scale = 1f / (g.kernelHeight() * g.kernelWidth());
        forPlanes(planes, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                windowSums(output, input, plane, g);
            }
            int at = from * outPlane;
            int n = (to - from) * outPlane;
            int i = 0;
            for (; i < F.loopBound(n); i += F.length()) {
                FloatVector.fromArray(F, output, at + i).mul(scale).intoArray(output, at + i);
            }
            for (; i < n; i++) {
                output[at + i] *= scale;
            }
        });
    }

    static void avgBackward(float[] gradInput, float[] gradOutput, Pool2dGeometry g) {
        int planes = g.batch() * g.channels();
        int inPlane = g.inHeight() * g.inWidth();
        float scale = 1f / (g.kernelHeight() * g.kernelWidth());
        forPlanes(planes, (from, to) -> {
            fill(gradInput, from * inPlane, (to - from) * inPlane, 0f);
            for (int plane = from; plane < to; plane++) {
                avgBackwardPlane(gradInput, gradOutput, plane, scale, g);
            }
        });
    }

    private interface PlaneRange {
        void run(int from, int to);
    }

    private static void forPlanes(int planes, PlaneRange body) {
        int tasks = (planes + PLANES_PER_TASK - 1) / PLANES_PER_TASK;
        CpuThreads.forEach(tasks, t -> body.run(t * PLANES_PER_TASK, Math.min(planes, (t + 1) * PLANES_PER_TASK)));
    }

    /** The LeNet case, 2×2 windows at stride 2 without padding, which has its own loops. */
    /**
     * Whether windows 3 wide at stride 2 (ResNet's stem pool) take their columns by shuffles: for L
     * windows from {@code at}, columns 2x, 2x + 1 and 2x + 2 of the padded row are the even and odd
     * lanes of the two vectors at 2·at and the even lanes of the two at 2·at + 2, four loads and
     * three shuffles instead of three gathers (the gathers took most of the backward's time). The
     * last load ends at 2·ow + 2 at most, which must lie inside the padded row ({@link #paddedRow}).
     */
    private static boolean columnsByShuffles(Pool2dGeometry g) {
        return g.stride() == 2 && g.kernelWidth() == 3
                && 2 * g.outWidth() + 2 <= g.inWidth() + 2 * g.padding() + g.kernelWidth();
    }

    private static boolean isTwoByTwo(Pool2dGeometry g) {
        return g.kernelHeight() == 2 && g.kernelWidth() == 2 && g.stride() == 2 && g.padding() == 0;
    }

    private static void maxForwardPlane(float[] output, float[] input, int plane, Pool2dGeometry g,
                                        float[] columnMax, int[] strided) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        if (isTwoByTwo(g)) {
            // The LeNet case: two input rows per output row, L/2 windows at a time (masked at
            // the row's end): the maximum down the two rows, then across each lane pair, whose
            // even lanes move to the front. Math.max's order does not change its result.
            for (int y = 0; y < oh; y++) {
                int r0 = in + 2 * y * w;
                int r1 = r0 + w;
                int o = out + y * ow;
                for (int x = 0; x < ow; x += HALF) {
                    int windows = Math.min(HALF, ow - x);
                    VectorMask<Float> cells = F.indexInRange(0, 2 * windows);
                    FloatVector down = FloatVector.fromArray(F, input, r0 + 2 * x, cells)
                            .max(FloatVector.fromArray(F, input, r1 + 2 * x, cells));
                    down.max(down.rearrange(SWAP_PAIRS)).rearrange(EVENS_FIRST)
                            .intoArray(output, o + x, F.indexInRange(0, windows));
                }
            }
            return;
        }
        // Any other window (ResNet's 3×3 at stride 2 with padding 1): for each output row, the
        // maximum down the window's input rows, column by column, into a row padded with -∞ on
        // both sides (columnMax[pad + ix] for input column ix); then the maximum across each
        // window's columns, L windows at a time by gathers {@code stride} apart (by shuffles for
        // 3 wide at stride 2). Math.max is commutative and associative (NaN wins, +0 beats -0)
        // and -∞ changes no maximum, so neither the order nor the padding changes the result.
        int lanes = F.length();
        boolean pairs = columnsByShuffles(g);
        for (int y = 0; y < oh; y++) {
            int i0 = Math.max(0, y * s - pad);
            int i1 = Math.min(h, y * s - pad + kh);
            if (i0 >= i1) {
                fill(output, out + y * ow, ow, Float.NEGATIVE_INFINITY);
                continue;
            }
            System.arraycopy(input, in + i0 * w, columnMax, pad, w);
            for (int i = i0 + 1; i < i1; i++) {
                maxInto(columnMax, pad, input, in + i * w, w);
            }
            int o = out + y * ow;
            int x = 0;                                  // windows [0, x) are written
            while (ow >= lanes && x < ow) {
                // L windows at a time; when L does not divide the row, the last L overlap the
                // ones before and write the same maxima again.
                int at = Math.min(x, ow - lanes);
                if (pairs) {                            // columnsByShuffles: no gathers
                    FloatVector a = FloatVector.fromArray(F, columnMax, 2 * at);
                    FloatVector b = FloatVector.fromArray(F, columnMax, 2 * at + lanes);
                    FloatVector c = FloatVector.fromArray(F, columnMax, 2 * at + 2);
                    FloatVector d = FloatVector.fromArray(F, columnMax, 2 * at + 2 + lanes);
                    a.rearrange(EVENS, b).max(a.rearrange(ODDS, b)).max(c.rearrange(EVENS, d)).intoArray(output, o + at);
                    x = at + lanes;
                    continue;
                }
                FloatVector m = FloatVector.fromArray(F, columnMax, at * s, strided, 0);
                for (int j = 1; j < kw; j++) {
                    m = m.max(FloatVector.fromArray(F, columnMax, at * s + j, strided, 0));
                }
                m.intoArray(output, o + at);
                x = at + lanes;
            }
            for (; x < ow; x++) {                       // rows narrower than L
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < kw; j++) {
                    m = Math.max(m, columnMax[x * s + j]);
                }
                output[o + x] = m;
            }
        }
    }

    /** max[maxOff + i] = Math.max(max[maxOff + i], x[xOff + i]) for i in [0, n). */
    private static void maxInto(float[] max, int maxOff, float[] x, int xOff, int n) {
        int i = 0;
        for (; i < F.loopBound(n); i += F.length()) {
            FloatVector.fromArray(F, max, maxOff + i).max(FloatVector.fromArray(F, x, xOff + i))
                    .intoArray(max, maxOff + i);
        }
        for (; i < n; i++) {
            max[maxOff + i] = Math.max(max[maxOff + i], x[xOff + i]);
        }
    }

    /**
     * A row of -∞ long enough for an input row padded on both sides, plus room for the last
     * window (windows never reach past {@code w + 2·pad}).
     */
    private static float[] paddedRow(Pool2dGeometry g) {
        float[] row = new float[g.inWidth() + 2 * g.padding() + g.kernelWidth()];
        java.util.Arrays.fill(row, Float.NEGATIVE_INFINITY);
        return row;
    }

    private static void maxBackwardPlane(float[] gradInput, float[] gradOutput, float[] input, float[] output,
                                         int plane, Pool2dGeometry g, float[][] rows, int[] strided, int[] firstCells) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        if (isTwoByTwo(g)) {
            // The LeNet case: windows do not overlap, so each window writes its four cells (the
            // maximum gets the gradient, the others +0) and only the cells no window covers (an
            // odd last row or column) keep the zero the caller wrote. L/2 windows at a time: each
            // lane holds one cell of the row pair, the window's maximum and gradient spread over
            // its two columns; a lane wins when it equals the maximum and no cell before it in
            // the window does (row-major: the other lane of its pair in row 0 comes first when it
            // is the even one, and row 0 comes before row 1).
            FloatVector zero = FloatVector.zero(F);
            for (int y = 0; y < oh; y++) {
                int r0 = in + 2 * y * w;
                int r1 = r0 + w;
                int o = out + y * ow;
                for (int x = 0; x < ow; x += HALF) {
                    int windows = Math.min(HALF, ow - x);
                    VectorMask<Float> perWindow = F.indexInRange(0, windows);
                    FloatVector m = FloatVector.fromArray(F, output, o + x, perWindow);
                    if (m.test(VectorOperators.IS_NAN).anyTrue()) {
                        // A NaN output is matched by the first NaN input, as in the reference (rare):
                        // these windows one at a time.
                        for (int k = x; k < x + windows; k++) {
                            twoByTwoBackward(gradInput, input, r0 + 2 * k, r1 + 2 * k, output[o + k], gradOutput[o + k]);
                        }
                        continue;
                    }
                    VectorMask<Float> cells = F.indexInRange(0, 2 * windows);
                    FloatVector max = m.rearrange(SPREAD_PAIRS);
                    FloatVector grad = FloatVector.fromArray(F, gradOutput, o + x, perWindow).rearrange(SPREAD_PAIRS);
                    FloatVector row0 = FloatVector.fromArray(F, input, r0 + 2 * x, cells);
                    FloatVector row1 = FloatVector.fromArray(F, input, r1 + 2 * x, cells);
                    VectorMask<Float> here0 = row0.eq(max), pair0 = row0.rearrange(SWAP_PAIRS).eq(max);
                    VectorMask<Float> here1 = row1.eq(max), pair1 = row1.rearrange(SWAP_PAIRS).eq(max);
                    VectorMask<Float> wins0 = here0.and(EVEN_LANES.or(pair0.not()));
                    VectorMask<Float> wins1 = here1.andNot(here0.or(pair0)).and(EVEN_LANES.or(pair1.not()));
                    zero.blend(grad, wins0).intoArray(gradInput, r0 + 2 * x, cells);
                    zero.blend(grad, wins1).intoArray(gradInput, r1 + 2 * x, cells);
                }
            }
            return;
        }
        int lanes = F.length();
        FloatVector negativeInfinity = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        IntVector cells = IntVector.fromArray(I, strided, 0);
        boolean pairs = columnsByShuffles(g);
        for (int y = 0; y < oh; y++) {
            int i0 = Math.max(0, y * s - pad);
            int i1 = Math.min(h, y * s - pad + kh);
            // The window's input rows, each padded with -∞ as in the forward pass.
            for (int i = i0; i < i1; i++) {
                System.arraycopy(input, in + i * w, rows[i - i0], pad, w);
            }
            int o = out + y * ow;
            int x = 0;                                  // windows [0, x) have passed their gradient on
            while (ow >= lanes && x < ow) {
                // L windows at a time; when L does not divide the row, the last L overlap the
                // ones before, whose lanes pass nothing on a second time.
                int at = Math.min(x, ow - lanes);
                FloatVector m = FloatVector.fromArray(F, output, o + at);
                if (m.test(VectorOperators.IS_NAN).or(m.eq(negativeInfinity)).anyTrue()) {
                    break;   // a NaN or -∞ maximum (padding holds -∞ too): these windows go to the scalar loop
                }
                // L windows at once: the window is read backwards and every match replaces the
                // last, so each lane ends with its first match, row-major; lanes hold padded columns.
                // Lane l's cell (i, j) is input[in + i·w + (at + l)·s + j - pad]; a padded
                // column holds -∞, which matches no maximum here.
                IntVector first = IntVector.broadcast(I, -1);
                for (int i = i1 - 1; i >= i0; i--) {
                    float[] row = rows[i - i0];
                    int cell = i * w + at * s - pad;   // lane 0's cell (i, 0) in the plane
                    if (pairs) {                       // columnsByShuffles: three columns, no gathers
                        int base = 2 * at;
                        FloatVector a = FloatVector.fromArray(F, row, base);
                        FloatVector b = FloatVector.fromArray(F, row, base + lanes);
                        FloatVector c = FloatVector.fromArray(F, row, base + 2);
                        FloatVector d = FloatVector.fromArray(F, row, base + 2 + lanes);
                        first = first.blend(cells.add(cell + 2), c.rearrange(EVENS, d).eq(m).cast(I));
                        first = first.blend(cells.add(cell + 1), a.rearrange(ODDS, b).eq(m).cast(I));
                        first = first.blend(cells.add(cell), a.rearrange(EVENS, b).eq(m).cast(I));
                        continue;
                    }
                    for (int j = kw - 1; j >= 0; j--) {
                        VectorMask<Integer> match = FloatVector.fromArray(F, row, at * s + j, strided, 0)
                                .eq(m).cast(I);
                        first = first.blend(cells.add(cell + j), match);
                    }
                }
                first.intoArray(firstCells, 0);
                for (int lane = x - at; lane < lanes; lane++) {
                    if (firstCells[lane] >= 0) {   // no match: an output that is not this input's maximum
                        gradInput[in + firstCells[lane]] += gradOutput[o + at + lane];
                    }
                }
                x = at + lanes;
            }
            for (; x < ow; x++) {
                int j0 = Math.max(0, x * s - pad);
                int j1 = Math.min(w, x * s - pad + kw);
                // The first position, row-major in the window, whose input equals the output:
                // the window is read backwards and every match replaces the last, without a
                // branch (which cell holds the maximum is a coin toss for the branch predictor).
                // A NaN output is matched by the first NaN input, as in the reference.
                float m = output[out + y * ow + x];
                boolean nan = Float.isNaN(m);
                int best = -1;
                for (int i = i1 - 1; i >= i0; i--) {
                    for (int j = j1 - 1; j >= j0; j--) {
                        int at = in + i * w + j;
                        best = input[at] == m || (nan && Float.isNaN(input[at])) ? at : best;
                    }
                }
                if (best >= 0) {
                    gradInput[best] += gradOutput[out + y * ow + x];
                }
            }
        }
    }

    /**
     * One 2×2 window: the first cell, row-major, equal to the maximum m gets the gradient, the
     * others 0; a NaN maximum is matched by the first NaN cell, as in the reference.
     */
    private static void twoByTwoBackward(float[] gradInput, float[] input, int i00, int i10, float m, float grad) {
        boolean nan = Float.isNaN(m);
        int[] cells = {i00, i00 + 1, i10, i10 + 1};
        boolean routed = false;
        for (int cell : cells) {
            boolean here = !routed && (nan ? Float.isNaN(input[cell]) : input[cell] == m);
            gradInput[cell] = here ? grad : 0f;
            routed |= here;
        }
    }

    /** output = the sum of each window (padding counts as 0); the caller scales by 1 / area. */
    private static void windowSums(float[] output, float[] input, int plane, Pool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                float sum = 0f;
                for (int i = 0; i < kh; i++) {
                    int iy = y * s - pad + i;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int ix = x * s - pad + j;
                        if (ix >= 0 && ix < w) {
                            sum += input[in + iy * w + ix];
                        }
                    }
                }
                output[out + y * ow + x] = sum;
            }
        }
    }

    private static void avgBackwardPlane(float[] gradInput, float[] gradOutput, int plane, float scale,
                                         Pool2dGeometry g) {
        int h = g.inHeight(), w = g.inWidth(), oh = g.outHeight(), ow = g.outWidth();
        int s = g.stride(), pad = g.padding(), kh = g.kernelHeight(), kw = g.kernelWidth();
        int in = plane * h * w;
        int out = plane * oh * ow;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                float share = gradOutput[out + y * ow + x] * scale;
                for (int i = 0; i < kh; i++) {
                    int iy = y * s - pad + i;
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    for (int j = 0; j < kw; j++) {
                        int ix = x * s - pad + j;
                        if (ix >= 0 && ix < w) {
                            gradInput[in + iy * w + ix] += share;
                        }
                    }
                }
            }
        }
    }

    private static void fill(float[] a, int from, int n, float value) {
        FloatVector v = FloatVector.broadcast(F, value);
        int i = 0;
        for (; i < F.loopBound(n); i += F.length()) {
            v.intoArray(a, from + i);
        }
        for (; i < n; i++) {
            a[from + i] = value;
        }
    }
}
