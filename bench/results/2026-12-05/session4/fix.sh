#!/bin/bash
# The follow-up after the phase fix (c647277), 06:47-07:01 UTC: stride-2 backward-data and the ResNet-18 step against
# OLD_JAR (93d7814, as in campaign.sh) alternated twice, the step between two PyTorch peers, the step profile, then
# campaign.sh's gemm section. NEW_JAR is the bench built at c647277. Run from the repository root:
#   flock /tmp/deephash-bench.lock bench/results/2026-12-05/session4/fix.sh NEW_JAR OLD_JAR
NEW=${1:?new benchmarks.jar}; OLD=${2:?old benchmarks.jar}
O=bench/results/2026-12-05/session4
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
Q="-f 1 -wi 3 -w 2 -i 5 -r 2"
log() { echo "=== $(date +%T) $* (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$O/fix_log.txt"; }
run() { name=$1; jar=$2; shift 2; log "JMH $name $jar"; $J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar $jar "$@" -rf json -rff $O/$name.json > $O/$name.txt 2>&1; grep -E "^(ResNet|Gemm)" $O/$name.txt | tee -a $O/fix_log.txt; }
for r in 1 2; do
  for side in old fix; do
    jar=$NEW; [ $side = old ] && jar=$OLD
    run fix_bd_${side}_$r $jar 'ResNetConvBenchmark.backwardData' $Q -p layer=256-512-7-2,128-256-14-2,64-128-28-2,256-512-7-2-1
  done
done
for r in 1 2; do
  for side in old fix; do
    jar=$NEW; [ $side = old ] && jar=$OLD
    run fix_resnet18_train_${side}_$r $jar ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10
  done
done
log "PEER fix_torch_resnet_train_a"; /usr/bin/python3 bench/peers/torch_resnet18.py train > $O/fix_torch_resnet_train_a.txt 2>&1; tail -1 $O/fix_torch_resnet_train_a.txt | tee -a $O/fix_log.txt
run fix_resnet18_train $NEW ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10
log "PEER fix_torch_resnet_train_b"; /usr/bin/python3 bench/peers/torch_resnet18.py train > $O/fix_torch_resnet_train_b.txt 2>&1; tail -1 $O/fix_torch_resnet_train_b.txt | tee -a $O/fix_log.txt
log "StepProfile 25 (ResNet-18), fixed phases"
$J --add-modules jdk.incubator.vector -Xms6g -Xmx6g -cp $NEW org.deephash4j.bench.StepProfile 25 vector resnet18 > $O/fix_step_profile_resnet18.txt 2>&1
grep -v WARNING $O/fix_step_profile_resnet18.txt | head -3 | tee -a $O/fix_log.txt
IN_LOCK=1 NEW_JAR=$NEW bench/results/2026-12-05/session4/campaign.sh $O $OLD gemm
