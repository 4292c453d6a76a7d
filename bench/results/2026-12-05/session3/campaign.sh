#!/bin/bash
# The third session of 2026-12-05 (issues 20 and 22), on the quiet machine after the full-protocol quality runs:
#  ab:    this session's kernels against main at 454f854 (OLD_JAR: bench built from this commit with the three kernel
#         files VectorPool2d, VectorGemm, VectorConv2d and VectorIndirectGemm of 454f854), alternated old/new twice:
#         PoolBenchmark (ResNet's 3x3 stride-2 stem pool, LeNet's 2x2), FcGemmBenchmark (LeNet's x·Wᵀ and x·W),
#         Conv2dBenchmark conv2 backward-data, ResNetConvBenchmark backward-filter 512-512-4-1 and 64-64-28-1;
#  step:  the LeNet-hash step (TrainStepBenchmark) between two PyTorch peers, twice;
#  resnet: the ResNet-18 training step at 112x112 batch 32 between two PyTorch peers, and the step profile;
#  bn:    BatchNormBenchmark (issue 20's "within 2x of reading and writing its tensors once").
# Every timed job under the benchmark lock. Run from the repository root after
# `mvn -B -q -pl bench -am package -DskipTests`:  bench/results/2026-12-05/session3/campaign.sh OUT OLD_JAR [sections]
set -u
O=${1:?output directory}; OLD=${2:?old benchmarks.jar}; shift 2
mkdir -p "$O"
SECTIONS=${*:-ab step resnet bn}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW=bench/target/benchmarks.jar
P=/work/shared/peers
LOCK=/tmp/deephash-bench.lock
Q="-f 1 -wi 3 -w 2 -i 5 -r 2"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; jar=$2; shift 2; log "JMH $name $jar $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar $jar "$@" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 6 "$O/$name.txt" | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$OLD" "$s"; done
  exit 0
fi

case "$SECTIONS" in
ab)
  for r in 1 2; do
    for side in old new; do
      jar=$NEW; [ $side = old ] && jar=$OLD
      jmh ab_pool_${side}_$r $jar PoolBenchmark $Q -p kernels=vector
      jmh ab_fcgemm_${side}_$r $jar FcGemmBenchmark $Q -p kernels=vector -p shape=128-500-3136-nt,128-3136-500-nn
      jmh ab_conv2bd_${side}_$r $jar 'Conv2dBenchmark.backwardData' $Q -p kernels=vector -p layer=conv2
      jmh ab_resnetbf_${side}_$r $jar 'ResNetConvBenchmark.backwardFilter' $Q -p layer=512-512-4-1,64-64-28-1
    done
  done ;;
step)
  for r in 1 2; do
    peer torch_step_${r}a /usr/bin/python3 $P/torch_step.py
    jmh train_$r $NEW '\.TrainStepBenchmark\.' $Q -p kernels=vector
    peer torch_step_${r}b /usr/bin/python3 $P/torch_step.py
  done
  log "StepProfile 100 (LeNet)"
  $J --add-modules jdk.incubator.vector -Xms4g -Xmx4g -cp $NEW org.deephash4j.bench.StepProfile 100 > "$O/step_profile_lenet.txt" 2>&1
  grep -v WARNING "$O/step_profile_lenet.txt" | head -12 | tee -a "$O/log.txt" ;;
resnet)
  peer torch_resnet_train_a /usr/bin/python3 bench/peers/torch_resnet18.py train
  jmh resnet18_train $NEW ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10
  peer torch_resnet_train_b /usr/bin/python3 bench/peers/torch_resnet18.py train
  log "StepProfile 25 (ResNet-18)"
  $J --add-modules jdk.incubator.vector -Xms6g -Xmx6g -cp $NEW org.deephash4j.bench.StepProfile 25 vector resnet18 > "$O/step_profile_resnet18.txt" 2>&1
  grep -v WARNING "$O/step_profile_resnet18.txt" | head -25 | tee -a "$O/log.txt" ;;
bn)
  jmh batchnorm $NEW BatchNormBenchmark -f 1 -wi 3 -w 2 -i 5 -r 2 -p kernels=vector ;;
esac
