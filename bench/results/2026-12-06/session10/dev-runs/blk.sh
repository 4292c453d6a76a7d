#!/bin/bash
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
OUT=$1; shift; mkdir -p $OUT
PIDS=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
echo "pausing $PIDS"; [ -n "$PIDS" ] && kill -STOP $PIDS
for r in ${ROUNDS:-1 2 3}; do for v in "$@"; do

  java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar /tmp/bnexp/bench/target/benchmarks.jar "BatchNormBenchmark.(forwardBackward|readWriteOnce)$" \
    -p kernels=vector -p shape=${SHAPES:-32x256x14x14} -f 1 -wi 3 -w 1 -i 5 -r 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms4g -Xmx4g $v" > "$OUT/blk-${v// /_}-$r.txt" 2>&1
  grep -A4 "^Benchmark" "$OUT/blk-${v// /_}-$r.txt" | grep -v "^Benchmark" | sed "s/^/[$v] $r /"
done; done
[ -n "$PIDS" ] && kill -CONT $PIDS
echo resumed
