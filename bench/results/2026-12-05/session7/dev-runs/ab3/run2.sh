J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for B in 1073741824 2097152 1048576; do
$J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar /tmp/s7/wino5.jar 'ResNetConvBenchmark\.(forward|backwardData)' -f 1 -wi 2 -w 2 -i 4 -r 2 -p layer=256-256-7-1,512-512-4-1 -jvmArgsAppend "-Ddeephash.conv.winograd=256 -Ddeephash.conv.winogradBlock=$B" > c$B.txt 2>&1
done
