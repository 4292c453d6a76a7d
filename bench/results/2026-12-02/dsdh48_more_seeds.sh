#!/usr/bin/env bash
# DSDH at 48 bits against the PyTorch reference on the same split (split 0, database 69,000),
# initialisation seeds 3-9 (seeds 0-2 come from 2026-11-25/reproduce_same_split.sh and dsdh_seeds.sh):
# ten runs a side, to tell a real gap from the seed-to-seed spread; then the reference's seeds 0-2
# again on this day's machine (ours read 0.692796 at seed 0 on both machines; PyTorch's CPU kernels
# differ between them). One job at a time.
# Usage (from the repository root): bench/results/2026-12-02/dsdh48_more_seeds.sh OUT_DIR
set -eu
out="${1:-/tmp/dsdh48_more_seeds}"
mkdir -p "$out"
for seed in 3 4 5 6 7 8 9; do
    DEEPHASH_NO_BUILD=1 ./deephash reproduce --methods DSDH --bits 48 --split-seed 0 --seed "$seed" \
        --out "$out/deephash4j-48-0-$seed" > /dev/null 2>&1
    /usr/bin/python3 bench/peers/hash_ref_same_split.py --methods dsdh --bits 48 --split-seed 0 --seed "$seed" \
        --out "$out/reference.jsonl" > /dev/null 2>&1
done
cat "$out"/deephash4j-*/results.jsonl > "$out/deephash4j.jsonl"
for seed in 0 1 2; do
    /usr/bin/python3 bench/peers/hash_ref_same_split.py --methods dsdh --bits 48 --split-seed 0 --seed "$seed" \
        --out "$out/reference_again.jsonl" > /dev/null 2>&1
done
