"""PyTorch's side of the ResNet-18 and batch-normalisation benchmarks (ResNet18Benchmark, BatchNormBenchmark).

torchvision's resnet18 without fc (features [N, 512], as org.deephash4j.zoo.ResNet18), 2 threads,
/usr/bin/python3 (Debian's python3-torch and python3-torchvision):
  infer   images/s of a forward in evaluation mode under no_grad, batch 32 at 224 x 224
  train   images/s of a training step at 112 x 112, batch 32: forward in training mode,
          loss = sum(features * r), backward, SGD step (lr 0.01, momentum 0.9)
  train64 the same at 64 x 64 (the quality runs' input size; ResNet18TrainStepBenchmark -p size=64)
  profile the train step's time by operator and input shape (torch.profiler over 3 steps after 3
          untimed ones; CPU time of each call, which is its wall time: the main thread waits for
          the other), to set beside StepProfile 25 vector resnet18
  bn      milliseconds of BatchNorm2d(64) forward + backward in training mode on [32, 64, 56, 56]
          (F.batch_norm with batch statistics, then autograd.grad), and of the memory-bandwidth
          baseline on the same tensors (y = x.clone(); dx = dy + x)
Each figure is the median of REPEATS timed runs after WARMUP untimed ones.

  flock /tmp/deephash-bench.lock /usr/bin/python3 bench/peers/torch_resnet18.py [infer] [train] [train64] [profile] [bn]
"""
import sys, time
import torch, torchvision

WARMUP, REPEATS = 2, 7


def median_seconds(fn, warmup=WARMUP, repeats=REPEATS):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2], times[0], times[-1]


def resnet18():
    torch.manual_seed(0)
    net = torchvision.models.resnet18()
    net.fc = torch.nn.Identity()
    return net


def infer(batch=32, size=224):
    net = resnet18().eval()
    x = torch.rand(batch, 3, size, size)

    def run():
        with torch.no_grad():
            net(x)
    med, lo, hi = median_seconds(run)
    print(f'infer resnet18 {batch}x3x{size}x{size}: {batch / med:.2f} images/s (median of {REPEATS}; '
          f'{batch / hi:.2f} to {batch / lo:.2f})', flush=True)


def train_step(batch=32, size=112):
    """One training step of resnet18: forward in training mode, loss = sum(features * r), backward, SGD."""
    net = resnet18().train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(batch, 3, size, size)
    r = torch.rand(batch, 512) * 2 - 1

    def step():
        opt.zero_grad()
        loss = (net(x) * r).sum()
        loss.backward()
        opt.step()
        return float(loss)
    return step


def train(batch=32, size=112):
    med, lo, hi = median_seconds(train_step(batch, size))
    print(f'train resnet18 {batch}x3x{size}x{size}: {batch / med:.2f} images/s (median of {REPEATS}; '
          f'{batch / hi:.2f} to {batch / lo:.2f})', flush=True)


def profile(batch=32, size=112, steps=3):
    from torch.profiler import profile as torch_profile, ProfilerActivity
    step = train_step(batch, size)
    for _ in range(steps):
        step()
    with torch_profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
        for _ in range(steps):
            step()
    print(f'profile of {steps} train steps, resnet18 {batch}x3x{size}x{size} (divide by {steps} for one step):', flush=True)
    print(p.key_averages(group_by_input_shape=True).table(sort_by='self_cpu_time_total', row_limit=45,
                                                         max_name_column_width=40, max_shapes_column_width=70), flush=True)


def bn(shape=(32, 64, 56, 56)):
    x = torch.rand(*shape) * 2 - 1
    x.requires_grad_(True)
    w = torch.ones(shape[1], requires_grad=True)
    b = torch.zeros(shape[1], requires_grad=True)
    rm, rv = torch.zeros(shape[1]), torch.ones(shape[1])
    dy = torch.rand(*shape) * 2 - 1

    def forward_backward():
        y = torch.nn.functional.batch_norm(x, rm, rv, w, b, training=True, momentum=0.1, eps=1e-5)
        return torch.autograd.grad(y, (x, w, b), dy)

    def baseline():
        with torch.no_grad():
            y = x.clone()
            dx = dy + x
        return y, dx
    med, lo, hi = median_seconds(forward_backward, 3, 15)
    base, blo, bhi = median_seconds(baseline, 3, 15)
    print(f'bn {list(shape)} forward+backward: {med * 1e3:.2f} ms (median of 15; {lo * 1e3:.2f} to {hi * 1e3:.2f}); '
          f'baseline copy + add: {base * 1e3:.2f} ms ({blo * 1e3:.2f} to {bhi * 1e3:.2f}); ratio {med / base:.2f}',
          flush=True)


if __name__ == '__main__':
    torch.set_num_threads(2)
    what = sys.argv[1:] or ['infer', 'train', 'bn']
    print(f'torch {torch.__version__}, torchvision {torchvision.__version__}, threads {torch.get_num_threads()}',
          flush=True)
    for name in what:
        {'infer': infer, 'train': train, 'train64': lambda: train(size=64), 'profile': profile, 'bn': bn}[name]()
