#!/bin/bash
# Issue 18: a radius-2 query from the command line on the campaign's index of 100 million clustered 64-bit codes.
# Usage: bench/results/2026-12-04/index_cli.sh INDEX_FOLDER 2>&1 | tee bench/results/2026-12-04/index_cli.txt
# INDEX_FOLDER is made first (about 5.2 GB) by:
#   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.deephash4j.bench.IndexCodes INDEX_FOLDER 100000000
# Each search is a fresh JVM (./deephash), timed whole by bash's time; the command prints the query's own time.
# Every run under flock /tmp/deephash-bench.lock (one timed job on the machine at a time).
set -u
cd "$(dirname "$0")/../../.."
I=$1
L=/tmp/deephash-bench.lock
DH=${DH:-./deephash}   # or a copy of the launcher beside a copy of src/target (the jars), as this run used
step() { echo "=== $(date -u +%T) $1 (load: $(cut -d' ' -f1-3 /proc/loadavg))"; }
step info; flock $L $DH index info --index "$I"
Q=0,1,2,3,4,5,6,7,8,9     # ten codes of the index as queries, searched one after another in one JVM
for method in mih mih auto scan; do
  step "search --query-id $Q --radius 2 --method $method"
  flock $L bash -c "time $DH search --index '$I' --query-id $Q --radius 2 --method $method -k 3 --montage none"
done
step "search --code (a code given in hex)"
flock $L bash -c "time $DH search --index '$I' --code 0123456789abcdef --radius 2 --method mih -k 3 --montage none"
step done
