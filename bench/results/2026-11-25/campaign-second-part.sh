#!/bin/bash
cd /work/main
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=bench/target/benchmarks.jar
O=/tmp/campaign
jmh() { name=$1; shift; echo "=== $(date +%T) JMH $name $*"; $J --add-modules jdk.incubator.vector -jar $JAR "$@" -rf json -rff $O/$name.json > $O/$name.txt 2>&1; tail -n 30 $O/$name.txt | grep -A30 "^Benchmark" ; }
peer() { name=$1; shift; echo "=== $(date +%T) PEER $name $*"; "$@" > $O/$name.txt 2>&1; cat $O/$name.txt | tail -n 12; }
mvn -B -q -pl bench -am package -DskipTests > $O/build.txt 2>&1 || { cat $O/build.txt; exit 1; }
peer scanlimit /tmp/bw/scanlimit
peer torch_infer_a /usr/bin/python3 $O/torch_infer.py
jmh infer2 'InferenceBenchmark' -f 1 -wi 3 -w 2 -i 5 -r 2 -p kernels=vector
peer torch_infer_b /usr/bin/python3 $O/torch_infer.py
jmh cltrain 'ClTrainStepBenchmark' -f 1 -wi 2 -w 2 -i 3 -r 2
jmh clhamming 'ClHammingBenchmark' -f 1 -wi 2 -w 2 -i 3 -r 2
jmh clpool 'ClPool2dBenchmark' -f 1 -wi 2 -w 2 -i 3 -r 2
echo "=== $(date +%T) done"
