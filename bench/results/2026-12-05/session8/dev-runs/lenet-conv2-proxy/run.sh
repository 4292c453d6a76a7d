#!/bin/bash
# Would Winograd pay on LeNet's conv2 (32->64, 14x14)? F(4x4,3x3) against direct 3x3 at that shape, and direct 5x5.
O=/tmp/s8/lenetw; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; JAR=/tmp/s8/chunk.jar
run() { name=$1; knobs=$2; layer=$3; flock /tmp/deephash-bench.lock $J --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar $JAR ResNetConvBenchmark -jvmArgsAppend "$knobs" -f 1 -wi 3 -w 2 -i 5 -r 2 -p layer=$layer -rf json -rff $O/$name.json > $O/$name.txt 2>&1; grep "^ResNetConv" $O/$name.txt | sed "s/^/$name /" >> $O/log.txt; }
for r in 1 2; do
  run wino3_$r "-Ddeephash.conv.winogradChannels=32" 32-64-14-1
  run direct3_$r "-Ddeephash.conv.winogradChannels=64" 32-64-14-1
  run direct5_$r "-Ddeephash.conv.winogradChannels=64" 32-64-14-1-5
done
