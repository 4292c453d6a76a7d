#!/bin/bash
# The sixth session of 2026-12-05 (issues 20 and 22) on the quiet machine. Two jars:
#   MAIN_JAR: the bench of main at 271ec5e plus StepProfile's longer warm-up (committed in this session);
#   WINO_JAR: the same plus an F(2x2, 3x3) Winograd convolution (forward and backward-data, 3x3 stride 1 pad 1),
#             used where the input plane has at most -Ddeephash.conv.winograd=N positions (0: never). Not
#             committed; the patch is winograd-full.diff beside this script.
# Sections:
#  peak:   fma_peak (2 threads);
#  step:   the LeNet-hash step (TrainStepBenchmark, MAIN_JAR) between PyTorch peers (torch_step.py), three rounds;
#  rstep:  the ResNet-18 training step, MAIN_JAR, WINO_JAR at N = 16 (ResNet's last stage at 112 x 112), again,
#          between two PyTorch peers; StepProfile 25 (ResNet-18) of both and 100 (LeNet) of MAIN_JAR;
#  layers: ResNet-18's four 3x3 stride-1 shapes at 112 x 112 (ResNetConvBenchmark, MAIN_JAR, each pass alone)
#          between two runs of torch_conv.py on the same shapes, then PyTorch's step by operator
#          (torch_resnet18.py profile): is PyTorch's lead in the step its convolutions, and at which shapes.
# Every timed job under the lock:
#   bench/results/2026-12-05/session6/campaign.sh OUT MAIN_JAR WINO_JAR [sections]
set -u
O=${1:?output directory}; MAIN=${2:?main jar}; WINO=${3:?winograd jar}; shift 3
mkdir -p "$O"
SECTIONS=${*:-peak step rstep peak}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
P=/work/shared/peers
LOCK=/tmp/deephash-bench.lock
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; jar=$2; knobs=$3; shift 3; log "JMH $name $jar [$knobs] $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar "$jar" "$@" -jvmArgsAppend "$knobs" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 3 "$O/$name.txt" | tee -a "$O/log.txt"; }
profile() { name=$1; jar=$2; knobs=$3; shift 3; log "StepProfile $name $jar [$knobs] $*"; $J --add-modules jdk.incubator.vector -Xms6g -Xmx6g $knobs -cp "$jar" org.deephash4j.bench.StepProfile "$@" > "$O/$name.txt" 2>&1; grep -v WARNING "$O/$name.txt" | head -25 | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$MAIN" "$WINO" "$s"; done
  exit 0
fi

case "$SECTIONS" in
peak)
  peer fma_peak_2_$(date +%H%M%S) /tmp/fma_peak 2 512 ;;
step)
  Q="-f 1 -wi 5 -w 2 -i 5 -r 2"
  for r in 1 2 3; do
    peer torch_step_${r}a /usr/bin/python3 $P/torch_step.py
    jmh step_$r "$MAIN" "-Dunused=0" '\.TrainStepBenchmark\.' $Q -p kernels=vector
  done
  peer torch_step_3b /usr/bin/python3 $P/torch_step.py ;;
rstep)
  R="-f 1 -wi 2 -w 10 -i 5 -r 10"
  peer torch_resnet_train_a /usr/bin/python3 bench/peers/torch_resnet18.py train
  for r in 1 2; do
    jmh rstep_main_$r "$MAIN" "-Dunused=0" ResNet18TrainStepBenchmark $R
    jmh rstep_wino_$r "$WINO" "-Ddeephash.conv.winograd=16" ResNet18TrainStepBenchmark $R
  done
  peer torch_resnet_train_b /usr/bin/python3 bench/peers/torch_resnet18.py train
  profile step_profile_resnet18_main "$MAIN" "" 25 vector resnet18
  profile step_profile_resnet18_wino "$WINO" "-Ddeephash.conv.winograd=16" 25 vector resnet18
  profile step_profile_lenet "$MAIN" "" 100 ;;
layers)
  SHAPES="64-64-28-1 128-128-14-1 256-256-7-1 512-512-4-1"
  # shellcheck disable=SC2086
  peer torch_conv_a /usr/bin/python3 bench/peers/torch_conv.py $SHAPES
  jmh layers "$MAIN" "-Dunused=0" ResNetConvBenchmark -f 1 -wi 3 -w 2 -i 5 -r 2 -p layer="$(echo $SHAPES | tr ' ' ',')"
  # shellcheck disable=SC2086
  peer torch_conv_b /usr/bin/python3 bench/peers/torch_conv.py $SHAPES
  log "PyTorch's step by operator"
  /usr/bin/python3 bench/peers/torch_resnet18.py profile > "$O/torch_step_profile.txt" 2>&1
  head -30 "$O/torch_step_profile.txt" | tee -a "$O/log.txt" ;;
esac
