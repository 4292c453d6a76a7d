#!/bin/bash
# Issue 20 campaign (batch normalisation, ResNet-18), run from the repository root after
#   mvn -B -q -o -pl bench -am package -DskipTests
# Every timed job holds /tmp/deephash-bench.lock, so no two timed runs overlap; each JMH run sits
# between two runs of its PyTorch peer. The machine was shared with parallel builds throughout.
set -e
OUT=bench/results/2026-12-04
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
J="$JAVA --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar"
L="flock /tmp/deephash-bench.lock"
PY="/usr/bin/python3 bench/peers/torch_resnet18.py"
{ date -u; uptime; } > $OUT/machine_start.txt

$L $PY bn > $OUT/torch_bn_a.txt
$L $J BatchNormBenchmark -f 1 -wi 3 -w 2 -i 5 -r 2 -rf json -rff $OUT/batchnorm.json > $OUT/batchnorm.txt
$L $PY bn > $OUT/torch_bn_b.txt

$L $PY infer > $OUT/torch_infer_a.txt
$L $J ResNet18InferenceBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10 -rf json -rff $OUT/resnet18_infer.json > $OUT/resnet18_infer.txt
$L $PY infer > $OUT/torch_infer_b.txt

$L $PY train > $OUT/torch_train_a.txt
$L $J ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10 -rf json -rff $OUT/resnet18_train.json > $OUT/resnet18_train.txt
$L $PY train > $OUT/torch_train_b.txt

# Where the training step spends its time: JFR execution samples of one more (short) run.
$L $J ResNet18TrainStepBenchmark -f 1 -wi 1 -w 10 -i 2 -r 10 \
    -jvmArgsAppend "-XX:StartFlightRecording=filename=/tmp/resnet18_train.jfr,settings=profile" > $OUT/resnet18_train_profiled.txt
/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr print --events jdk.ExecutionSample /tmp/resnet18_train.jfr \
    | /usr/bin/python3 $OUT/profile_summary.py > $OUT/resnet18_train_profile.txt
{ date -u; uptime; } > $OUT/machine_end.txt
