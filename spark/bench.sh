#!/usr/bin/env bash
# Throughput of encode (images/s) and exact k-NN search (queries/s) on Spark local[1] and local[2], beside the
# engine alone in one JVM on 1 and 2 threads, in one JMH run (SparkEncodeBenchmark, SparkSearchBenchmark in
# spark/src/test/java). Arguments go to JMH, e.g.  spark/bench.sh -f 1 -wi 2 -i 5   or   spark/bench.sh SparkSearchBenchmark
# Timed runs take the shared lock /tmp/deephash-bench.lock, so two timed runs never overlap.
set -euo pipefail
cd "$(dirname "$0")/.."

java_bin="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
if ! "$java_bin" -version 2>&1 | grep -q 'version "2[5-9]'; then
  echo "spark/bench.sh: needs a JDK 25 (set JAVA_HOME); $java_bin is not one" >&2
  exit 1
fi

# Compile the module and its tests, and write the test class path (Spark, JMH, and the engine's classes).
mvn -B -q -Pspark -pl spark -am -DskipTests -Dmaven.javadoc.skip=true test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="spark/target/test-classes:spark/target/classes:$(cat spark/target/test-classpath.txt)"

# The flags of spark/pom.xml's surefire argLine (Spark 4 on JDK 17+, and the Vector API); JMH's forks inherit them.
flags=(--add-modules=jdk.incubator.vector -Xmx3g
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)

export SPARK_LOCAL_IP=127.0.0.1     # embedded Spark binds to the loopback address only
if [ "$#" -eq 0 ] || [[ "$1" == -* ]]; then set -- 'Spark(Encode|Search)Benchmark' "$@"; fi
exec flock /tmp/deephash-bench.lock "$java_bin" "${flags[@]}" -cp "$cp" org.openjdk.jmh.Main "$@"
