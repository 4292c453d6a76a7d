#!/usr/bin/env bash
# The PyTorch reference on deephash4j's split 0 at each method's deephash4j learning rate
# (1e-3 for DLBHC, HashNet and ExpH; DHN and DSDH run at 1e-4 on both sides already).
# Usage: bench/results/2026-12-04/reference_matched_lr.sh OUT.jsonl   (about 90 s a run on 2 idle cores)
set -euo pipefail
cd "$(dirname "$0")/../../.."
/usr/bin/python3 bench/peers/hash_ref_same_split.py --methods dlbhc,hashnet,exph --bits 12,24,32,48 \
    --seed 0 --split-seed 0 --lr ours --out "${1:-/tmp/reference_matched_lr.jsonl}"
