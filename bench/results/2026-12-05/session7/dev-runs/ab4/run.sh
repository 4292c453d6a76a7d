J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
O=/tmp/s7/ab4
cd /work/main
for N in 0 1024; do
$J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar /tmp/s7/wino6.jar 'ResNetConvBenchmark\.(forward|backwardData)' -f 1 -wi 2 -w 2 -i 4 -r 2 -p layer=64-64-28-1,128-128-14-1 -jvmArgsAppend "-Ddeephash.conv.winograd=$N" > $O/layers$N.txt 2>&1
done
/usr/bin/python3 bench/peers/torch_resnet18.py train > $O/torch_train_a.txt 2>&1
for N in 0 256 1024; do
$J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar /tmp/s7/wino6.jar ResNet18TrainStepBenchmark -f 1 -wi 2 -w 10 -i 5 -r 10 -jvmArgsAppend "-Ddeephash.conv.winograd=$N" > $O/rstep$N.txt 2>&1
done
/usr/bin/python3 bench/peers/torch_resnet18.py train > $O/torch_train_b.txt 2>&1
