#!/bin/bash
# Issue 20's quality and fine-tuning runs as they were run on 2026-12-04 (shared 2-core machine, one heavy job at a
# time): resnet18 at 3x64x64 (grey replicated, upsampled), 48 bits, on a REDUCED protocol: the embedded Fashion-MNIST
# subset (500 queries, 2,000 training images, 3,500 database images, split seed 0) and 3 epochs instead of the full
# set and 20 epochs (one full-protocol epoch of ours takes about 10 minutes on these cores, 20 epochs x 2 methods x
# 2 sides would not fit). Ours ran from a copy of this branch's jars (/tmp/i20/dh.sh JARDIR = ./deephash); raw
# outputs beside this file (resnet18_quality_*.log, resnet18_quality_torch.jsonl).
#   bash bench/results/2026-12-04/resnet18_quality.sh OUT_DIR
# The full protocol: the same commands with --data full --epochs 20 (peer) and without --embedded, --epochs 20 (ours).
set -x
Q=$1; mkdir -p "$Q"
cd "$(dirname "$0")/../../.."
export HASH_REF_DIR=/work/shared/peers DEEPHASH_PROGRESS=line
# from scratch
./deephash train --embedded --model resnet18 --image-size 3x64x64 --method HashNet --bits 48 --epochs 3 --eval --out "$Q/ours-hashnet-48.safetensors"
./deephash train --embedded --model resnet18 --image-size 3x64x64 --method DSDH --bits 48 --epochs 3 --eval --out "$Q/ours-dsdh-48.safetensors"
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 3 --data embedded --out "$Q/torch.jsonl"
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods dsdh --bits 48 --epochs 3 --data embedded --out "$Q/torch.jsonl"
# DSDH again at initialisation seed 1 on both sides
./deephash train --embedded --model resnet18 --image-size 3x64x64 --method DSDH --bits 48 --epochs 3 --seed 1 --eval --out "$Q/ours-dsdh-48-seed1.safetensors"
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods dsdh --bits 48 --epochs 3 --seed 1 --data embedded --out "$Q/torch.jsonl"
# fine-tuning: resnet18 pretrained as a 10-class classifier on the subset's 3,000 training images (2 epochs, PyTorch),
# saved with torchvision's names in safetensors, then HashNet 48 bits from it on both sides with the same settings
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --pretrain-classifier "$Q/resnet18-fmnist-embedded.safetensors" --pretrain-epochs 2 --data embedded
./deephash train --embedded --model resnet18 --image-size 3x64x64 --method HashNet --bits 48 --epochs 3 \
  --pretrained "$Q/resnet18-fmnist-embedded.safetensors" --backbone-lr-scale 0.1 --freeze-epochs 1 --eval --out "$Q/ours-hashnet-48-finetuned.safetensors"
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 3 --data embedded \
  --pretrained "$Q/resnet18-fmnist-embedded.safetensors" --backbone-lr-scale 0.1 --freeze-epochs 1 --out "$Q/torch.jsonl"
