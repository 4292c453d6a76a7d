#!/bin/bash
# Issue 20's fine-tuning on the full protocol at another initialisation and shuffling seed (sixth session of
# 2026-12-05): the same classifier as finetune_full.sh (PRETRAINED, pretrained at seed 0), HashNet 48 bits fine-tuned
# for 20 epochs on both sides with --seed SEED, otherwise as finetune_full.sh. Under the benchmark lock:
#   bash bench/results/2026-12-05/session6/finetune_seed.sh OUT_DIR PRETRAINED SEED
set -x
Q=$1; P=$2; SEED=$3; mkdir -p "$Q"
cd "$(dirname "$0")/../../../.."
export HASH_REF_DIR=/work/shared/peers DEEPHASH_PROGRESS=line
{ date -u; uptime; git log --oneline -1; } > "$Q/machine_start.txt"
./deephash train --model resnet18 --image-size 3x64x64 --method HashNet --bits 48 --epochs 20 --eval --seed "$SEED" \
  --beta-gamma 0.01875 --beta-step 50 --pretrained "$P" --backbone-lr-scale 0.1 --freeze-epochs 1 \
  --out "$Q/ours-hashnet-48-finetuned-seed$SEED.safetensors" > "$Q/ours_hashnet48_finetuned_seed$SEED.log" 2>&1
{ date -u; uptime; } > "$Q/machine_after_ours.txt"
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 20 --data full --seed "$SEED" \
  --pretrained "$P" --backbone-lr-scale 0.1 --freeze-epochs 1 --out "$Q/torch.jsonl" > "$Q/torch_hashnet48_finetuned_seed$SEED.log" 2>&1
{ date -u; uptime; } > "$Q/machine_end.txt"
