#!/bin/bash
# The seventh session of 2026-12-05 (issue 20) on the quiet machine: Winograd F(4x4, 3x3) for ResNet's deep 3x3
# layers (VectorWinogradConv2d, on by default for planes up to 256 positions; -Ddeephash.conv.winograd=0 turns it
# off, =1024 adds the 28x28 stage). One jar, the bench of main with the Winograd commit:
#   bench/results/2026-12-05/session7/campaign.sh OUT JAR [sections]
# Sections:
#  peak:   fma_peak (2 threads);
#  layers: ResNet-18's four 3x3 stride-1 shapes at 112 x 112, forward and backward-data, Winograd off and on,
#          between two runs of torch_conv.py on the same shapes;
#  rstep:  the ResNet-18 training step, three rounds of (off, on, on with 28x28), PyTorch before each round and after;
#  rstep2: the same step after the transforms stopped boxing vectors: two rounds of (off, on), PyTorch between;
#  filter: backward-filter by Winograd too (-Ddeephash.conv.winogradFilter=false|true): the three deep shapes'
#          backward-filter, then the step, two rounds of (false, true) with PyTorch between (ROUNDS="3 4"
#          ORDER="true false" FILTER_LAYERS=no: two more rounds, the other way round, without the layers);
#  lenet:  issue 22's LeNet-hash step (TrainStepBenchmark, no layer of it goes to Winograd) between torch_step.py
#          peers, three rounds;
#  infer:  ResNet-18 inference at 224 x 224 (Winograd at 14x14 and 7x7 there), off and on, between two PyTorch runs;
#  profile: StepProfile 25 (ResNet-18), Winograd on.
set -u
O=${1:?output directory}; JAR=${2:?jar}; shift 2
mkdir -p "$O"
SECTIONS=${*:-peak layers rstep infer profile peak}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
LOCK=/tmp/deephash-bench.lock
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; knobs=$2; shift 2; log "JMH $name [$knobs] $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar "$JAR" "$@" -jvmArgsAppend "$knobs" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 3 "$O/$name.txt" | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$JAR" "$s"; done
  exit 0
fi

case "$SECTIONS" in
peak)
  peer fma_peak_2_$(date +%H%M%S) /tmp/fma_peak 2 512 ;;
layers)
  SHAPES="64-64-28-1 128-128-14-1 256-256-7-1 512-512-4-1"
  # shellcheck disable=SC2086
  peer torch_conv_a /usr/bin/python3 bench/peers/torch_conv.py $SHAPES
  for N in 0 1024; do
    jmh layers_w$N "-Ddeephash.conv.winograd=$N" 'ResNetConvBenchmark\.(forward|backwardData)' -f 1 -wi 3 -w 2 -i 5 -r 2 \
        -p layer="$(echo $SHAPES | tr ' ' ',')"
  done
  # shellcheck disable=SC2086
  peer torch_conv_b /usr/bin/python3 bench/peers/torch_conv.py $SHAPES ;;
rstep)
  R="-f 1 -wi 2 -w 10 -i 4 -r 10"
  for r in 1 2 3; do
    peer torch_resnet_train_$r /usr/bin/python3 bench/peers/torch_resnet18.py train
    for N in 0 256 1024; do
      jmh rstep_w${N}_$r "-Ddeephash.conv.winograd=$N" ResNet18TrainStepBenchmark $R
    done
  done
  peer torch_resnet_train_4 /usr/bin/python3 bench/peers/torch_resnet18.py train ;;
rstep2)
  R="-f 1 -wi 2 -w 10 -i 4 -r 10"
  for r in 1 2; do
    peer torch_resnet_train2_$r /usr/bin/python3 bench/peers/torch_resnet18.py train
    for N in 0 256; do
      jmh rstep2_w${N}_$r "-Ddeephash.conv.winograd=$N" ResNet18TrainStepBenchmark $R
    done
  done
  peer torch_resnet_train2_3 /usr/bin/python3 bench/peers/torch_resnet18.py train ;;
filter)
  [ "${FILTER_LAYERS:-yes}" = no ] || for F in false true; do
    jmh filter_layers_$F "-Ddeephash.conv.winogradFilter=$F" 'ResNetConvBenchmark\.backwardFilter' -f 1 -wi 3 -w 2 -i 5 -r 2 \
        -p layer=128-128-14-1,256-256-7-1,512-512-4-1
  done
  R="-f 1 -wi 2 -w 10 -i 4 -r 10"
  for r in ${ROUNDS:-1 2}; do
    peer torch_resnet_train3_$r /usr/bin/python3 bench/peers/torch_resnet18.py train
    for F in ${ORDER:-false true}; do
      jmh rstep3_filter_${F}_$r "-Ddeephash.conv.winogradFilter=$F" ResNet18TrainStepBenchmark $R
    done
  done
  peer torch_resnet_train3_end /usr/bin/python3 bench/peers/torch_resnet18.py train ;;
lenet)
  Q="-f 1 -wi 5 -w 2 -i 5 -r 2"
  for r in 1 2 3; do
    peer torch_step_$r /usr/bin/python3 /work/shared/peers/torch_step.py
    jmh lenet_step_$r "-Dunused=0" '\.TrainStepBenchmark\.' $Q -p kernels=vector
  done
  peer torch_step_end /usr/bin/python3 /work/shared/peers/torch_step.py ;;
infer)
  peer torch_resnet_infer_a /usr/bin/python3 bench/peers/torch_resnet18.py infer
  for N in 0 256; do
    jmh infer_w$N "-Ddeephash.conv.winograd=$N" ResNet18InferenceBenchmark -f 1 -wi 2 -w 10 -i 4 -r 10
  done
  peer torch_resnet_infer_b /usr/bin/python3 bench/peers/torch_resnet18.py infer ;;
profile)
  log "StepProfile 25 vector resnet18 (Winograd on)"
  $J --add-modules jdk.incubator.vector -Xms6g -Xmx6g -cp "$JAR" org.deephash4j.bench.StepProfile 25 vector resnet18 \
      > "$O/step_profile_resnet18.txt" 2>&1
  grep -v WARNING "$O/step_profile_resnet18.txt" | head -20 | tee -a "$O/log.txt" ;;
esac
