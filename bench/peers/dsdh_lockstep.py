"""DSDH in lockstep: the PyTorch reference's training step, started from deephash4j's own states.

hash_ref.py's DSDH loop (shared/peers) re-run on deephash4j's split, initial weights and batch
order, to tell an implementation difference from the spread of the training itself.
DsdhCheckpoints.java writes our run as ck0 (initial weights) .. ckE (after epoch E, with Adam's
moments and DSDH's bank U and codes B); this script reads them (safetensors, parsed here).

  --mode forced  for every epoch e: load ck e (weights, Adam state, bank, codes), run the W/B step
                 and one epoch in PyTorch, compare with ck e+1: per tensor |w_torch - w_ours| /
                 |w_ours(e+1) - w_ours(e)| (the difference as a share of the epoch's update), the
                 codes B that differ, the largest bank difference, the mean loss
  --mode free    from ck0 only: all epochs in PyTorch, then hash_ref.py's metrics (mAP, P r<=2)

  --variant ours       our constants: likelihood x2, eta 110 in the loss and in the B step, DCC up to
                       10 sweeps, stopping when no bit changes (Dsdh.java)
  --variant reference  hash_ref.py's: likelihood x1, eta 55, 3 DCC sweeps
  --threads N          torch threads; changes only the order of float sums

The batch order is Trainer's: java.util.Random(layerSeed(seed, 1000 + epoch)) shuffling
positions 0..N-1, ported here. The loop body is hash_ref.py's DSDH branch with the scales above as
parameters (hash_ref.train takes no initial state, so it is repeated, not imported).

  $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp 'src/target/deephash4j-app-0.1.0-SNAPSHOT.jar:src/target/lib/*' \
      bench/peers/DsdhCheckpoints.java 48 0 20 /tmp/dsdh48
  /usr/bin/python3 bench/peers/dsdh_lockstep.py /tmp/dsdh48 --bits 48 --seed 0 --mode forced
  /usr/bin/python3 bench/peers/dsdh_lockstep.py /tmp/dsdh48 --bits 48 --seed 0 --mode free --threads 1
"""
import argparse, json, os, struct
import numpy as np, torch, torch.nn.functional as F
import hash_ref_same_split as same_split
ref = same_split.ref

MASK64 = (1 << 64) - 1
CONSTANTS = {'ours': dict(likelihood=2.0, eta_loss=110.0, eta_b=110.0, sweeps=10, stop_early=True),
             'reference': dict(likelihood=1.0, eta_loss=55.0, eta_b=55.0, sweeps=3, stop_early=False)}


def layer_seed(seed, index):
    """Backbone.layerSeed: a SplitMix64 finaliser, as a signed Java long."""
    z = (seed + (index + 1) * 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    z ^= z >> 31
    return z - (1 << 64) if z >= 1 << 63 else z


def batch_order(n, seed, epoch):
    """Trainer.shuffle of the positions 0..n-1 for this epoch."""
    return torch.tensor(same_split.shuffle(range(n), same_split.JavaRandom(layer_seed(seed, 1000 + epoch))))


def read_safetensors(path):
    raw = open(path, 'rb').read(); size = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + size]); base = 8 + size; tensors = {}
    for name, info in header.items():
        if name == '__metadata__': continue
        if info['dtype'] != 'F32': raise ValueError(f'{path}: {name} is {info["dtype"]}, expected F32')
        start, end = info['data_offsets']
        tensors[name] = torch.from_numpy(np.frombuffer(raw[base + start:base + end], np.float32).reshape(info['shape']).copy())
    return tensors, header.get('__metadata__', {})


def torch_name(ours):  # backbone.7.weight -> f.7.weight, head.hash.bias -> h.bias (hash_ref.Net)
    return ours.replace('backbone.', 'f.').replace('head.hash.', 'h.')


def load_state(path, bits):
    """hash_ref.Net, its Adam, the bank U and the codes B (None before the first B step) from a checkpoint."""
    tensors, meta = read_safetensors(path)
    net = ref.Net('dsdh', bits); opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    step = int(meta.get('state.adam.step', 0))
    with torch.no_grad():
        for name, p in net.named_parameters():
            ours = next(k for k in tensors if not k.startswith('state.') and torch_name(k) == name)
            p.copy_(tensors[ours])
            if step:
                opt.state[p] = {'step': torch.tensor(float(step)), 'exp_avg': tensors['state.adam.m.' + ours].clone(),
                                'exp_avg_sq': tensors['state.adam.v.' + ours].clone()}
    bank = tensors.get('state.method.bank'); codes = tensors.get('state.method.codes')
    return net, opt, tensors, bank, codes


