"""ResNet-18 (torchvision) with the PyTorch reference's hashing losses, on deephash4j's own split.

The peer of `deephash train --model resnet18 --image-size 3xSxS` (issue 20): the network is
torchvision's resnet18 with fc replaced by the method's head (Linear(512, K), as deephash4j puts it
on the 512 pooled features), trained from scratch by shared/peers/hash_ref.py's own training loop
and losses (Adam, batch 128, its HashNet continuation and DSDH W/B steps) and scored by its metrics,
on the split deephash4j draws (hash_ref_same_split.py's port of java.util.Random and Split.perClass).
Inputs are what deephash4j's InputPipeline makes of the same bytes: the 28 x 28 grey image scaled
bilinearly to S x S (F.interpolate, align_corners=False), replicated to 3 channels, normalised by
ImageNet's mean and standard deviation.

  /usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 20 --data full
  --data full        the Debian package's 70,000 images: 100 queries and 500 training images per class (the protocol)
  --data embedded    the engine's embedded subset (3,000 + 1,000 images): 50 queries and 200 training images per class
  --size S           input S x S (default 64)
  --lr ours          each method's deephash4j default Adam rate (default); 'reference' for 1e-4, or a number

Pretraining for the fine-tuning measurement (writes a torchvision-named state_dict as safetensors, F32,
num_batches_tracked as I64, as safetensors.torch.save_file writes it):
  /usr/bin/python3 bench/peers/hash_resnet18_same_split.py --pretrain-classifier runs/resnet18-fmnist.safetensors \
      --pretrain-epochs 2 --data embedded
  trains resnet18 with fc = Linear(512, 10) by cross-entropy (Adam 1e-3, batch 128) on every image of the
  training set (the query pool, the test set, is never seen).

Fine-tuning from that file, the peer of `deephash train --pretrained FILE --backbone-lr-scale R --freeze-epochs N`:
  /usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 3 --data embedded \
      --pretrained runs/resnet18-fmnist.safetensors --backbone-lr-scale 0.1 --freeze-epochs 1
  loads the state_dict into the backbone (fc.* unused), gives Adam two groups (backbone at R x the rate, the head at
  the rate) and for the first N epochs runs the backbone in evaluation mode without gradients (its parameters have no
  gradient, so Adam neither moves them nor counts their steps until the thaw), as deephash4j's Trainer does.
"""
import argparse, gzip, json, os, struct, sys, time
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F, torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hash_ref_same_split as same  # noqa: E402  (puts shared/peers on the path and imports hash_ref)

ref = same.ref
EMBEDDED = os.path.join(HERE, '..', '..', 'engine', 'src', 'main', 'resources', 'org', 'deephash4j', 'data',
                        'fashion-mnist-subset')
FULL = '/usr/share/datasets/fashion-mnist'
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
SIZE = 64
CURRENT = [None]   # the ResNetHash that hash_ref.train is training (for GroupedAdam)
FINETUNE = dict(pretrained=None, scale=1.0, frozen_steps=0)   # set by --pretrained, --backbone-lr-scale, --freeze-epochs


def idx(folder, name):
    with gzip.open(os.path.join(folder, name)) as f:
        raw = f.read()
    nd = int.from_bytes(raw[:4], 'big') & 0xff
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], 'big') for i in range(nd)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * nd).reshape(dims)


def load(data):
    folder = EMBEDDED if data == 'embedded' else FULL
    return (idx(folder, 'train-images-idx3-ubyte.gz'), idx(folder, 'train-labels-idx1-ubyte.gz'),
            idx(folder, 't10k-images-idx3-ubyte.gz'), idx(folder, 't10k-labels-idx1-ubyte.gz'))


def java_split(ytr, yte, seed, queries_per_class, train_per_class):
    """Split.perClass: queries from the test set first, then training images, one java.util.Random; database = all but queries."""
    labels = np.concatenate([ytr, yte]).astype(np.int64)
    rnd, taken = same.JavaRandom(seed), np.zeros(len(labels), bool)
    query = same.draw(labels, range(len(ytr), len(labels)), queries_per_class, rnd, taken)
    train = same.draw(labels, range(len(ytr)), train_per_class, rnd, taken)
    is_query = np.zeros(len(labels), bool)
    is_query[query] = True
    return query, train, np.where(~is_query)[0], labels


def backbone():
    net = torchvision.models.resnet18()
    net.fc = nn.Identity()
    return net


def prepare(x):
    """[N, 1, 28, 28] in [0, 1] -> [N, 3, S, S], ImageNet-normalised (InputPipeline's steps)."""
    x = F.interpolate(x, size=(SIZE, SIZE), mode='bilinear', align_corners=False).repeat(1, 3, 1, 1)
    return (x - MEAN) / STD


class ResNetHash(nn.Module):
    """hash_ref.Net with resnet18 as the backbone: z = head(resnet18(x)), head Linear(512, K)."""

    def __init__(self, method, bits):
        super().__init__()
        CURRENT[0] = self
        self.method, self.bits = method, bits
        self.f = backbone()
        self.h = nn.Linear(512, bits)
        if method == 'dlbhc':
            self.cls = nn.Linear(bits, 10)
        self.training_calls = 0
        if FINETUNE['pretrained']:
            state = {k: v for k, v in load_safetensors(FINETUNE['pretrained']).items() if not k.startswith('fc.')}
            self.f.load_state_dict(state, strict=True)

    def forward(self, x):
        if self.training:
            self.training_calls += 1
            if self.training_calls <= FINETUNE['frozen_steps']:
                self.f.eval()
                with torch.no_grad():
                    features = self.f(prepare(x))
                self.f.train()
                return self.h(features)
        return self.h(self.f(prepare(x)))


