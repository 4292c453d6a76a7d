#!/usr/bin/env bash
# build-kit.sh: builds the GPU kit under .gpu/ (git-ignored), everything a machine with an NVIDIA
# GPU and no JDK, Maven or package registry needs to run run-kit.sh (bench/gpu/README.md):
#   .gpu/jre/            JDK 25 runtime made by jlink, without java.desktop (see MODULES)
#   .gpu/lib/            the application jar and its runtime dependencies (engine, kernels, JOCL, picocli)
#   .gpu/test/           the JUnit console launcher and the OpenCL test classes (kernels/src/test)
#   .gpu/bench/          the JMH benchmarks (the classes of bench/ and JMH; the rest comes from lib/)
#   .gpu/deb/            the OpenCL ICD loader and clinfo as .debs (apt-get download) ...
#   .gpu/opencl/         ... and unpacked, symbolic links resolved, ready to use without installing
#   .gpu/peers/          the PyTorch CUDA peer (bench/peers/torch_cuda.py)
#   .gpu/run-kit.sh      the script to run there; .gpu/KIT.txt says what was built from what
# and fails if the kit is 60 MiB or more. Needs Maven, a JDK 25 (found as ./deephash finds one),
# apt-get (for the .debs) and the network for the JUnit launcher and the .debs.
# MVN_FLAGS adds Maven options (e.g. MVN_FLAGS=-o to build offline once everything is cached).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIT="$ROOT/.gpu"
LIMIT_MIB=60
# java.base, java.logging, java.management (JMH), jdk.incubator.vector, jdk.unsupported (JMH),
# jdk.zipfs (the JUnit launcher reads the test jar through it); not java.desktop (AWT, ImageIO:
# about 17 MB; nothing the kit runs loads it) and not java.xml (the JUnit launcher's XML reports;
# its text report is enough, and the kit stays 4 MiB smaller).
MODULES=java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported,jdk.zipfs
DEBS=(ocl-icd-libopencl1 ocl-icd-opencl-dev clinfo)

say() { echo "build-kit: $*" >&2; }
die() { say "$*"; exit 1; }

# A JDK 25 or newer: JAVA_HOME, then /usr/lib/jvm, ~/.jdks, /opt (the launcher's search, shortened).
jdk_major() {
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -n1)"
  echo "${v:-0}"
}
JDK=""
for c in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.jdks/* /opt/*jdk* /opt/java/*; do
  if [ -n "$c" ] && [ -x "$c/bin/jlink" ] && [ "$(jdk_major "$c")" -ge 25 ]; then JDK="$c"; break; fi
done
[ -n "$JDK" ] || die "no JDK 25+ with jlink found (JAVA_HOME, /usr/lib/jvm, ~/.jdks, /opt)"
command -v mvn >/dev/null || die "Maven (mvn) is not on PATH"
say "JDK $JDK"

say "building the jars and test classes (mvn -B -q -DskipTests -Dmaven.javadoc.skip=true package)"
(cd "$ROOT" && mvn -B -q ${MVN_FLAGS:-} -DskipTests -Dmaven.javadoc.skip=true package) || die "the build failed"

rm -rf "$KIT"
mkdir -p "$KIT"/{lib,test,bench,deb,opencl,peers}
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

say "jlink: $MODULES"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress zip-9 \
  --output "$TMP/jre" 2> >(grep -v 'Using incubator modules' >&2)
cp -rL "$TMP/jre" "$KIT/jre"     # legal/ holds symbolic links; the kit travels as plain files

APP_JAR="$(ls "$ROOT"/src/target/deephash4j-app-*.jar | grep -v -e '-sources' -e '-tests' -e '-javadoc' | head -n1)"
cp "$APP_JAR" "$ROOT"/src/target/lib/*.jar "$KIT/lib/"

say "OpenCL test classes and the JUnit console launcher"
"$JDK/bin/jar" --create --file "$KIT/test/deephash4j-kernels-tests.jar" -C "$ROOT/kernels/target/test-classes" .
# The launcher that matches the build's JUnit: Jupiter 5.x.y runs on Platform 1.x.y.
JUNIT="$(sed -n 's:.*<junit.version>5\.\([0-9.]*\)</junit.version>.*:1.\1:p' "$ROOT/pom.xml")"
[ -n "$JUNIT" ] || die "cannot read junit.version from pom.xml"
(cd "$ROOT" && mvn -B -q -N ${MVN_FLAGS:-} dependency:copy \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT" -DoutputDirectory="$KIT/test") \
  || die "cannot fetch junit-platform-console-standalone $JUNIT"

say "JMH benchmarks"
# benchmarks.jar without what lib/ already holds (engine, kernels, application, JOCL, picocli) and
# without its service files, which lib/'s jars provide (twice would list every device twice).
mkdir "$TMP/bench"
(cd "$TMP/bench" && "$JDK/bin/jar" --extract --file "$ROOT/bench/target/benchmarks.jar")
(cd "$TMP/bench" && find org/deephash4j -mindepth 1 -maxdepth 1 ! -name bench -exec rm -rf {} + \
  && rm -rf org/jocl picocli lib META-INF/services META-INF/maven META-INF/MANIFEST.MF)
"$JDK/bin/jar" --create --file "$KIT/bench/benchmarks.jar" --main-class org.openjdk.jmh.Main -C "$TMP/bench" .

say "OpenCL ICD loader and clinfo (apt-get download ${DEBS[*]})"
(cd "$KIT/deb" && apt-get download "${DEBS[@]}" 2>&1 | grep -v "unsandboxed" >&2; [ "${PIPESTATUS[0]}" = 0 ]) \
  || die "apt-get download ${DEBS[*]} failed (try apt-get update, or check the network)"
for deb in "$KIT"/deb/*.deb; do dpkg-deb -x "$deb" "$TMP/opencl"; done
cp -rL "$TMP/opencl/usr" "$KIT/opencl/"

cp "$ROOT/bench/peers/torch_cuda.py" "$KIT/peers/"
cp "$ROOT/bench/gpu/run-kit.sh" "$KIT/run-kit.sh"
chmod +x "$KIT/run-kit.sh"

bytes="$(du -sb "$KIT" | cut -f1)"
{
  echo "deephash4j GPU kit, built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n)"
  echo "commit: $(cd "$ROOT" && git rev-parse HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "runtime: $("$KIT/jre/bin/java" -version 2>&1 | head -n1), modules $MODULES"
  echo "junit-platform-console-standalone $JUNIT; debs: $(cd "$KIT/deb" && ls | tr "\n" " ")"
  echo "size: $bytes bytes"
  (cd "$KIT" && du -sb jre lib test bench deb opencl peers)
} > "$KIT/KIT.txt"
cat "$KIT/KIT.txt" >&2
limit=$((LIMIT_MIB * 1024 * 1024))
[ "$bytes" -lt "$limit" ] || die "the kit is $bytes bytes, not under $LIMIT_MIB MiB ($limit bytes)"
say "done: $KIT ($((bytes / 1024 / 1024)) MiB); run it with .gpu/run-kit.sh OUT_DIR"
