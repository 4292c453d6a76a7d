#!/bin/bash
export PATH=/usr/lib/jvm/temurin-25-jdk-amd64/bin:$PATH
OUT=$1; mkdir -p $OUT; cd /work/main
PIDS=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
echo "pausing $PIDS"; [ -n "$PIDS" ] && kill -STOP $PIDS
trap '[ -n "$PIDS" ] && kill -CONT $PIDS' EXIT
peer() { /usr/bin/python3 bench/peers/torch_resnet18.py train64 > "$OUT/torch_train64_$1.txt" 2>&1; tail -1 "$OUT/torch_train64_$1.txt"; }
for r in ${ROUNDS:-1 2 3}; do
  peer $r
  for v in main:-Ddeephash.conv.winogradMinSide=1 new:-Ddeephash.conv.winogradMinSide=4; do
    name=${v%%:*}; prop=${v#*:}
    java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar ${JAR:-/tmp/w11/new2.jar} ResNet18TrainStepBenchmark -p size=64 \
      -f 1 -wi 2 -w 10 -i 4 -r 10 -rf json -rff "$OUT/step64_${name}_$r.json" \
      -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xms6g -Xmx6g $prop" > "$OUT/step64_${name}_$r.txt" 2>&1
    echo "$name $r: $(grep -E '^ResNet18TrainStepBenchmark.step' "$OUT/step64_${name}_$r.txt")"
  done
done
peer end
