#!/bin/bash
# Issue 18 campaign: an index of 100 million clustered 64-bit codes on disk; every timed job under
# flock /tmp/deephash-bench.lock (one at a time), faiss on the same codes in the same run.
# Needs: mvn -B -q -pl bench -am package -DskipTests; about 5.2 GB free under /tmp (df -h printed first).
# Run as: bench/results/2026-12-04/index_campaign.sh 2>&1 | tee bench/results/2026-12-04/index_campaign.log
set -u
cd "$(dirname "$0")/../../.."
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=bench/target/benchmarks.jar
O=bench/results/2026-12-04
N=${N:-100000000}
T=$(mktemp -d /tmp/deephash-index-campaign-XXXXXX)
L=/tmp/deephash-bench.lock
step() { echo "=== $(date -u +%T) $1 (load: $(cut -d' ' -f1-3 /proc/loadavg))"; }
df -h /tmp
gcc -O3 -march=native -fopenmp bench/peers/scan_limit.c -o $T/scan_limit
step scan_limit_before; flock $L $T/scan_limit | tee $O/scan_limit_before.txt
step make; flock $L $J --add-modules jdk.incubator.vector -cp $JAR org.deephash4j.bench.IndexCodes $T/index $N 2>&1 \
    | grep -v WARNING | tee $O/index_make.txt
ls -l $T/index | tee -a $O/index_make.txt
step IndexBenchmark; flock $L $J --add-modules jdk.incubator.vector -jar $JAR '\.IndexBenchmark\.' -p folder=$T/index \
    -p n=$N -rf json -rff $O/index.json > $O/index.txt 2>&1; grep -A8 "^Benchmark" $O/index.txt; grep "IndexBenchmark:" $O/index.txt
step faiss_index; flock $L /usr/bin/python3 bench/peers/faiss_index.py $T/index $N | tee $O/faiss_index.txt
step scan_limit_after; flock $L $T/scan_limit | tee $O/scan_limit_after.txt
step IndexCostBenchmark; flock $L $J --add-modules jdk.incubator.vector -jar $JAR IndexCostBenchmark -rf json \
    -rff $O/index_cost.json > $O/index_cost.txt 2>&1; grep -A12 "^Benchmark" $O/index_cost.txt
rm -rf $T
step done
