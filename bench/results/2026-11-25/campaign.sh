#!/bin/bash
# The measured campaign: one timed job at a time, peers beside the JMH runs.
cd /work/main
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JAR=bench/target/benchmarks.jar
O=/tmp/campaign
P=/work/shared/peers
jmh() { name=$1; shift; echo "=== $(date +%T) JMH $name $*"; $J --add-modules jdk.incubator.vector -jar $JAR "$@" -rf json -rff $O/$name.json > $O/$name.txt 2>&1; tail -n 40 $O/$name.txt | grep -A40 "^Benchmark" ; }
peer() { name=$1; shift; echo "=== $(date +%T) PEER $name $*"; "$@" > $O/$name.txt 2>&1; cat $O/$name.txt | tail -n 12; }
Q="-f 1 -wi 3 -w 2 -i 5 -r 2"
peer fma_peak2 /tmp/fma_peak 2 512 200000000
peer fma_peak1 /tmp/fma_peak 1 512 200000000
jmh peak PeakBenchmark $Q -p kernels=vector
peer torch_gemm_1024 /usr/bin/python3 $P/torch_gemm.py 1024
peer torch_gemm_2048 /usr/bin/python3 $P/torch_gemm.py 2048
jmh gemm GemmBenchmark $Q -p kernels=vector
jmh gemm_ref GemmBenchmark -f 1 -wi 1 -w 2 -i 3 -r 2 -p kernels=reference -p size=512
peer torch_gemm_1024b /usr/bin/python3 $P/torch_gemm.py 1024
jmh fcgemm FcGemmBenchmark $Q
jmh conv Conv2dBenchmark $Q -p kernels=vector
jmh conv_ref Conv2dBenchmark -f 1 -wi 1 -w 2 -i 3 -r 2 -p kernels=reference
jmh pool PoolBenchmark $Q
peer torch_step_a /usr/bin/python3 $P/torch_step.py
jmh train TrainStepBenchmark $Q -p kernels=vector
jmh infer InferenceBenchmark $Q -p kernels=vector
peer torch_step_b /usr/bin/python3 $P/torch_step.py
jmh train_ref TrainStepBenchmark -f 1 -wi 1 -w 2 -i 3 -r 2 -p kernels=reference
jmh infer_ref InferenceBenchmark -f 1 -wi 1 -w 2 -i 3 -r 2 -p kernels=reference -p batch=128
peer faiss_scan64 /usr/bin/python3 $P/faiss_scan.py 64
jmh scan HammingScanBenchmark $Q
peer faiss_mih /usr/bin/python3 $P/faiss_mih.py both
jmh mih MultiIndexBenchmark $Q
jmh mihknn MultiIndexKnnBenchmark $Q
jmh hashloss HashLossBenchmark $Q
jmh train_jfr TrainStepBenchmark -f 1 -wi 3 -w 2 -i 3 -r 2 -p kernels=vector -prof jfr
echo "=== $(date +%T) done"
