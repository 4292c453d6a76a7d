#!/bin/bash
# Issue 20's full-protocol quality pair again with initialisation and shuffling seed 2 (split seed 0), the same
# commands as ../resnet18-full/run.sh plus --seed 2 on both sides, HashNet only. Ran 07:10-07:36 UTC
# from a clone at a383627 (this session's kernels), nothing else running after a one-minute build at the start
# (ours trained in 10m31s, the peer in 545 s: sequential, not a benchmark)
#   bash bench/results/2026-12-05/resnet18-full-seed2/run.sh OUT_DIR
set -x
Q=$1; mkdir -p "$Q"
cd "$(dirname "$0")/../../../.."
export HASH_REF_DIR=/work/shared/peers DEEPHASH_PROGRESS=line
{ date -u; uptime; git log --oneline -1; } > "$Q/machine_start.txt"
./deephash train --model resnet18 --image-size 3x64x64 --method HashNet --bits 48 --epochs 20 --eval --seed 2 \
  --out "$Q/ours-hashnet-48.safetensors" > "$Q/ours_hashnet48.log" 2>&1
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 20 --data full --seed 2 \
  --out "$Q/torch.jsonl" > "$Q/torch_hashnet48.log" 2>&1
{ date -u; uptime; } > "$Q/machine_end.txt"
