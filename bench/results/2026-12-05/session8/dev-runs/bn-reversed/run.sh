#!/bin/bash
# Batch norm: backward's gradInput pass front to back (main) against back to front (bnrev), alternated.
O=/tmp/s8/bnab; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
run() { name=$1; jar=$2; flock /tmp/deephash-bench.lock $J --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar $jar BatchNormBenchmark -jvmArgsAppend "-Xms6g -Xmx6g" -p kernels=vector -f 1 -wi 3 -w 2 -i 5 -r 2 -rf json -rff $O/$name.json > $O/$name.txt 2>&1; grep "^BatchNorm" $O/$name.txt | sed "s/^/$name /" >> $O/log.txt; }
for r in 1 2 3; do
  run main_$r /tmp/s8/pool.jar
  run reversed_$r /tmp/s8/bnrev.jar
done