def load_safetensors(path):
    """A safetensors file of F32 and I64 tensors as a state_dict."""
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    state = {}
    for name, h in header.items():
        if name == '__metadata__':
            continue
        lo, hi = h['data_offsets']
        dtype = {'F32': np.float32, 'I64': np.int64}[h['dtype']]
        state[name] = torch.from_numpy(np.frombuffer(data[lo:hi], dtype).copy().reshape(h['shape']))
    return state


class GroupedAdam(torch.optim.Adam):
    """hash_ref.train's Adam(net.parameters(), lr) with the backbone (f.*) at --backbone-lr-scale x the rate."""

    def __init__(self, params, lr):
        params = list(params)
        backbone = {id(p) for p in CURRENT[0].f.parameters()}
        super().__init__([dict(params=[p for p in params if id(p) in backbone], lr=lr * FINETUNE['scale']),
                          dict(params=[p for p in params if id(p) not in backbone], lr=lr)], lr=lr)


def save_safetensors(state, path):
    """safetensors.torch.save_file for a state_dict of float32 and int64 tensors (the package is not installed here)."""
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        t = t.detach().contiguous().cpu()
        dtype = {torch.float32: 'F32', torch.int64: 'I64'}[t.dtype]
        data = t.numpy().astype('<f4' if dtype == 'F32' else '<i8').tobytes()
        header[name] = dict(dtype=dtype, shape=list(t.shape), data_offsets=[offset, offset + len(data)])
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path + '.tmp', 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(path + '.tmp', path)


def pretrain(xtr, ytr, epochs, seed, out):
    torch.manual_seed(seed)
    net = backbone()
    net.fc = nn.Linear(512, 10)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.from_numpy(xtr.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(ytr.astype(np.int64))
    net.train()
    for ep in range(epochs):
        perm, total, correct, start = torch.randperm(len(y)), 0.0, 0, time.time()
        for s in range(0, len(y), 128):
            ind = perm[s:s + 128]
            logits = net(prepare(x[ind]))
            loss = F.cross_entropy(logits, y[ind])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss) * len(ind)
            correct += int((logits.argmax(1) == y[ind]).sum())
        print(json.dumps(dict(pretrain_epoch=ep + 1, loss=round(total / len(y), 4), train_accuracy=round(correct / len(y), 4),
                              seconds=round(time.time() - start, 1))), flush=True)
    save_safetensors(net.state_dict(), out)
    print('wrote', out, flush=True)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--methods', default='hashnet,dsdh')
    ap.add_argument('--bits', default='48')
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--split-seed', type=int, default=0)
    ap.add_argument('--data', choices=['full', 'embedded'], default='full')
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--lr', default='ours')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--pretrain-classifier', metavar='OUT')
    ap.add_argument('--pretrain-epochs', type=int, default=2)
    ap.add_argument('--pretrained', metavar='FILE', help='fine-tune from this torchvision-named state_dict')
    ap.add_argument('--backbone-lr-scale', type=float, default=1.0)
    ap.add_argument('--freeze-epochs', type=int, default=0)
    ap.add_argument('--out', default='/tmp/hash_resnet18_same_split.jsonl')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    SIZE = a.size
    xtr, ytr, xte, yte = load(a.data)
    if a.pretrain_classifier:
        pretrain(xtr, ytr, a.pretrain_epochs, a.seed, a.pretrain_classifier)
        sys.exit(0)
    per_class = (50, 200) if a.data == 'embedded' else (100, 500)
    q, t, d, labels = java_split(ytr, yte, a.split_seed, *per_class)
    x_all = np.concatenate([xtr, xte])
    X = lambda ix: torch.from_numpy(x_all[ix].astype(np.float32) / 255.0).unsqueeze(1)
    xt, yt = X(t), torch.from_numpy(labels[t])
    xq, yq, xd, yd = X(q), labels[q], X(d), labels[d]
    ref.Net = ResNetHash          # hash_ref.train builds Net(method, bits): resnet18 here
    if a.pretrained:
        FINETUNE.update(pretrained=a.pretrained, scale=a.backbone_lr_scale, frozen_steps=a.freeze_epochs * ((len(t) + 127) // 128))
        ref.torch.optim.Adam = GroupedAdam   # hash_ref.train's optimiser, with the two groups
    for bits in map(int, a.bits.split(',')):
        for m in a.methods.split(','):
            lr = same.learning_rate(a.lr, m)
            start = time.time()
            net = ref.train(m, bits, xt, yt, a.epochs, a.seed, lr=lr)
            seconds = time.time() - start
            net.eval()
            with torch.no_grad():
                r = ref.metrics(ref.encode(net, xq), yq, ref.encode(net, xd), yd)
            row = dict(method=m, bits=bits, network='resnet18', size=SIZE, seed=a.seed, split='deephash4j',
                       split_seed=a.split_seed, data=a.data, queries=len(q), train=len(t), database=len(d), epochs=a.epochs,
                       lr=lr, pretrained=os.path.basename(a.pretrained) if a.pretrained else None,
                       backbone_lr_scale=a.backbone_lr_scale, freeze_epochs=a.freeze_epochs, map_all=round(r[0], 4), map_1000=round(r[1], 4), p_r2=round(r[2], 4), train_s=round(seconds, 1))
            print(json.dumps(row), flush=True)
            open(a.out, 'a').write(json.dumps(row) + '\n')
