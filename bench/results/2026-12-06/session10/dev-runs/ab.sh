#!/bin/bash
# A/B of the batch-norm ILP toggle; pauses the quality run while measuring.
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
OUT=$1; shift; mkdir -p $OUT
PIDS=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
echo "pausing $PIDS"; [ -n "$PIDS" ] && kill -STOP $PIDS
for r in 1 2; do for v in true false; do
  java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar /tmp/bnexp/bench/target/benchmarks.jar "BatchNormBenchmark.(forwardBackward|readWriteOnce|forward|backward)$" \
    -p kernels=vector -p shape=${SHAPES:-32x256x14x14,32x512x7x7} -f 1 -wi 3 -w 1 -i 5 -r 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms4g -Xmx4g -Dbn.ilp=$v" > $OUT/ilp-$v-$r.txt 2>&1
  grep -A20 "^Benchmark" $OUT/ilp-$v-$r.txt | sed "s/^/$v-$r /"
done; done
[ -n "$PIDS" ] && kill -CONT $PIDS
echo resumed
