#!/bin/bash
# The tenth session (2026-12-06): Winograd image by image, and with it the 28 x 28 and 56 x 56 3x3 layers
# on Winograd (NEW_JAR, ad454db in out/; 2a73d0a in out2/, which adds backward-filter in image groups)
# against the commit before (MAIN_JAR, e998300), alternated run by run and with the PyTorch peer:
#   bench/results/2026-12-06/session10/campaign.sh OUT [sections]     (MAIN_JAR, NEW_JAR in the environment)
# Quality runs of this session (deephash train, hash_resnet18_same_split.py) are paused (SIGSTOP) for the
# length of each section and resumed after it, so every figure here ran on an otherwise idle machine.
# Sections:
#  peak:    fma_peak (2 threads);
#  layers:  ResNetConvBenchmark, all three passes of 64-64-28-1 and 64-64-56-1, main then new, twice;
#  rstep:   the ResNet-18 training step (112 x 112, batch 32), three rounds between PyTorch runs;
#  infer:   ResNet-18 inference (224 x 224, batch 32), two rounds between PyTorch runs;
#  filter:  ResNetConvBenchmark.backwardFilter on 64-64-28-1, 64-64-56-1, 128-128-14-1, main then new, twice;
#  profile: StepProfile 25 vector resnet18 on NEW_JAR.
# What ran: out/ with the default sections (03:42-04:00 UTC); out2/ with 'peak filter rstep profile peak'.
set -u
O=${1:?output directory}; shift 1
mkdir -p "$O"
SECTIONS=${*:-peak layers rstep infer profile peak}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
LOCK=/tmp/deephash-bench.lock
K="-Xms6g -Xmx6g"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; jar=$2; shift 2; log "JMH $name $jar $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar "$jar" "$@" -jvmArgsAppend "--add-modules=jdk.incubator.vector $K" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 3 "$O/$name.txt" | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do
    PAUSED=$(pgrep -f "org.deephash4j.app.Main train|hash_resnet18_same_split" | tr '\n' ' ')
    [ -n "$PAUSED" ] && { log "pausing quality runs: $PAUSED"; kill -STOP $PAUSED; }
    IN_LOCK=1 flock "$LOCK" "$0" "$O" "$s"
    [ -n "$PAUSED" ] && { kill -CONT $PAUSED; log "resumed $PAUSED"; }
  done
  exit 0
fi
M=${MAIN_JAR:?}; N=${NEW_JAR:?}
case "$SECTIONS" in
peak)
  log "fma_peak 2 512"; /tmp/fma_peak 2 512 2>&1 | tail -n 2 | tee -a "$O/log.txt" ;;
layers)
  for r in 1 2; do
    jmh layers_main_$r "$M" ResNetConvBenchmark -p layer=64-64-28-1,64-64-56-1 -f 1 -wi 3 -w 1 -i 6 -r 1
    jmh layers_new_$r "$N" ResNetConvBenchmark -p layer=64-64-28-1,64-64-56-1 -f 1 -wi 3 -w 1 -i 6 -r 1
  done ;;
filter)
  for r in 1 2; do
    jmh filter_main_$r "$M" 'ResNetConvBenchmark.backwardFilter$' -p layer=64-64-28-1,64-64-56-1,128-128-14-1 -f 1 -wi 3 -w 1 -i 6 -r 1
    jmh filter_new_$r "$N" 'ResNetConvBenchmark.backwardFilter$' -p layer=64-64-28-1,64-64-56-1,128-128-14-1 -f 1 -wi 3 -w 1 -i 6 -r 1
  done ;;
rstep)
  R="-f 1 -wi 2 -w 10 -i 4 -r 10"
  for r in 1 2 3; do
    peer torch_resnet_train_$r /usr/bin/python3 bench/peers/torch_resnet18.py train
    if [ $r = 2 ]; then
      jmh rstep_new_$r "$N" ResNet18TrainStepBenchmark $R
      jmh rstep_main_$r "$M" ResNet18TrainStepBenchmark $R
    else
      jmh rstep_main_$r "$M" ResNet18TrainStepBenchmark $R
      jmh rstep_new_$r "$N" ResNet18TrainStepBenchmark $R
    fi
  done
  peer torch_resnet_train_end /usr/bin/python3 bench/peers/torch_resnet18.py train ;;
infer)
  R="-f 1 -wi 2 -w 10 -i 4 -r 10"
  for r in 1 2; do
    peer torch_resnet_infer_$r /usr/bin/python3 bench/peers/torch_resnet18.py infer
    jmh infer_main_$r "$M" ResNet18InferenceBenchmark $R
    jmh infer_new_$r "$N" ResNet18InferenceBenchmark $R
  done
  peer torch_resnet_infer_end /usr/bin/python3 bench/peers/torch_resnet18.py infer ;;
profile)
  log "StepProfile 25 vector resnet18 on $N"
  $J --add-modules jdk.incubator.vector $K -cp "$N" org.deephash4j.bench.StepProfile 25 vector resnet18 > "$O/step_profile_resnet18.txt" 2>&1
  head -n 20 "$O/step_profile_resnet18.txt" | tee -a "$O/log.txt" ;;
esac
