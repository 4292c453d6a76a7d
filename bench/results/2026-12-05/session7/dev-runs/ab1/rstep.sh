J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd /work/main
/usr/bin/python3 bench/peers/torch_resnet18.py train > /tmp/s7/ab1/torch_train_a.txt 2>&1
for N in 0 256; do
$J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar /tmp/s7/wino.jar ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10 -jvmArgsAppend "-Ddeephash.conv.winograd=$N" > /tmp/s7/ab1/rstep$N.txt 2>&1
done
/usr/bin/python3 bench/peers/torch_resnet18.py train > /tmp/s7/ab1/torch_train_b.txt 2>&1
