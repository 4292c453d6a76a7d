#!/bin/bash
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
OUT=$1; shift; mkdir -p $OUT
PIDS=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
echo "pausing $PIDS"; [ -n "$PIDS" ] && kill -STOP $PIDS
trap '[ -n "$PIDS" ] && kill -CONT $PIDS' EXIT
for r in ${ROUNDS:-1 2}; do for v in "$@"; do
  java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar ${JAR:-/tmp/bnexp/bench/target/benchmarks.jar} "ResNetConvBenchmark.(${BENCH:-forward|backwardData})$" \
    -p layer=${LAYERS:-64-64-28-1,128-128-14-1,256-256-7-1} -f 1 -wi 3 -w 1 -i 6 -r 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms4g -Xmx4g $v" > "$OUT/w-${v// /_}-$r.txt" 2>&1
  grep -A8 "^Benchmark" "$OUT/w-${v// /_}-$r.txt" | grep -v "^Benchmark" | sed "s/^/[$v] $r /"
done; done
