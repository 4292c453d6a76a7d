"""Reads `jfr print --events jdk.ExecutionSample` on stdin; prints where the samples of deephash4j's
own frames fall: the first org.deephash4j frame of each sample, grouped by kernel family, then the
top frames. Samples of the benchmark's set-up (a frame named setUp, or one of the set-up's own
work, which JFR's 64-frame stacks often cut off from setUp: the reference kernels of the check
before timing, the initialisers, the model's constructors) and of threads outside deephash4j code
(JMH, GC, idle) are counted apart."""
SETUP = ('.setUp', 'cpu.Reference', 'nn.Init.', 'Tensors.rand', '.<init>')
import collections, re, sys

GROUPS = [('convolution: GEMM', ('VectorGemm',)), ('convolution: im2col, col2im, filter sums', ('VectorConv2d',)),
          ('batch normalisation', ('VectorBatchNorm', 'BatchNormOp')), ('pooling', ('VectorPool2d', 'AdaptiveAvgPool')),
          ('element-wise, SGD', ('VectorElementwise',))]
top, other, setup = collections.Counter(), 0, 0
for event in sys.stdin.read().split('jdk.ExecutionSample')[1:]:
    frames = re.findall(r'^\s+([\w.$]+\.[\w$<>]+)\(', event, re.M)
    if any(key in f for f in frames for key in SETUP):
        setup += 1
        continue
    own = next((f for f in frames if f.startswith('org.deephash4j')), None)
    if own is None:
        other += 1
    else:
        top[own.replace('org.deephash4j.', '')] += 1
n = sum(top.values())
print(f'{n} samples in deephash4j code while timed ({setup} in the set-up, {other} elsewhere: JMH, JIT, GC, idle)')
groups = collections.Counter()
for frame, count in top.items():
    groups[next((g for g, keys in GROUPS if any(k in frame for k in keys)), 'other')] += count
for g, c in groups.most_common():
    print(f'{c / n:6.1%}  {g}')
print('top frames:')
for f, c in top.most_common(15):
    print(f'{c / n:6.1%}  {f}')
