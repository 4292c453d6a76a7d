#!/bin/bash
# The fourth session of 2026-12-05 (issues 20 and 22), on the quiet machine after the second-seed quality runs:
#  ab:     this session's convolution kernels against main at 93d7814 (OLD_JAR: bench built from 93d7814 with this
#          session's ResNetConvBenchmark, which takes the 1x1 shortcut shapes), alternated old/new twice:
#          ResNetConvBenchmark passes of the shapes the session touched (stride-2 backward-data by phases, the
#          512-channel 4x4 layers whose weights are packed in parallel, backward-filter without bias sums) and one
#          untouched control (64-64-28-1 forward); PoolBenchmark's LeNet 2x2 pool (last session's open regression);
#          FcGemmBenchmark's LeNet x·Wᵀ (one row block, seven slabs: now the slabs inside each task);
#  rstep:  the ResNet-18 training step old/new alternated twice, then between two PyTorch peers; inference at 224 x 224
#          between two peers; the step profile;
#  step:   the LeNet-hash step (TrainStepBenchmark) between two PyTorch peers, three times;
#  gemm:   GemmBenchmark 1024 and 2048 between OpenBLAS SkylakeX peers, twice;
#  peak:   fma_peak (2 threads and 1), first and last.
# Every timed job under the benchmark lock. Run from the repository root after
# `mvn -B -q -pl bench -am package -DskipTests`:  bench/results/2026-12-05/session4/campaign.sh OUT OLD_JAR [sections]
set -u
O=${1:?output directory}; OLD=${2:?old benchmarks.jar}; shift 2
mkdir -p "$O"
SECTIONS=${*:-peak ab rstep step gemm peak}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
NEW=${NEW_JAR:-bench/target/benchmarks.jar}
P=/work/shared/peers
LOCK=/tmp/deephash-bench.lock
Q="-f 1 -wi 3 -w 2 -i 5 -r 2"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; jar=$2; shift 2; log "JMH $name $jar $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar $jar "$@" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 3 "$O/$name.txt" | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$OLD" "$s"; done
  exit 0
fi

case "$SECTIONS" in
peak)
  # The machine's FP32 FMA ceiling tonight (shared/peers/fma_peak.c built as its comment says, at /tmp/fma_peak).
  peer fma_peak_2_$(date +%H%M%S) /tmp/fma_peak 2 512
  peer fma_peak_1_$(date +%H%M%S) /tmp/fma_peak 1 512 ;;
ab)
  for r in 1 2; do
    for side in old new; do
      jar=$NEW; [ $side = old ] && jar=$OLD
      jmh ab_fwd_${side}_$r $jar 'ResNetConvBenchmark.forward' $Q -p layer=512-512-4-1,64-64-28-1
      jmh ab_bd_${side}_$r $jar 'ResNetConvBenchmark.backwardData' $Q \
          -p layer=512-512-4-1,256-512-7-2,128-256-14-2,64-128-28-2,256-512-7-2-1
      jmh ab_bf_${side}_$r $jar 'ResNetConvBenchmark.backwardFilter' $Q -p layer=512-512-4-1,256-512-7-2,256-512-7-2-1
      jmh ab_pool_${side}_$r $jar PoolBenchmark $Q -p kernels=vector -p pool=lenet
      jmh ab_fc_${side}_$r $jar FcGemmBenchmark $Q -p kernels=vector -p shape=128-500-3136-nt
    done
  done ;;
rstep)
  for r in 1 2; do
    for side in old new; do
      jar=$NEW; [ $side = old ] && jar=$OLD
      jmh ab_resnet18_train_${side}_$r $jar ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10
    done
  done
  peer torch_resnet_train_a /usr/bin/python3 bench/peers/torch_resnet18.py train
  jmh resnet18_train $NEW ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10
  peer torch_resnet_train_b /usr/bin/python3 bench/peers/torch_resnet18.py train
  peer torch_resnet_infer_a /usr/bin/python3 bench/peers/torch_resnet18.py infer
  jmh resnet18_infer $NEW ResNet18InferenceBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10
  peer torch_resnet_infer_b /usr/bin/python3 bench/peers/torch_resnet18.py infer
  log "StepProfile 25 (ResNet-18)"
  $J --add-modules jdk.incubator.vector -Xms6g -Xmx6g -cp $NEW org.deephash4j.bench.StepProfile 25 vector resnet18 > "$O/step_profile_resnet18.txt" 2>&1
  grep -v WARNING "$O/step_profile_resnet18.txt" | head -30 | tee -a "$O/log.txt" ;;
step)
  for r in 1 2 3; do
    peer torch_step_${r}a /usr/bin/python3 $P/torch_step.py
    jmh train_$r $NEW '\.TrainStepBenchmark\.' $Q -p kernels=vector
    peer torch_step_${r}b /usr/bin/python3 $P/torch_step.py
  done ;;
gemm)
  for r in 1 2; do
    peer torch_gemm_skx_1024_${r}a env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 1024
    peer torch_gemm_skx_2048_${r}a env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 2048
    jmh gemm_$r $NEW '\.GemmBenchmark\.' $Q -p kernels=vector -p size=1024,2048
    peer torch_gemm_skx_1024_${r}b env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 1024
    peer torch_gemm_skx_2048_${r}b env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 2048
  done ;;
esac
