#!/bin/bash
# The fifth session of 2026-12-05 (issues 20 and 22) on the quiet machine: VectorGemm's slab depth KC (and row
# block MC), the vectorised 2x2 max-pool, and the session's whole change against main at its start.
# KNOBS_JAR: the bench built from 2c4580d plus the uncommitted 2x2 max-pool, with KC and MC read from the
# properties deephash.gemm.kc (default 512) and deephash.gemm.mc (rows in units of MR, default 16), so both sides
# of a KC A/B run the same code but for the constant; the committed change sets the constant the A/B chose.
# OLD_JAR: the bench built from 4a4f843 (main when the session began).
#  peak:    fma_peak (2 threads), first and last;
#  explore: GemmBenchmark 1024 and 2048 at (KC, MC/MR) = (512, 16) (main), (1024, 16), (1024, 8), (768, 16);
#  gemm:    GemmBenchmark 1024 and 2048 at 512 and at NEW between OpenBLAS SkylakeX peers, twice;
#  fc:      FcGemmBenchmark (LeNet's x·Wᵀ, k = 3136) at 512 and NEW, twice;
#  pool:    PoolBenchmark (LeNet's 2x2 and ResNet's 3x3 stem pool), OLD_JAR and KNOBS_JAR, twice;
#  step:    the LeNet-hash step (TrainStepBenchmark), OLD_JAR and KNOBS_JAR at NEW, between two PyTorch peers, twice;
#  rstep:   the ResNet-18 training step, OLD_JAR and KNOBS_JAR at NEW, between two PyTorch peers; the step profile;
#  bn:      BatchNormBenchmark between two runs of the peer's batch norm (torch_resnet18.py bn);
#  infer:   ResNet-18 inference at 224 x 224 between two PyTorch peers.
# The bn and infer sections ran after the commits, with the bench jar of 32d1e55 as KNOBS_JAR (NEW='-Dunused=1').
# NEW is the JVM options of the candidate, e.g. NEW='-Ddeephash.gemm.kc=1024'. Every timed job under the lock:
#   NEW='...' bench/results/2026-12-05/session5/campaign.sh OUT KNOBS_JAR OLD_JAR [sections]
set -u
O=${1:?output directory}; JAR=${2:?jar with the KC/MC properties}; OLD=${3:?the jar of main at the start}; shift 3
mkdir -p "$O"
SECTIONS=${*:-peak explore gemm fc pool step rstep peak}
NEW=${NEW:?the candidate JVM options}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
P=/work/shared/peers
LOCK=/tmp/deephash-bench.lock
Q="-f 1 -wi 3 -w 2 -i 5 -r 2"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; knobs=$2; shift 2; jmhjar "$name" "$JAR" "$knobs" "$@"; }
jmhjar() { name=$1; jar=$2; knobs=$3; shift 3; log "JMH $name $jar [$knobs] $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar "$jar" "$@" -jvmArgsAppend "$knobs" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | grep -v "^$" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 3 "$O/$name.txt" | tee -a "$O/log.txt"; }
MAIN="-Ddeephash.gemm.kc=512"

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$JAR" "$OLD" "$s"; done
  exit 0
fi

case "$SECTIONS" in
peak)
  peer fma_peak_2_$(date +%H%M%S) /tmp/fma_peak 2 512 ;;
explore)
  for knobs in "-Ddeephash.gemm.kc=512" "-Ddeephash.gemm.kc=1024" "-Ddeephash.gemm.kc=1024 -Ddeephash.gemm.mc=8" \
               "-Ddeephash.gemm.kc=768"; do
    jmh "explore_$(echo "$knobs" | tr -dc '0-9_=' | tr '=' '_')" "$knobs" '\.GemmBenchmark\.' $Q -p kernels=vector -p size=1024,2048
  done ;;
gemm)
  for r in 1 2; do
    peer torch_gemm_skx_1024_${r}a env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 1024
    peer torch_gemm_skx_2048_${r}a env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 2048
    jmh gemm_main_$r "$MAIN" '\.GemmBenchmark\.' $Q -p kernels=vector -p size=1024,2048
    jmh gemm_new_$r "$NEW" '\.GemmBenchmark\.' $Q -p kernels=vector -p size=1024,2048
    peer torch_gemm_skx_1024_${r}b env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 1024
    peer torch_gemm_skx_2048_${r}b env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 2048
  done ;;
fc)
  for r in 1 2; do
    jmh fc_main_$r "$MAIN" FcGemmBenchmark $Q -p kernels=vector -p shape=128-500-3136-nt
    jmh fc_new_$r "$NEW" FcGemmBenchmark $Q -p kernels=vector -p shape=128-500-3136-nt
  done ;;
pool)
  for r in 1 2; do
    jmhjar pool_old_$r "$OLD" "$MAIN" PoolBenchmark $Q -p kernels=vector
    jmh pool_new_$r "$NEW" PoolBenchmark $Q -p kernels=vector
  done ;;
step)
  for r in 1 2; do
    peer torch_step_${r}a /usr/bin/python3 $P/torch_step.py
    jmhjar step_old_$r "$OLD" "$MAIN" '\.TrainStepBenchmark\.' $Q -p kernels=vector
    jmh step_new_$r "$NEW" '\.TrainStepBenchmark\.' $Q -p kernels=vector
    peer torch_step_${r}b /usr/bin/python3 $P/torch_step.py
  done ;;
rstep)
  R="-f 1 -wi 2 -w 10 -i 5 -r 10"
  peer torch_resnet_train_a /usr/bin/python3 bench/peers/torch_resnet18.py train
  jmhjar rstep_old "$OLD" "$MAIN" ResNet18TrainStepBenchmark $R
  jmh rstep_new "$NEW" ResNet18TrainStepBenchmark $R
  peer torch_resnet_train_b /usr/bin/python3 bench/peers/torch_resnet18.py train
  log "StepProfile 25 (ResNet-18) and 100 (LeNet), KNOBS_JAR at NEW"
  # shellcheck disable=SC2086
  $J --add-modules jdk.incubator.vector -Xms6g -Xmx6g $NEW -cp "$JAR" org.deephash4j.bench.StepProfile 25 vector resnet18 > "$O/step_profile_resnet18.txt" 2>&1
  # shellcheck disable=SC2086
  $J --add-modules jdk.incubator.vector -Xms6g -Xmx6g $NEW -cp "$JAR" org.deephash4j.bench.StepProfile 100 > "$O/step_profile_lenet.txt" 2>&1
  grep -v WARNING "$O/step_profile_resnet18.txt" | head -25 | tee -a "$O/log.txt"
  grep -v WARNING "$O/step_profile_lenet.txt" | head -15 | tee -a "$O/log.txt" ;;
bn)
  peer torch_bn_a /usr/bin/python3 bench/peers/torch_resnet18.py bn
  jmh bn "$NEW" BatchNormBenchmark -f 1 -wi 3 -w 2 -i 5 -r 2 -p kernels=vector
  peer torch_bn_b /usr/bin/python3 bench/peers/torch_resnet18.py bn ;;
infer)
  peer torch_resnet_infer_a /usr/bin/python3 bench/peers/torch_resnet18.py infer
  jmh rinfer "$NEW" ResNet18InferenceBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10
  peer torch_resnet_infer_b /usr/bin/python3 bench/peers/torch_resnet18.py infer ;;
esac
