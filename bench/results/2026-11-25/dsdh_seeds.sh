#!/usr/bin/env bash
# DSDH against the PyTorch reference on the same split over initialisation seeds (README,
# "Reproduction"): 12 bits on split 0 (seeds 1-4) and split 1 (seeds 0-2), 48 bits on split 0
# (seeds 1-2) and split 1 (seeds 0-1). Seed 0 of split 0 comes from reproduce_same_split.sh. One job at a time.
# Usage (from the repository root): bench/results/2026-11-25/dsdh_seeds.sh OUT_DIR
set -eu
out="${1:-/tmp/dsdh_seeds}"
mkdir -p "$out"
run() {  # bits split seed
    ./deephash reproduce --methods DSDH --bits "$1" --split-seed "$2" --seed "$3" --out "$out/deephash4j-$1-$2-$3" > /dev/null 2>&1
    /usr/bin/python3 bench/peers/hash_ref_same_split.py --methods dsdh --bits "$1" --split-seed "$2" --seed "$3" \
        --out "$out/reference.jsonl" > /dev/null 2>&1
}
for seed in 1 2 3 4; do run 12 0 "$seed"; done
for seed in 0 1 2; do run 12 1 "$seed"; done
for seed in 1 2; do run 48 0 "$seed"; done
for seed in 0 1; do run 48 1 "$seed"; done
cat "$out"/deephash4j-*/results.jsonl > "$out/deephash4j.jsonl"
