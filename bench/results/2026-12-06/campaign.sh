#!/bin/bash
# The ninth session (2026-12-06) on the quiet machine: batch norm streamed over large planes and lenet
# pooling before its ReLUs (NEW_JAR) against the commit before them (MAIN_JAR), each alternated with
# the other and with its PyTorch peer:
#   bench/results/2026-12-06/campaign.sh OUT [sections]     (MAIN_JAR, NEW_JAR in the environment)
# Sections:
#  peak:    fma_peak (2 threads);
#  bn:      BatchNormBenchmark (vector), three rounds, PyTorch's batch norm before and after;
#  lenet:   issue 22's LeNet-hash step, three rounds between torch_step.py runs;
#  rstep:   the ResNet-18 training step (112 x 112, batch 32), two rounds between PyTorch runs;
#  profile: StepProfile 100 (LeNet) on NEW_JAR;
#  gemm:    GemmBenchmark 1024 and 2048 on NEW_JAR (GEMM unchanged) between OpenBLAS SkylakeX peers, twice.
# What ran: out/ with the default sections (01:19-01:41 UTC); out2/ with 'peak lenet gemm peak' after the
# quality run of DSDH seed 1, to see whether the LeNet figures hold in a second campaign.
set -u
O=${1:?output directory}; shift 1
mkdir -p "$O"
SECTIONS=${*:-peak bn lenet rstep profile peak}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
LOCK=/tmp/deephash-bench.lock
# -jvmArgsAppend on the command line replaces the benchmark's own (its heap size), so both sides name the heap.
K="-Xms6g -Xmx6g"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; jar=$2; shift 2; log "JMH $name $jar $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar "$jar" "$@" -jvmArgsAppend "--add-modules=jdk.incubator.vector $K" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 3 "$O/$name.txt" | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$s"; done
  exit 0
fi
M=${MAIN_JAR:?}; N=${NEW_JAR:?}
case "$SECTIONS" in
peak)
  log "fma_peak 2 512"; /tmp/fma_peak 2 512 2>&1 | tail -n 2 | tee -a "$O/log.txt" ;;
bn)
  peer torch_bn_a /usr/bin/python3 bench/peers/torch_resnet18.py bn
  for r in 1 2 3; do
    jmh bn_main_$r "$M" BatchNormBenchmark -p kernels=vector -f 1 -wi 3 -w 2 -i 5 -r 2
    jmh bn_new_$r "$N" BatchNormBenchmark -p kernels=vector -f 1 -wi 3 -w 2 -i 5 -r 2
  done
  peer torch_bn_b /usr/bin/python3 bench/peers/torch_resnet18.py bn ;;
lenet)
  Q="-f 1 -wi 5 -w 2 -i 5 -r 2"
  for r in 1 2 3; do
    peer torch_step_$r /usr/bin/python3 /work/shared/peers/torch_step.py
    jmh lenet_main_$r "$M" '\.TrainStepBenchmark\.' $Q -p kernels=vector
    jmh lenet_new_$r "$N" '\.TrainStepBenchmark\.' $Q -p kernels=vector
  done
  peer torch_step_end /usr/bin/python3 /work/shared/peers/torch_step.py ;;
rstep)
  R="-f 1 -wi 2 -w 10 -i 4 -r 10"
  for r in 1 2; do
    peer torch_resnet_train_$r /usr/bin/python3 bench/peers/torch_resnet18.py train
    jmh rstep_main_$r "$M" ResNet18TrainStepBenchmark $R
    jmh rstep_new_$r "$N" ResNet18TrainStepBenchmark $R
  done
  peer torch_resnet_train_end /usr/bin/python3 bench/peers/torch_resnet18.py train ;;
profile)
  log "StepProfile 100 (LeNet) on $N"
  $J --add-modules jdk.incubator.vector $K -cp "$N" org.deephash4j.bench.StepProfile 100 > "$O/step_profile_lenet.txt" 2>&1
  head -n 12 "$O/step_profile_lenet.txt" | tee -a "$O/log.txt" ;;
gemm)
  for r in 1 2; do
    for n in 1024 2048; do
      peer torch_gemm_skx_${n}_${r}a env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 /work/shared/peers/torch_gemm.py $n
    done
    jmh gemm_new_$r "$N" '\.GemmBenchmark\.' -f 1 -wi 3 -w 2 -i 5 -r 2 -p kernels=vector -p size=1024,2048
    for n in 1024 2048; do
      peer torch_gemm_skx_${n}_${r}b env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 /work/shared/peers/torch_gemm.py $n
    done
  done ;;
esac
