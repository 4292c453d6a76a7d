#!/bin/bash
# Issue 20's full-protocol quality pair again with initialisation and shuffling seed 1 (split seed 0), the same
# commands as ../resnet18-full/run.sh plus --seed 1 on both sides; HashNet pair first, then DSDH. Ran 05:13-06:16 UTC
# from a clone at 93d7814,
# with this session's builds and benchmarks beside it (its training times are not speed figures):
#   bash bench/results/2026-12-05/resnet18-full-seed1/run.sh OUT_DIR
set -x
Q=$1; mkdir -p "$Q"
cd "$(dirname "$0")/../../../.."
export HASH_REF_DIR=/work/shared/peers DEEPHASH_PROGRESS=line
{ date -u; uptime; git log --oneline -1; } > "$Q/machine_start.txt"
./deephash train --model resnet18 --image-size 3x64x64 --method HashNet --bits 48 --epochs 20 --eval --seed 1 \
  --out "$Q/ours-hashnet-48.safetensors" > "$Q/ours_hashnet48.log" 2>&1
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 20 --data full --seed 1 \
  --out "$Q/torch.jsonl" > "$Q/torch_hashnet48.log" 2>&1
{ date -u; uptime; } > "$Q/machine_mid.txt"
./deephash train --model resnet18 --image-size 3x64x64 --method DSDH --bits 48 --epochs 20 --eval --seed 1 \
  --out "$Q/ours-dsdh-48.safetensors" > "$Q/ours_dsdh48.log" 2>&1
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods dsdh --bits 48 --epochs 20 --data full --seed 1 \
  --out "$Q/torch.jsonl" > "$Q/torch_dsdh48.log" 2>&1
{ date -u; uptime; } > "$Q/machine_end.txt"
