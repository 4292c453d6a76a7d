#!/bin/bash
# Issue 20's quality runs on the FULL reproduction protocol (2026-12-05): resnet18 from scratch at 3x64x64 (grey
# replicated, upsampled), 48 bits, 20 epochs, Adam at each method's default rate, batch 128, split seed 0, init
# seed 0; 1,000 queries, 5,000 training images, 69,000 database images. Ours and the PyTorch peer on the same
# split, one job at a time, HashNet pair first. Run from a clone of the commit under test:
#   bash bench/results/2026-12-05/resnet18-full/run.sh OUT_DIR
set -x
Q=$1; mkdir -p "$Q"
cd "$(dirname "$0")/../../../.."
export HASH_REF_DIR=/work/shared/peers DEEPHASH_PROGRESS=line
{ date -u; uptime; git log --oneline -1; } > "$Q/machine_start.txt"
./deephash train --model resnet18 --image-size 3x64x64 --method HashNet --bits 48 --epochs 20 --eval \
  --out "$Q/ours-hashnet-48.safetensors" > "$Q/ours_hashnet48.log" 2>&1
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 20 --data full \
  --out "$Q/torch.jsonl" > "$Q/torch_hashnet48.log" 2>&1
./deephash train --model resnet18 --image-size 3x64x64 --method DSDH --bits 48 --epochs 20 --eval \
  --out "$Q/ours-dsdh-48.safetensors" > "$Q/ours_dsdh48.log" 2>&1
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods dsdh --bits 48 --epochs 20 --data full \
  --out "$Q/torch.jsonl" > "$Q/torch_dsdh48.log" 2>&1
{ date -u; uptime; } > "$Q/machine_end.txt"
