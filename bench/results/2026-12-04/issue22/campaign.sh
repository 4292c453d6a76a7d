#!/bin/bash
# Issue 22 campaign: peers before and after each JMH run, each section under the shared benchmark
# lock (flock /tmp/deephash-bench.lock), repeated, so that medians and ratios come from the same
# minutes. Run from the repository root after `mvn -B -q -pl bench -am package -DskipTests`.
# Usage: bench/results/2026-12-04/issue22/campaign.sh OUTDIR [sections...]
#   sections: fma step conv gemm busy profile resnet (default: all); also interleave and busyinterleave
#   (bench/peers/interleave.py: our step and PyTorch's alternated every few seconds, idle and with the busy loop)
set -u
O=${1:?output directory}; shift
mkdir -p "$O"
SECTIONS=${*:-fma step conv gemm busy profile resnet}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=bench/target/benchmarks.jar
P=/work/shared/peers
LOCK=/tmp/deephash-bench.lock
Q="-f 1 -wi 3 -w 2 -i 5 -r 2"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/log.txt"; }
jmh() { name=$1; shift; log "JMH $name $*"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar $JAR "$@" -rf json -rff "$O/$name.json" > "$O/$name.txt" 2>&1; grep -A40 "^Benchmark" "$O/$name.txt" | tee -a "$O/log.txt"; }
peer() { name=$1; shift; log "PEER $name $*"; "$@" > "$O/$name.txt" 2>&1; tail -n 12 "$O/$name.txt" | tee -a "$O/log.txt"; }

if [ "${IN_LOCK:-}" != 1 ]; then
  for s in $SECTIONS; do IN_LOCK=1 flock "$LOCK" "$0" "$O" "$s"; done
  exit 0
fi

case "$SECTIONS" in
fma)
  gcc -O2 -march=native -fopenmp $P/fma_peak.c -o /tmp/fma_peak_i22
  for r in 1 2 3; do
    peer fma_peak2_$r /tmp/fma_peak_i22 2 512 200000000
    peer fma_peak1_$r /tmp/fma_peak_i22 1 512 200000000
  done ;;
step)
  for r in 1 2 3; do
    peer torch_step_${r}a /usr/bin/python3 $P/torch_step.py
    jmh train_$r '\.TrainStepBenchmark\.' $Q -p kernels=vector
    peer torch_step_${r}b /usr/bin/python3 $P/torch_step.py
  done ;;
conv)
  for r in 1 2; do
    jmh peak_${r}a PeakBenchmark $Q -p kernels=vector
    jmh conv_$r '\.Conv2dBenchmark\.' $Q -p kernels=vector
    jmh peak_${r}b PeakBenchmark $Q -p kernels=vector
  done ;;
gemm)
  for r in 1 2 3; do
    peer torch_gemm_skx_1024_${r}a env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 1024
    peer torch_gemm_skx_2048_${r}a env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 2048
    peer torch_gemm_1024_$r /usr/bin/python3 $P/torch_gemm.py 1024
    peer torch_gemm_2048_$r /usr/bin/python3 $P/torch_gemm.py 2048
    jmh gemm_$r '\.GemmBenchmark\.' $Q -p kernels=vector -p size=1024,2048
    peer torch_gemm_skx_1024_${r}b env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 1024
    peer torch_gemm_skx_2048_${r}b env OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 $P/torch_gemm.py 2048
  done
  jmh fcgemm FcGemmBenchmark $Q ;;
busy)
  # One core's worth of interference: a busy loop pinned to CPU 1 for the whole section.
  taskset -c 1 sh -c 'while :; do :; done' & BUSY=$!
  log "busy loop pid $BUSY pinned to CPU 1"
  for r in 1 2 3; do
    peer busy_torch_step_${r}a /usr/bin/python3 $P/torch_step.py
    jmh busy_train_$r '\.TrainStepBenchmark\.' $Q -p kernels=vector
    peer busy_torch_step_${r}b /usr/bin/python3 $P/torch_step.py
  done
  jmh busy_peak PeakBenchmark $Q -p kernels=vector
  kill $BUSY ;;
interleave)
  peer interleave /usr/bin/python3 bench/peers/interleave.py 15 8 ;;
busyinterleave)
  taskset -c 1 sh -c 'while :; do :; done' & BUSY=$!
  log "busy loop pid $BUSY pinned to CPU 1"
  peer busy_interleave /usr/bin/python3 bench/peers/interleave.py 15 8
  kill $BUSY ;;
profile)
  log "StepProfile 60"
  $J --add-modules jdk.incubator.vector -cp $JAR org.deephash4j.bench.StepProfile 60 > "$O/step_profile.txt" 2>&1
  tee -a "$O/log.txt" < "$O/step_profile.txt" ;;
resnet)
  L=64-64-56-1,128-256-28-2,256-256-14-1,512-512-7-1,128-128-14-1,512-512-4-1
  peer torch_conv_a /usr/bin/python3 bench/peers/torch_conv.py conv1 conv2 ${L//,/ }
  jmh resnet ResNetConvBenchmark $Q -p layer=$L
  jmh resnet_peak PeakBenchmark $Q -p kernels=vector
  peer torch_conv_b /usr/bin/python3 bench/peers/torch_conv.py ${L//,/ } ;;
esac
