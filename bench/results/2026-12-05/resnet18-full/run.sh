#!/bin/bash
# Issue 20's quality runs on the FULL reproduction protocol (2026-12-05): resnet18 from scratch at 3x64x64 (grey
# replicated, upsampled), 48 bits, 20 epochs, Adam at each method's default rate, batch 128, split seed 0,
# initialisation and shuffling seed SEED (default 0); 1,000 queries, 5,000 training images, 69,000 database images.
# Ours and the PyTorch peer on the same split, one job at a time, method by method (ours first). Run from a clone of
# the commit under test:
#   bash bench/results/2026-12-05/resnet18-full/run.sh OUT_DIR [SEED] [METHODS]
# What ran: seed 0, HashNet DSDH, from a27083c (logs here); seed 1, HashNet DSDH, from 93d7814
# (../resnet18-full-seed1/); seed 2, HashNet, from a383627, nothing else running (../resnet18-full-seed2/).
# (Seed 0 ran before SEED existed, without --seed: the same as --seed 0.)
# OURS_ARGS adds options to our side only; SKIP_PEER=1 runs our side only (the peer's figures of that seed
# exist). Session 5: HashNet with the peer's continuation, OURS_ARGS='--beta-gamma 0.01875 --beta-step 50'
# (hash_ref.py: gamma = 15 / 800 steps, stepped every 50), SKIP_PEER=1, seeds 0-2 (../resnet18-full-beta/).
# Session 10 (2026-12-06): DSDH seed 2 both sides from 54bafdc (../../2026-12-06/session10/quality-dsdh-seed2/);
# DSDH with the peer's B step, OURS_ARGS='--dsdh-code-eta 55 --dsdh-sweeps 3' SKIP_PEER=1, seeds 0-2, from e998300
# (../../2026-12-06/session10/quality-dsdh-peerb-seed{0,1,2}/).
# Sessions 11-12: DSDH seeds 3-4 and HashNet seed 4 both sides from 2e6fef2 (../../2026-12-06/session11/quality-*/);
# DSDH seeds 5-7 both sides from 07b7855 (../../2026-12-06/session12/quality-dsdh-seed{5,6,7}/).
# Session 13: HashNet seeds 5-7 both sides from ec93312, OURS_ARGS as in session 5 (../../2026-12-06/session13/quality-hashnet-seed{5,6,7}/).
set -x
Q=$1; SEED=${2:-0}; METHODS=${3:-HashNet DSDH}; mkdir -p "$Q"
cd "$(dirname "$0")/../../../.."
export HASH_REF_DIR=/work/shared/peers DEEPHASH_PROGRESS=line
{ date -u; uptime; git log --oneline -1; } > "$Q/machine_start.txt"
for M in $METHODS; do
  m=$(echo "$M" | tr '[:upper:]' '[:lower:]')
  # shellcheck disable=SC2086
  ./deephash train --model resnet18 --image-size 3x64x64 --method "$M" --bits 48 --epochs 20 --eval --seed "$SEED" \
    ${OURS_ARGS:-} --out "$Q/ours-$m-48.safetensors" > "$Q/ours_${m}48.log" 2>&1
  [ "${SKIP_PEER:-0}" = 1 ] || /usr/bin/python3 bench/peers/hash_resnet18_same_split.py --methods "$m" --bits 48 --epochs 20 --data full \
    --seed "$SEED" --out "$Q/torch.jsonl" > "$Q/torch_${m}48.log" 2>&1
  { date -u; uptime; } > "$Q/machine_after_$m.txt"
done
