#!/bin/bash
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
OUT=$1; shift; mkdir -p $OUT
JAR=${JAR:-/tmp/bn11/exp.jar}
PIDS=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
echo "pausing $PIDS"; [ -n "$PIDS" ] && kill -STOP $PIDS
trap '[ -n "$PIDS" ] && kill -CONT $PIDS' EXIT
for r in ${ROUNDS:-1 2}; do for v in "$@"; do
  f="$OUT/${v// /_}-$r.txt"
  java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar $JAR "ResNetConvBenchmark" \
    -p layer=${LAYERS:-512-512-2-1,256-256-4-1} -f 1 -wi 2 -w 1 -i 4 -r 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms4g -Xmx4g $v" > "$f" 2>&1
  grep -A12 "^Benchmark" "$f" | grep -v "^Benchmark" | sed "s/^/[$v] $r /"
done; done