def b_step(U, B, Y, bits, eta, sweeps, stop_early, mu=1.0, nu=0.1):
    """hash_ref.py's closed-form W, then DCC bit by bit, from sgn(U) the first time."""
    Bt = (torch.sign(U) if B is None else B).t().clone(); Bt[Bt == 0] = 1
    W = torch.linalg.solve(Bt @ Bt.t() + (nu / mu) * torch.eye(bits), Bt @ Y)
    P = W @ Y.t() + (eta / mu) * U.t()
    for _ in range(sweeps):
        changed = 0
        for k in range(bits):
            keep = [j for j in range(bits) if j != k]
            new = torch.sign(P[k] - W[k] @ W[keep].t() @ Bt[keep]); new[new == 0] = 1
            changed += int((new != Bt[k]).sum()); Bt[k] = new
        if stop_early and changed == 0: break
    return Bt.t().contiguous()


def train_epoch(net, opt, xt, yt, U, B, order, bits, c):
    """One epoch of hash_ref.py's DSDH network step; returns the mean loss."""
    n, losses = len(yt), []
    for s0 in range(0, n, 128):
        ind = order[s0:s0 + 128]; x, y = xt[ind], yt[ind]
        z = net(x); U[ind] = z.detach()
        S = (y[:, None] == yt[None, :]).float()
        loss = c['likelihood'] * ref.pair_ce(0.5 * z @ U.t(), S).mean()
        if B is not None: loss = loss + c['eta_loss'] * bits / n * (z - B[ind]).pow(2).mean()
        opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
    return float(np.mean(losses))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('dir'); ap.add_argument('--bits', type=int, default=48); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--split-seed', type=int, default=0); ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--mode', choices=['forced', 'free'], default='forced')
    ap.add_argument('--variant', choices=sorted(CONSTANTS), default='ours'); ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args(); torch.set_num_threads(a.threads); c = CONSTANTS[a.variant]
    q, t, d, labels = same_split.java_split(a.split_seed, 'all-but-queries')
    ours_train = [int(line) for line in open(os.path.join(a.dir, 'train.txt'))]
    if list(t) != ours_train: raise SystemExit(f'{a.dir}/train.txt is not split {a.split_seed}\'s training set')
    x_all = np.concatenate([ref.idx('train-images-idx3-ubyte.gz'), ref.idx('t10k-images-idx3-ubyte.gz')])
    X = lambda i: ((torch.from_numpy(x_all[i].astype(np.float32) / 255.0) - 0.2860) / 0.3530).unsqueeze(1)
    xt, yt = X(t), torch.from_numpy(labels[t]); n = len(yt); Y = F.one_hot(yt, 10).float()
    ck = lambda e: os.path.join(a.dir, f'ck{e}.safetensors')
    if a.mode == 'free': net, opt, _, _, _ = load_state(ck(0), a.bits); U, B = torch.zeros(n, a.bits), None
    for e in range(a.epochs):
        if a.mode == 'forced':
            net, opt, start, bank, B = load_state(ck(e), a.bits)
            U = bank.clone() if bank is not None else torch.zeros(n, a.bits)
        if e > 0: B = b_step(U, B, Y, a.bits, c['eta_b'], c['sweeps'], c['stop_early'])
        loss = train_epoch(net, opt, xt, yt, U, B, batch_order(n, a.seed, e), a.bits, c)
        line = f'epoch {e + 1:2d} mean loss {loss:.6f}'
        if a.mode == 'forced':
            after, _ = read_safetensors(ck(e + 1)); params = dict(net.named_parameters()); shares = []
            for name, w in after.items():
                if name.startswith('state.'): continue
                update = (w - start[name]).norm().item()
                shares.append((params[torch_name(name)].detach() - w).norm().item() / max(update, 1e-30))
            line += f'  |torch - ours| / |update|: max {max(shares):.1e}'
            line += f'  bank max |diff| {(U - after["state.method.bank"]).abs().max().item():.1e}'
            if B is not None: line += f'  codes differing {int((B != after["state.method.codes"]).sum())} of {B.numel()}'
        print(line, flush=True)
    if a.mode == 'free':
        net.eval()
        r = ref.metrics(ref.encode(net, X(q)), labels[q], ref.encode(net, X(d)), labels[d])
        print(json.dumps(dict(variant=a.variant, bits=a.bits, seed=a.seed, split_seed=a.split_seed, threads=a.threads,
                              epochs=a.epochs, map_all=round(r[0], 4), p_r2=round(r[2], 4))))


if __name__ == '__main__':
    main()
