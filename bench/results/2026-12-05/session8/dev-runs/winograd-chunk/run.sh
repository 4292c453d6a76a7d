#!/bin/bash
# Layer A/B: Winograd chunk size at 28x28 and 14x14, direct at 28x28 as the baseline.
O=/tmp/s8/chunk; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; JAR=/tmp/s8/chunk.jar
run() { name=$1; knobs=$2; layer=$3; flock /tmp/deephash-bench.lock $J --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar $JAR ResNetConvBenchmark -jvmArgsAppend "$knobs" -f 1 -wi 3 -w 2 -i 5 -r 2 -p layer=$layer -rf json -rff $O/$name.json > $O/$name.txt 2>&1; grep "^ResNetConv" $O/$name.txt | sed "s/^/$name /" >> $O/log.txt; }
for r in 1 2; do
  run direct28_$r "-Ddeephash.conv.winograd=256" 64-64-28-1
  run c19_28_$r "-Ddeephash.conv.winograd=1024 -Ddeephash.conv.winogradChunk=524288" 64-64-28-1
  run c21_28_$r "-Ddeephash.conv.winograd=1024 -Ddeephash.conv.winogradChunk=2097152" 64-64-28-1
  run c19_14_$r "-Ddeephash.conv.winogradChunk=524288" 128-128-14-1
  run c21_14_$r "-Ddeephash.conv.winogradChunk=2097152" 128-128-14-1
done
