J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for N in 0 256; do
$J -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar /tmp/s7/wino.jar 'ResNetConvBenchmark\.(forward|backwardData)' -f 1 -wi 2 -w 2 -i 4 -r 2 -p layer=64-64-28-1,128-128-14-1,256-256-7-1,512-512-4-1 -jvmArgsAppend "-Ddeephash.conv.winograd=$N" > w$N.txt 2>&1
done
