# Alternates our training step (org.deephash4j.bench.StepLoop, a resident JVM) with PyTorch's
# (the step of shared/peers/torch_step.py, 2 threads) every few seconds, so that each pair of
# figures sees the same load on a shared machine. Both processes stay warm; the order inside a
# round alternates. Prints every round, then the medians and the median of the per-round ratios.
# Usage: /usr/bin/python3 bench/peers/interleave.py [rounds] [steps_per_turn] [java_extra_args...]
# (run from the repository root; CP overrides the class path, default bench/target/benchmarks.jar)
import os, subprocess, sys, time, statistics
import torch, torch.nn as nn

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 8
extra = sys.argv[3:]

torch.set_num_threads(2); torch.manual_seed(0)
K = 48
net = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5, padding=2),
                    nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3136, 500), nn.ReLU(), nn.Linear(500, K))
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
x = torch.rand(128, 1, 28, 28); y = torch.randint(0, 10, (128,))
S = (y[:, None] == y[None, :]).float()
def torch_steps(n):
    t = time.perf_counter()
    for _ in range(n):
        h = torch.tanh(net(x)); ip = h @ h.t() * (10 / K)
        loss = (torch.nn.functional.softplus(ip) - S * ip).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    return time.perf_counter() - t

java = subprocess.Popen(["/usr/lib/jvm/temurin-25-jdk-amd64/bin/java", "--add-modules", "jdk.incubator.vector",
                         "-Xms2g", "-Xmx2g", *extra, "-cp", os.environ.get("CP", "bench/target/benchmarks.jar"),
                         "org.deephash4j.bench.StepLoop"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
assert java.stdout.readline().strip() == "ready"
def java_steps(n):
    java.stdin.write(f"{n}\n"); java.stdin.flush()
    return float(java.stdout.readline())

for _ in range(4):                       # warm-up: let the JIT compile, let PyTorch settle
    java_steps(steps); torch_steps(steps)
ours, theirs, ratios = [], [], []
for r in range(rounds):
    if r % 2 == 0:
        a = java_steps(steps); b = torch_steps(steps)
    else:
        b = torch_steps(steps); a = java_steps(steps)
    o, t = 128 * steps / a, 128 * steps / b
    ours.append(o); theirs.append(t); ratios.append(o / t)
    print(f"round {r + 1}: deephash4j {o:.1f} images/s, pytorch {t:.1f} images/s, ratio {o / t:.2f}", flush=True)
java.stdin.write("quit\n"); java.stdin.flush(); java.wait()
print(f"median deephash4j {statistics.median(ours):.1f} images/s, pytorch {statistics.median(theirs):.1f} images/s, "
      f"median ratio {statistics.median(ratios):.2f} (min {min(ratios):.2f}, max {max(ratios):.2f}, {rounds} rounds of {steps} steps)")
