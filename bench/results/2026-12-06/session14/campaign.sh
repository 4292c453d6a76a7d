#!/bin/bash
# The fourteenth session (2026-12-06): Winograd in groups of images per task, the group filling the
# products' row panels (NEW_JAR) against the thirteenth session's last commit (MAIN_JAR, 293278b),
# alternated run by run and with the PyTorch peer:
#   bench/results/2026-12-06/session14/campaign.sh OUT [sections]     (MAIN_JAR, NEW_JAR in the environment)
# Quality runs (deephash train, hash_resnet18_same_split.py), if any, are paused (SIGSTOP) for each section.
# Sections:
#  peak:    fma_peak (2 threads);
#  layers:  ResNetConvBenchmark forward and backward-data of 128-128-14-1 and 64-64-28-1 (the layers whose
#           tasks changed at 112 x 112), main then new, three times;
#  rstep:   the ResNet-18 training step (112 x 112, batch 32), three rounds between PyTorch runs;
#  profile: StepProfile 25 vector resnet18 on MAIN_JAR, then NEW_JAR, then MAIN_JAR again.
set -u
O=${1:?output directory}; shift 1
mkdir -p "$O"
SECTIONS=${*:-peak layers rstep profile peak}
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
  for r in 1 2 3; do
    jmh layers_main_$r "$M" 'ResNetConvBenchmark.(forward|backwardData)$' -p layer=128-128-14-1,64-64-28-1 -f 1 -wi 3 -w 1 -i 6 -r 1
    jmh layers_new_$r "$N" 'ResNetConvBenchmark.(forward|backwardData)$' -p layer=128-128-14-1,64-64-28-1 -f 1 -wi 3 -w 1 -i 6 -r 1
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
profile)
  for which in main new main2; do
    jar=$M; [ $which = new ] && jar=$N
    log "StepProfile 25 vector resnet18 on $jar"
    $J --add-modules jdk.incubator.vector $K -cp "$jar" org.deephash4j.bench.StepProfile 25 vector resnet18 > "$O/step_profile_resnet18_$which.txt" 2>&1
    head -n 20 "$O/step_profile_resnet18_$which.txt" | tee -a "$O/log.txt"
  done ;;
esac
