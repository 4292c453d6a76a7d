#!/bin/bash
# The eighth session of 2026-12-05 on the quiet machine: transparent huge pages for the JVM's heap
# (-XX:+UseTransparentHugePages; the kernel's THP mode here is 'madvise', so the JVM uses 4 KB pages
# unless asked) and the stem max pool's shuffles (VectorPool2d, POOL_JAR) against main (MAIN_JAR):
#   bench/results/2026-12-05/session8/campaign.sh OUT [sections]     (MAIN_JAR, POOL_JAR in the environment)
# Sections:
#  peak:  fma_peak (2 threads);
#  bn:    BatchNormBenchmark (vector), 4 KB pages and huge pages, two rounds, PyTorch's batch norm before and after;
#  pool:  PoolBenchmark (vector), main against the shuffles, two rounds;
#  layers: ResNetConvBenchmark at 64-64-28-1 (direct and Winograd) and 512-512-4-1, 4 KB pages and huge pages;
#  rstep: the ResNet-18 training step (112 x 112, batch 32), 4 KB pages and huge pages, between PyTorch runs;
#  lenet: issue 22's LeNet-hash step, 4 KB pages and huge pages, between torch_step.py runs.
set -u
O=${1:?output directory}; shift 1
mkdir -p "$O"
SECTIONS=${*:-peak bn pool layers rstep lenet peak}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
LOCK=/tmp/deephash-bench.lock
# -jvmArgsAppend on the command line replaces the benchmark's own (its heap size), so both sides name the heap.
K4="-Xms6g -Xmx6g"; THP="-Xms6g -Xmx6g -XX:+UseTransparentHugePages"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; jar=$2; knobs=$3; shift 3; log "JMH $name $jar [$knobs] $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar "$jar" "$@" -jvmArgsAppend "$knobs" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 3 "$O/$name.txt" | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$s"; done
  exit 0
fi
M=${MAIN_JAR:?}; P=${POOL_JAR:?}
case "$SECTIONS" in
peak)
  peer fma_peak_2_$(date +%H%M%S) /tmp/fma_peak 2 512 ;;
bn)
  peer torch_bn_a /usr/bin/python3 bench/peers/torch_resnet18.py bn
  for r in 1 2; do
    jmh bn_4k_$r "$M" "$K4" BatchNormBenchmark -p kernels=vector -f 1 -wi 3 -w 2 -i 5 -r 2
    jmh bn_thp_$r "$M" "$THP" BatchNormBenchmark -p kernels=vector -f 1 -wi 3 -w 2 -i 5 -r 2
  done
  peer torch_bn_b /usr/bin/python3 bench/peers/torch_resnet18.py bn ;;
pool)
  for r in 1 2; do
    jmh pool_main_$r "$M" "$K4" PoolBenchmark -p kernels=vector -f 1 -wi 3 -w 2 -i 5 -r 2
    jmh pool_shuffles_$r "$P" "$K4" PoolBenchmark -p kernels=vector -f 1 -wi 3 -w 2 -i 5 -r 2
  done ;;
layers)
  for r in 1 2; do
    for T in 4k thp; do
      K=$K4; [ $T = thp ] && K=$THP
      jmh layers_direct28_${T}_$r "$M" "$K" ResNetConvBenchmark -p layer=64-64-28-1,512-512-4-1 -f 1 -wi 3 -w 2 -i 5 -r 2
      jmh layers_wino28_${T}_$r "$M" "$K -Ddeephash.conv.winograd=1024" ResNetConvBenchmark -p layer=64-64-28-1 -f 1 -wi 3 -w 2 -i 5 -r 2
    done
  done ;;
rstep)
  R="-f 1 -wi 2 -w 10 -i 4 -r 10"
  for r in 1 2 3; do
    peer torch_resnet_train_$r /usr/bin/python3 bench/peers/torch_resnet18.py train
    jmh rstep_4k_$r "$P" "$K4" ResNet18TrainStepBenchmark $R
    jmh rstep_thp_$r "$P" "$THP" ResNet18TrainStepBenchmark $R
  done
  peer torch_resnet_train_end /usr/bin/python3 bench/peers/torch_resnet18.py train ;;
lenet)
  Q="-f 1 -wi 5 -w 2 -i 5 -r 2"
  for r in 1 2 3; do
    peer torch_step_$r /usr/bin/python3 /work/shared/peers/torch_step.py
    jmh lenet_4k_$r "$P" "$K4" '\.TrainStepBenchmark\.' $Q -p kernels=vector
    jmh lenet_thp_$r "$P" "$THP" '\.TrainStepBenchmark\.' $Q -p kernels=vector
  done
  peer torch_step_end /usr/bin/python3 /work/shared/peers/torch_step.py ;;
esac
