"""The PyTorch reference (shared/peers/hash_ref.py) trained and evaluated on deephash4j's own split.

hash_ref.py draws its split with numpy's generator, deephash4j with java.util.Random, so the
two "split seed 0" are different images: this script rebuilds deephash4j's split exactly
(Split.perClass: the query pool, the test set, is shuffled first, then the training pool,
with one java.util.Random(seed); each set sorted in dataset order) and hands it to
hash_ref.py's own train, encode and metrics, unchanged. Then both sides see the same queries,
training images and database, and the only differences left are the implementations.

  /usr/bin/python3 bench/peers/hash_ref_same_split.py --methods dsdh --bits 12 --seed 0 --split-seed 0
  --database all-but-queries   69,000 images, the reference's protocol (default)
  --database rest              64,000, the training images left out
  --print-split                prints the first indices and a checksum of each set, then stops
  --lr ours                    each method's deephash4j default Adam rate (1e-3 for DLBHC, HashNet and ExpH,
                               1e-4 for DHN and DSDH) instead of the reference's 1e-4 for all; or a number
"""
import argparse, json, os, sys, time, zlib
import numpy as np, torch

sys.path.insert(0, os.environ.get('HASH_REF_DIR') or  # the folder of hash_ref.py; default: shared/ beside the checkout
                os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'peers'))
import hash_ref as ref  # noqa: E402


class JavaRandom:
    """java.util.Random: the 48-bit linear congruential generator of the JDK documentation."""
    MULT, ADD, MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ self.MULT) & self.MASK

    def next(self, bits):
        self.seed = (self.seed * self.MULT + self.ADD) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if r >= 1 << 31 else r   # (int) cast: only 32 bits can turn negative

    def next_int(self, bound):
        if bound & -bound == bound:                               # a power of two
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31); val = bits % bound
            if bits - val + (bound - 1) < 1 << 31:                # no int overflow: accept
                return val


def shuffle(items, rnd):
    """A new list of items shuffled as Split.draw and Trainer.shuffle do: Fisher-Yates from the end."""
    order = list(items)
    for i in range(len(order) - 1, 0, -1):
        j = rnd.next_int(i + 1); order[i], order[j] = order[j], order[i]
    return order


def draw(labels, pool, per_class, rnd, taken):
    """Split.draw: shuffle the pool, keep the first per_class untaken of each class."""
    order = shuffle(pool, rnd)
    count, chosen = np.zeros(10, int), []
    for i in order:
        if taken[i]: continue
        c = labels[i]
        if count[c] < per_class:
            count[c] += 1; taken[i] = True; chosen.append(i)
    return np.sort(np.array(chosen))


def java_split(seed, database):
    """(query, train, database) indices into the 70,000 images, training set first then test set."""
    ytr, yte = ref.idx('train-labels-idx1-ubyte.gz'), ref.idx('t10k-labels-idx1-ubyte.gz')
    labels = np.concatenate([ytr, yte]).astype(np.int64)
    rnd, taken = JavaRandom(seed), np.zeros(len(labels), bool)
    query = draw(labels, range(len(ytr), len(labels)), 100, rnd, taken)
    train = draw(labels, range(len(ytr)), 500, rnd, taken)
    is_query = np.zeros(len(labels), bool); is_query[query] = True
    keep = ~is_query if database == 'all-but-queries' else ~taken
    return query, train, np.where(keep)[0], labels


# deephash4j's default Adam rate per method (HashingMethod.defaultLearningRate).
OUR_RATES = dict(dlbhc=1e-3, dhn=1e-4, hashnet=1e-3, dsdh=1e-4, exph=1e-3)


def learning_rate(choice, method):
    if choice == 'reference': return 1e-4
    if choice == 'ours': return OUR_RATES[method]
    return float(choice)


def checksum(a):
    return zlib.crc32(np.asarray(a, dtype='>i4').tobytes())


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--methods', default='dlbhc,dhn,hashnet,dsdh,exph'); ap.add_argument('--bits', default='12,48')
    ap.add_argument('--epochs', type=int, default=20); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--split-seed', type=int, default=0)
    ap.add_argument('--database', choices=['all-but-queries', 'rest'], default='all-but-queries')
    ap.add_argument('--print-split', action='store_true')
    ap.add_argument('--out', default='/tmp/hash_ref_same_split.jsonl')
    ap.add_argument('--lr', default='reference', help="'reference' (1e-4 for all), 'ours' or a number")
    a = ap.parse_args(); torch.set_num_threads(2)
    q, t, d, labels = java_split(a.split_seed, a.database)
    if a.print_split:
        for name, s in (('query', q), ('train', t), ('database', d)):
            print(name, len(s), 'first', list(s[:5]), 'crc32', checksum(s))
        sys.exit(0)
    xtr, xte = ref.idx('train-images-idx3-ubyte.gz'), ref.idx('t10k-images-idx3-ubyte.gz')
    x_all = np.concatenate([xtr, xte])
    X = lambda a: ((torch.from_numpy(x_all[a].astype(np.float32) / 255.0) - 0.2860) / 0.3530).unsqueeze(1)
    xt, yt = X(t), torch.from_numpy(labels[t])
    xq, yq, xd, yd = X(q), labels[q], X(d), labels[d]
    for bits in map(int, a.bits.split(',')):
        for m in a.methods.split(','):
            lr = learning_rate(a.lr, m)
            start = time.time(); net = ref.train(m, bits, xt, yt, a.epochs, a.seed, lr=lr); seconds = time.time() - start
            net.eval(); r = ref.metrics(ref.encode(net, xq), yq, ref.encode(net, xd), yd)
            row = dict(method=m, bits=bits, seed=a.seed, split='deephash4j', split_seed=a.split_seed,
                       database=len(d), epochs=a.epochs, lr=lr, map_all=round(r[0], 4), map_1000=round(r[1], 4),
                       p_r2=round(r[2], 4), train_s=round(seconds, 1))
            print(json.dumps(row), flush=True); open(a.out, 'a').write(json.dumps(row) + '\n')
