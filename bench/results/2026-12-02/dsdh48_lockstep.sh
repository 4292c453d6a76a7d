#!/usr/bin/env bash
# DSDH at 48 bits in lockstep with the PyTorch reference (README, "Reproduction"): our run's states
# ck0..ck20 (split 0, initialisation seed 0), then the reference's step started from each of them
# (forced), and whole runs of the reference from our initial weights and batch order (free) with
# our constants and with the reference's, on 2 threads and on 1 (which changes only float sum order).
# One job at a time. Usage (from the repository root, after mvn -DskipTests package, with JAVA_HOME
# a JDK 25): bench/results/2026-12-02/dsdh48_lockstep.sh OUT_DIR
set -eu
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
out="${1:-/tmp/dsdh48_lockstep}"
mkdir -p "$out/ck"
"$java" --add-modules jdk.incubator.vector -cp 'src/target/deephash4j-app-0.1.0-SNAPSHOT.jar:src/target/lib/*' \
    bench/peers/DsdhCheckpoints.java 48 0 20 "$out/ck" > "$out/checkpoints.txt" 2>&1
py() { /usr/bin/python3 bench/peers/dsdh_lockstep.py "$out/ck" --bits 48 --seed 0 "$@"; }
py --mode forced > "$out/forced.txt"
for variant in ours reference; do
    for threads in 2 1; do py --mode free --variant "$variant" --threads "$threads" | tail -1 >> "$out/free.jsonl"; done
done
tr '\r' '\n' < "$out/checkpoints.txt" | grep 'done:' > "$out/ours.txt"   # our per-epoch mean losses
