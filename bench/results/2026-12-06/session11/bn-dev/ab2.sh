#!/bin/bash
# A/B of jars: args are NAME=JAR[:PROPS]; alternated round by round; pauses quality runs.
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
OUT=$1; shift; mkdir -p $OUT
PIDS=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
echo "pausing $PIDS"; [ -n "$PIDS" ] && kill -STOP $PIDS
trap '[ -n "$PIDS" ] && kill -CONT $PIDS' EXIT
for r in ${ROUNDS:-1 2 3}; do for v in "$@"; do
  name=${v%%=*}; rest=${v#*=}; jar=${rest%%:*}; props=""; [ "$rest" != "$jar" ] && props=${rest#*:}
  f="$OUT/$name-$r.txt"
  java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar $jar "${BENCH:-BatchNormBenchmark.(forwardBackward|readWriteOnce)$}" \
    ${PARAMS:--p kernels=vector -p shape=32x256x14x14} -f 1 -wi ${WI:-3} -w 1 -i ${ITER:-10} -r 1 \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms4g -Xmx4g $props" > "$f" 2>&1
  python3 /tmp/bn11/med.py "$f"
done; done
echo done
