#!/bin/bash
# A/B of batch norm variants by system property; pauses quality runs while it runs.
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
OUT=$1; shift; mkdir -p $OUT
JAR=${JAR:-/tmp/bnexp11/bench/target/benchmarks.jar}
PIDS=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
echo "pausing $PIDS"; [ -n "$PIDS" ] && kill -STOP $PIDS
trap '[ -n "$PIDS" ] && kill -CONT $PIDS' EXIT
for r in ${ROUNDS:-1 2 3}; do for v in "$@"; do
  f="$OUT/${v// /_}-$r.txt"
  java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar $JAR "BatchNormBenchmark.(${BENCH:-forwardBackward|readWriteOnce|forward|backward})$" \
    -p kernels=vector -p shape=${SHAPES:-32x256x14x14} -f 1 -wi 3 -w 1 -i ${ITER:-5} -r 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms4g -Xmx4g $v" > "$f" 2>&1
  grep -A8 "^Benchmark" "$f" | grep -v "^Benchmark" | sed "s/^/[$v] $r /"
done; done
echo done
