#!/usr/bin/env bash
# The README's reproduction table, ours and the PyTorch reference on the same split (split seed 0,
# database = all 69,000 images but the queries), one job at a time on the 2 cores.
# Usage: bench/results/2026-11-25/reproduce_same_split.sh OUT_DIR   (from the repository root)
set -eu
out="${1:-/tmp/reproduce}"
mkdir -p "$out"
./deephash reproduce --out "$out/deephash4j" > "$out/deephash4j.log" 2>&1
/usr/bin/python3 bench/peers/hash_ref_same_split.py --bits 12,24,32,48 --seed 0 --split-seed 0 \
    --out "$out/reference.jsonl" > "$out/reference.log" 2>&1
