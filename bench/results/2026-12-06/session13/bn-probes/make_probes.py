#!/usr/bin/env python3
"""Writes the thirteenth session's batch-norm probe classes from HEAD's VectorBatchNorm.java (ec93312):
P13F (the same kernel, streamed branch off, block constants from -DP13F.block / -DP13F.minBlocks),
P13R (the same with the two writing passes in reverse image order: elementwise, the same bits),
P13S (P13F with each pass behind a bit of the static MODE, LANE_TERMS from -DP13S.terms),
P13O (P13F with one pass for the forward's statistics: sums of x - shift and their squares).
   python3 make_probes.py ../../../../../engine/src/main/java/org/deephash4j/backend/cpu/VectorBatchNorm.java"""
import sys

src = open(sys.argv[1]).read()
s = src.replace('final class VectorBatchNorm', 'final class P13').replace('private VectorBatchNorm()', 'private P13()')
s = s.replace('if (spatial >= STREAMED_MIN_SPATIAL)', 'if (false)')
s = s.replace('private static final int FLOATS_PER_BLOCK = 1 << 20;',
              'static int FLOATS_PER_BLOCK = Integer.getInteger("bn.block", 1 << 20);\n'
              '    static final boolean REV = Boolean.getBoolean("bn.rev");')
s = s.replace('private static final int BLOCKS_PER_THREAD = 2;',
              'static int BLOCKS_PER_THREAD = Integer.getInteger("bn.minBlocks", 2);')
s = s.replace('''        for (int n = 0; n < batch; n++) {
            normalizePlanes(''', '''        for (int i = 0; i < batch; i++) {
            int n = REV ? batch - 1 - i : i;
            normalizePlanes(''')
s = s.replace('''            for (int n = 0; n < batch; n++) {
                gradInputPlanes(''', '''            for (int i = 0; i < batch; i++) {
                int n = REV ? batch - 1 - i : i;
                gradInputPlanes(''')


def variant(name, rev):
    t = s.replace('class P13', 'class ' + name).replace('private P13()', 'private ' + name + '()')
    t = t.replace('Boolean.getBoolean("bn.rev")', rev)
    t = t.replace('"bn.block"', '"%s.block"' % name).replace('"bn.minBlocks"', '"%s.minBlocks"' % name)
    return t.replace('static int FLOATS', 'static final int FLOATS').replace('static int BLOCKS', 'static final int BLOCKS')


f = variant('P13F', 'false')
open('P13F.java', 'w').write(f)
open('P13R.java', 'w').write(variant('P13R', 'true'))

t = f.replace('class P13F', 'class P13S').replace('private P13F()', 'private P13S()').replace('"P13F.', '"P13S.')
t = t.replace('static final boolean REV = false;', 'static final boolean REV = false;\n    static int MODE = 31;')
for old, bit in (('''            for (int n = 0; n < batch; n++) {
                sums.addPlanes(''', 1), ('''            for (int n = 0; n < batch; n++) {
                sums.addSquaredDeviations(''', 2), ('''            for (int n = 0; n < batch; n++) {
                ChannelSums.addGradientSums(''', 8), ('''            for (int i = 0; i < batch; i++) {
                int n = REV ? batch - 1 - i : i;
                gradInputPlanes(''', 16)):
    t = t.replace(old, old.replace('            for', '            if ((MODE & %d) != 0) for' % bit, 1))
t = t.replace('''            normalizeBlock(output, input, mean, variance, weight, bias, eps, scale, c0, c1, batch, channels, spatial);
        });''', '''            if ((MODE & 4) != 0) normalizeBlock(output, input, mean, variance, weight, bias, eps, scale, c0, c1, batch, channels, spatial);
        });''')
t = t.replace('private static final int LANE_TERMS = 64;', 'static final int LANE_TERMS = Integer.getInteger("P13S.terms", 64);')
assert t.count('MODE &') == 5
open('P13S.java', 'w').write(t)

o = f.replace('class P13F', 'class P13O').replace('private P13F()', 'private P13O()').replace('"P13F.', '"P13O.')
old_fwd = '''            ChannelSums sums = new ChannelSums(c0, c1, spatial);
            for (int n = 0; n < batch; n++) {
                sums.addPlanes(input, (n * channels + c0) * spatial);
                sums.imageDone(n, batch);
            }
            for (int c = c0; c < c1; c++) mean[c] = (float) (sums.total(c) / count);
            sums.clear();
            for (int n = 0; n < batch; n++) {
                sums.addSquaredDeviations(input, (n * channels + c0) * spatial, mean);
                sums.imageDone(n, batch);
            }
            for (int c = c0; c < c1; c++) variance[c] = (float) (sums.total(c) / count);'''
new_fwd = '''            // shift: the mean of image 0's plane, so that the sum of (x - shift)^2 loses little to cancellation
            float[] shift = new float[channels];
            for (int c = c0; c < c1; c++) {
                float s = 0f;
                for (int i = 0; i < spatial; i++) s += input[c * spatial + i];
                shift[c] = s / spatial;
            }
            ChannelSums sums = new ChannelSums(c0, c1, spatial);
            ChannelSums squares = new ChannelSums(c0, c1, spatial);
            for (int n = 0; n < batch; n++) {
                ChannelSums.addShifted(sums, squares, input, (n * channels + c0) * spatial, shift);
                sums.imageDone(n, batch);
                squares.imageDone(n, batch);
            }
            for (int c = c0; c < c1; c++) {
                double meanShifted = sums.total(c) / count;
                mean[c] = (float) (shift[c] + meanShifted);
                variance[c] = (float) Math.max(0.0, squares.total(c) / count - meanShifted * meanShifted);
            }'''
assert old_fwd in o
o = o.replace(old_fwd, new_fwd)
o = o.replace('        /** Called after image n', '''        static void addShifted(ChannelSums sums, ChannelSums squares, float[] x, int at, float[] shift) {
            int spatial = sums.spatial;
            int bound = sums.bound;
            for (int j = 0; j < sums.tails.length; j++, at += spatial) {
                float m = shift[sums.c0 + j];
                FloatVector mv = FloatVector.broadcast(F, m);
                FloatVector a = FloatVector.fromArray(F, sums.lanes, j * L);
                FloatVector b = FloatVector.fromArray(F, squares.lanes, j * L);
                int s = 0;
                for (; s < bound; s += L) {
                    FloatVector d = FloatVector.fromArray(F, x, at + s).sub(mv);
                    a = a.add(d);
                    b = d.fma(d, b);
                }
                a.intoArray(sums.lanes, j * L);
                b.intoArray(squares.lanes, j * L);
                float t = sums.tails[j];
                float u = squares.tails[j];
                for (; s < spatial; s++) {
                    float d = x[at + s] - m;
                    t += d;
                    u = Math.fma(d, d, u);
                }
                sums.tails[j] = t;
                squares.tails[j] = u;
            }
        }

        /** Called after image n''', 1)
open('P13O.java', 'w').write(o)
