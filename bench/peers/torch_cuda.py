#!/usr/bin/env python3
"""The PyTorch peer of the GPU kit (bench/gpu/run-kit.sh): the figures `deephash doctor` and the
Cl* JMH benchmarks measure, measured by PyTorch on the same machine minutes apart.

Prints one JSON line per figure (and a first line describing the device):
  {"peer": "torch_cuda", "figure": "gemm", "size": "4096x4096x4096", "unit": "GFLOP/s",
   "median": ..., "low": ..., "high": ..., "reps": 9, "device": "NVIDIA H200", "note": ...}

Figures:
  gemm         FP32 C = A B, n x n x n for n in 1024 and 4096, TF32 off (cuBLAS would
               otherwise round the inputs to 10-bit mantissas): GFLOP/s = 2 n^3 / time
  train_step   one training step of the LeNet-hash network of HashingNetwork / doctor's
               LeNetHashStep (conv 5x5 32 pad 2, ReLU, max-pool 2, conv 5x5 64 pad 2, ReLU,
               max-pool 2, fc 3136->500, ReLU, fc 500->48) with HashNet's balance-weighted
               pairwise likelihood (alpha = 10/48, beta = 1) and Adam (lr 1e-3), at batch 128
               and 1024: images/s
  infer        the same network's forward pass without gradients, at batch 128 and 1024: images/s

Each figure is the median of `reps` timed repetitions after warm-up, each ended by
torch.cuda.synchronize(). Without CUDA (or with --cpu) everything runs on the CPU, with all its
threads, and every line says so in "note"; --smoke shrinks the work (n = 1024, batch 128,
3 repetitions) for a dry run on a machine without a GPU. Needs only torch.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BITS = 48


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 500), nn.ReLU(), nn.Linear(500, BITS))


def hashnet_loss(z, labels):
    """HashNet (Cao et al. 2017) as engine/.../hashing/HashNet.java at beta = 1, single labels:
    L = sum_ij w_ij [softplus(theta_ij) - s_ij theta_ij], theta = alpha <h_i, h_j>, h = tanh(z),
    w_ij = 1/|S1| for similar pairs and 1/|S0| for dissimilar ones (all ordered pairs, i = j included)."""
    h = torch.tanh(z)
    theta = (10.0 / BITS) * (h @ h.t())
    s = (labels[:, None] == labels[None, :]).float()
    similar = s.sum()
    w = s / similar + (1 - s) / (s.numel() - similar).clamp(min=1)
    return (w * (F.softplus(theta) - s * theta)).sum()


def timed(fn, sync, reps, warmup):
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t)
    return times


def emit(figure, size, unit, amount, times, common):
    rates = sorted(amount / t for t in times)
    line = {"peer": "torch_cuda", "figure": figure, "size": size, "unit": unit,
            "median": round(statistics.median(rates), 3), "low": round(rates[0], 3), "high": round(rates[-1], 3),
            "reps": len(rates)}
    line.update(common)
    print(json.dumps(line), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cpu", action="store_true", help="run on the CPU even when CUDA is available")
    parser.add_argument("--smoke", action="store_true", help="small sizes and 3 repetitions (a dry run)")
    args = parser.parse_args()

    cuda = torch.cuda.is_available() and not args.cpu
    device = torch.device("cuda" if cuda else "cpu")
    # FP32 means FP32: no TF32 in cuBLAS matmuls or cuDNN convolutions.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    if cuda:
        name = torch.cuda.get_device_name(0)
        note = None
        sync = torch.cuda.synchronize
    else:
        torch.set_num_threads(os.cpu_count() or 1)
        name = "CPU (%d threads)" % torch.get_num_threads()
        why = "--cpu given" if args.cpu else "CUDA not available"
        note = "%s: measured on the CPU, not a GPU" % why
        sync = lambda: None
    common = {"device": name, "note": note}
    print(json.dumps({"peer": "torch_cuda", "figure": "device", "device": name, "cuda": cuda,
                      "torch": torch.__version__, "cuda_version": torch.version.cuda,
                      "cudnn": torch.backends.cudnn.version() if cuda else None,
                      "tf32": False, "python": sys.version.split()[0], "note": note}), flush=True)

    sizes = [1024] if args.smoke else [1024, 4096]
    batches = [128] if args.smoke else [128, 1024]
    reps = 3 if args.smoke else 9

    for n in sizes:
        a = torch.randn(n, n, device=device)
        b = torch.randn(n, n, device=device)
        times = timed(lambda: a @ b, sync, reps, 3)
        emit("gemm", "%dx%dx%d" % (n, n, n), "GFLOP/s", 2.0 * n ** 3 / 1e9, times, common)
        del a, b

    for batch in batches:
        net = lenet().to(device)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        x = torch.rand(batch, 1, 28, 28, device=device) * 2 - 1
        labels = torch.randint(0, 10, (batch,), device=device)

        def step():
            opt.zero_grad()
            loss = hashnet_loss(net(x), labels)
            loss.backward()
            opt.step()
            return loss

        times = timed(step, sync, reps, 3)
        emit("train_step", "batch %d" % batch, "images/s", batch, times, common)
        with torch.no_grad():
            net.eval()
            times = timed(lambda: net(x), sync, reps, 3)
        emit("infer", "batch %d" % batch, "images/s", batch, times, common)
        del net, opt, x


if __name__ == "__main__":
    main()
