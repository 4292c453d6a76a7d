# PyTorch's convolution passes on the shapes of Conv2dBenchmark and ResNetConvBenchmark, 2 threads:
# images/s (median of 9) of forward, backward-data and backward-filter, each alone
# (aten::convolution_backward with one output of the mask), and GFLOP/s = 2*outC*inC*kh*kw*outH*outW.
# Usage: /usr/bin/python3 bench/peers/torch_conv.py [layer ...]
#   layer: conv1 | conv2 (LeNet, batch 128) | inC-outC-size-stride[-k] (3x3 pad 1, or kxk pad k/2, batch 32, as
#          ResNetConvBenchmark: 64-128-28-2-1 is the 1x1 downsample of layer2's first block)
import sys, time, torch
torch.set_num_threads(2)
torch.manual_seed(0)

def shape(layer):
    if layer == "conv1": return 128, 1, 28, 32, 5, 1, 2
    if layer == "conv2": return 128, 32, 14, 64, 5, 1, 2
    c, o, s, st, *k = map(int, layer.split("-"))
    k = k[0] if k else 3
    return 32, c, s, o, k, st, k // 2

def median_time(f, reps=9):
    for _ in range(2): f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    ts.sort(); return ts[reps // 2]

layers = sys.argv[1:] or ["conv1", "conv2", "64-64-56-1", "128-128-28-1", "256-256-14-1", "512-512-7-1"]
for layer in layers:
    n, c, s, o, k, st, p = shape(layer)
    x = torch.randn(n, c, s, s); w = torch.randn(o, c, k, k)
    y = torch.nn.functional.conv2d(x, w, None, st, p)
    g = torch.randn_like(y)
    flop = 2 * o * c * k * k * y.shape[2] * y.shape[3]
    def back(mask):
        return lambda: torch.ops.aten.convolution_backward(g, x, w, None, [st, st], [p, p], [1, 1], False, [0, 0], 1, mask)
    with torch.no_grad():
        times = {"forward": median_time(lambda: torch.nn.functional.conv2d(x, w, None, st, p)),
                 "backwardData": median_time(back([True, False, False])),
                 "backwardFilter": median_time(back([False, True, False]))}
    for name, t in times.items():
        print(f"{layer} {name} {n / t:.1f} images/s {n * flop / t / 1e9:.1f} GFLOP/s")
