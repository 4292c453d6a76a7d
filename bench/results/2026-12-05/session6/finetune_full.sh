#!/bin/bash
# Issue 20's fine-tuning on the FULL reproduction protocol (sixth session of 2026-12-05): resnet18 at 3x64x64 first
# trained as a 10-class classifier on the 60,000 Fashion-MNIST training images (PyTorch, cross-entropy, Adam 1e-3,
# 2 epochs; the test images, where the queries come from, never seen), saved with torchvision's names as safetensors;
# then HashNet 48 bits fine-tuned from it for 20 epochs on both sides with --backbone-lr-scale 0.1 --freeze-epochs 1,
# split seed 0, initialisation seed 0; 1,000 queries, 5,000 training images, 69,000 database images. Ours with the
# peer's HashNet continuation (--beta-gamma 0.01875 --beta-step 50, as hash_ref.py scales it to 800 steps), so both
# sides run the same schedule. One job at a time, under the benchmark lock. Run from a clone of the commit under test:
#   bash bench/results/2026-12-05/session6/finetune_full.sh OUT_DIR
set -x
Q=$1; mkdir -p "$Q"
cd "$(dirname "$0")/../../../.."
export HASH_REF_DIR=/work/shared/peers DEEPHASH_PROGRESS=line
{ date -u; uptime; git log --oneline -1; } > "$Q/machine_start.txt"
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --pretrain-classifier "$Q/resnet18-fmnist-full.safetensors" \
  --pretrain-epochs 2 --data full > "$Q/pretrain.log" 2>&1
{ date -u; uptime; } > "$Q/machine_after_pretrain.txt"
./deephash train --model resnet18 --image-size 3x64x64 --method HashNet --bits 48 --epochs 20 --eval --seed 0 \
  --beta-gamma 0.01875 --beta-step 50 \
  --pretrained "$Q/resnet18-fmnist-full.safetensors" --backbone-lr-scale 0.1 --freeze-epochs 1 \
  --out "$Q/ours-hashnet-48-finetuned.safetensors" > "$Q/ours_hashnet48_finetuned.log" 2>&1
{ date -u; uptime; } > "$Q/machine_after_ours.txt"
/usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods hashnet --bits 48 --epochs 20 --data full --seed 0 \
  --pretrained "$Q/resnet18-fmnist-full.safetensors" --backbone-lr-scale 0.1 --freeze-epochs 1 \
  --out "$Q/torch.jsonl" > "$Q/torch_hashnet48_finetuned.log" 2>&1
{ date -u; uptime; } > "$Q/machine_end.txt"
