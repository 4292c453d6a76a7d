#!/bin/bash
# Issue 18's one-query scan target rerun on the quiet machine (2026-12-05): scan_limit before and after,
# the 100M clustered index made by IndexCodes, IndexBenchmark's scanKnn100Single and scanKnn100 only.
# Run from the repository root after mvn -B -q -pl bench -am package -DskipTests.
set -u
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=bench/target/benchmarks.jar
O=bench/results/2026-12-05/index-quiet
T=$(mktemp -d /tmp/deephash-index-quiet-XXXXXX)
step() { echo "=== $(date -u +%T) $1 (load: $(cut -d' ' -f1-3 /proc/loadavg))"; }
gcc -O3 -march=native -fopenmp bench/peers/scan_limit.c -o $T/scan_limit
step scan_limit_before; $T/scan_limit | tee $O/scan_limit_before.txt
step make; $J --add-modules jdk.incubator.vector -cp $JAR org.deephash4j.bench.IndexCodes $T/index 100000000 2>&1 | grep -v WARNING | tail -3
step IndexBenchmark; $J --add-modules jdk.incubator.vector -jar $JAR 'IndexBenchmark.scanKnn100' -p folder=$T/index \
    -p n=100000000 -rf json -rff $O/index.json > $O/index.txt 2>&1; grep -A6 "^Benchmark" $O/index.txt
step scan_limit_after; $T/scan_limit | tee $O/scan_limit_after.txt
rm -rf $T
step done
