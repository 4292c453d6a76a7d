#!/bin/bash
# Issue 20's ResNet-18 speed rerun on the quiet machine (2026-12-05): inference at 224x224 batch 32 and the
# training step at 112x112 batch 32, each JMH run between two runs of its PyTorch peer, every timed job under
# the benchmark lock. Run from the repository root after mvn -B -q -pl bench -am package -DskipTests.
set -e
OUT=bench/results/2026-12-05/resnet18-quiet
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar"
L="flock /tmp/deephash-bench.lock"
PY="/usr/bin/python3 bench/peers/torch_resnet18.py"
{ date -u; uptime; } > $OUT/machine_start.txt
$L $PY infer > $OUT/torch_infer_a.txt
$L $J ResNet18InferenceBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10 -rf json -rff $OUT/resnet18_infer.json > $OUT/resnet18_infer.txt
$L $PY infer > $OUT/torch_infer_b.txt
$L $PY train > $OUT/torch_train_a.txt
$L $J ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10 -rf json -rff $OUT/resnet18_train.json > $OUT/resnet18_train.txt
$L $PY train > $OUT/torch_train_b.txt
{ date -u; uptime; } > $OUT/machine_end.txt
