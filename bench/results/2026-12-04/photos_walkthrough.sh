#!/bin/bash
# The README's photo walk-through, as run for issue 20 (2026-12-04, shared 2-core machine): a folder of product-style
# photos made from Fashion-MNIST (make_photos.py), resnet18 started from the Fashion-MNIST classifier that
# bench/peers/hash_resnet18_same_split.py --pretrain-classifier wrote (torchvision names, safetensors layout),
# fine-tuned with HashNet; encode the folder; search by a photo on white and on black; the montages.
#   bash bench/results/2026-12-04/photos_walkthrough.sh WORK_DIR PRETRAINED.safetensors
set -x
W=$1; P=$2
cd "$(dirname "$0")/../../.."
/usr/bin/python3 bench/results/2026-12-04/make_photos.py "$W"
./deephash train --data "$W/photos" --model resnet18 --image-size 3x64x64 --resize 72 --augment \
  --pretrained "$P" --backbone-lr-scale 0.1 --freeze-epochs 1 \
  --method HashNet --bits 32 --epochs 4 --batch 32 --queries-per-class 5 --train-per-class 20 --eval \
  --out "$W/photos.safetensors"
./deephash encode --model "$W/photos.safetensors" --images "$W/photos" --out "$W/photos.dhi"
./deephash search --index "$W/photos.dhi" --model "$W/photos.safetensors" --image "$W/queries/sneaker-on-white.png" -k 8 \
  --montage "$W/montage-white.png"
./deephash search --index "$W/photos.dhi" --model "$W/photos.safetensors" --image "$W/queries/sneaker-on-black.png" -k 8 \
  --montage "$W/montage-black.png"
./deephash search --index "$W/photos.dhi" --model "$W/photos.safetensors" --image "$W/queries/sneaker-on-black.png" -k 8 \
  --polarity refuse --montage none
echo "exit code of the refused search: $?"
