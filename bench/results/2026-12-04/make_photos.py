"""A small folder of product-style photos made from Fashion-MNIST, for the README's photo walk-through (issue 20).

Fashion-MNIST's images are negated grey product photos; this undoes the negation (dark objects on white, as
product photos are taken), enlarges each to a random size between 96 and 160 pixels a side, pads it on white
and saves it as an RGB JPEG. Four classes of the engine's embedded subset, from its training images:
  photos/<class>/<n>.jpg      25 per class (Sneaker, Sandal, Ankle boot, Bag)
  queries/sneaker-on-white.png, queries/sneaker-on-black.png   a test-set sneaker enlarged to 320 x 320

  /usr/bin/python3 bench/results/2026-12-04/make_photos.py OUT_DIR
"""
import gzip, os, sys
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SUBSET = os.path.join(HERE, '..', '..', '..', 'engine', 'src', 'main', 'resources', 'org', 'deephash4j', 'data',
                      'fashion-mnist-subset')
CLASSES = {7: 'sneaker', 5: 'sandal', 9: 'ankle-boot', 8: 'bag'}


def idx(name):
    with gzip.open(os.path.join(SUBSET, name)) as f:
        raw = f.read()
    nd = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], 'big') for i in range(nd)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * nd).reshape(dims)


def main(out):
    rng = np.random.default_rng(2026)
    x, y = idx('train-images-idx3-ubyte.gz'), idx('train-labels-idx1-ubyte.gz')
    for label, name in CLASSES.items():
        folder = os.path.join(out, 'photos', name)
        os.makedirs(folder, exist_ok=True)
        for n, i in enumerate(np.where(y == label)[0][:25]):
            side = int(rng.integers(96, 161))
            obj = Image.fromarray(255 - x[i]).resize((side, side), Image.BICUBIC)
            w, h = side + int(rng.integers(0, 40)), side + int(rng.integers(0, 40))
            canvas = Image.new('L', (w, h), 255)
            canvas.paste(obj, ((w - side) // 2, (h - side) // 2))
            canvas.convert('RGB').save(os.path.join(folder, f'{n:02d}.jpg'), quality=90)
    xt, yt = idx('t10k-images-idx3-ubyte.gz'), idx('t10k-labels-idx1-ubyte.gz')
    sneaker = xt[np.where(yt == 7)[0][0]]
    os.makedirs(os.path.join(out, 'queries'), exist_ok=True)
    Image.fromarray(255 - sneaker).resize((320, 320), Image.BILINEAR).convert('RGB').save(
        os.path.join(out, 'queries', 'sneaker-on-white.png'))
    Image.fromarray(sneaker).resize((320, 320), Image.BILINEAR).convert('RGB').save(
        os.path.join(out, 'queries', 'sneaker-on-black.png'))
    print('wrote', out)


if __name__ == '__main__':
    main(sys.argv[1])
