#!/bin/bash
# Winograd's transformed-filter block: 2^20 floats (4 MB, main: U lives in the shared L3 between its
# transform and its products) against 2^18 (1 MB: in the core's L2), on the two deepest stages, alternated.
O=/tmp/s8/ublock; J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; JAR=/tmp/s8/pool.jar
run() { name=$1; knobs=$2; flock /tmp/deephash-bench.lock $J --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar $JAR ResNetConvBenchmark -jvmArgsAppend "-Xms6g -Xmx6g $knobs" -f 1 -wi 3 -w 2 -i 5 -r 2 -p layer=256-256-7-1,512-512-4-1 -rf json -rff $O/$name.json > $O/$name.txt 2>&1; grep "^ResNetConv" $O/$name.txt | sed "s/^/$name /" >> $O/log.txt; }
for r in 1 2 3; do
  run b20_$r "-Ddeephash.conv.winogradBlock=1048576"
  run b18_$r "-Ddeephash.conv.winogradBlock=262144"
done
