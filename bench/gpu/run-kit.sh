#!/usr/bin/env bash
# run-kit.sh OUT_DIR [--smoke] [--device opencl:N]
#
# Runs on the GPU machine, from the kit build-kit.sh made (.gpu/), with nothing else installed:
# sets up the OpenCL ICD loader the kit carries, lists the devices, then runs `deephash doctor`,
# the OpenCL test suite, the Cl* JMH benchmarks, a short `deephash train --device opencl` on the
# embedded Fashion-MNIST subset and, where python3 with torch exists, the PyTorch CUDA peer.
# Every output goes under OUT_DIR; a failing step is recorded and the next one runs; the last
# step writes OUT_DIR/summary.txt (one line per step). Exit 0 when no step failed.
#
#   --smoke          small settings for a dry run on a machine without a GPU (bench/gpu/dry-run.sh):
#                    doctor --quick, the shortest JMH runs with one size each, 200 training images,
#                    torch_cuda.py --smoke
#   --device NAME    the OpenCL device for JMH and training (default opencl:0; the OpenCL test suite
#                    always uses opencl:0, the doctor every device)
#   --steps LIST     only these of devices,doctor,tests,jmh,train,torch (default all), so that a run
#                    can be split over two commands that each fit a time limit
# PYTHON_FOR_PEER names a python3 to try first for the PyTorch peer; KIT_JMH_ARGS replaces the JMH
# options (not the benchmark pattern, the device or the result file).
#
# Nothing is written outside OUT_DIR: the ICD loader is used from the kit (LD_LIBRARY_PATH), and the
# vendor list the loader reads is OUT_DIR/opencl/vendors (OCL_ICD_VENDORS): the system's
# /etc/OpenCL/vendors/*.icd plus nvidia.icd naming libnvidia-opencl.so.1 when the system has the
# NVIDIA library but no nvidia.icd (the usual state of a container that mounts the driver).
# The JVM runs without java.desktop, so nothing here may draw pictures: `train` without plots is fine;
# `demo` and `eval --plots` are not run.
set -uo pipefail

KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ "$#" -ge 1 ] || { echo "usage: $0 OUT_DIR [--smoke] [--device opencl:N] [--steps devices,doctor,tests,jmh,train,torch]" >&2; exit 2; }
OUT="$1"
shift
SMOKE=0
DEVICE=opencl:0
STEPS=devices,doctor,tests,jmh,train,torch
while [ "$#" -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --device) DEVICE="$2"; shift ;;
    --steps) STEPS="$2"; shift ;;
    *) echo "run-kit: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$OUT" || exit 2
OUT="$(cd "$OUT" && pwd)"
SUMMARY="$OUT/summary.txt"
FAILED=0
RAN=0
SKIPPED=0
START=$SECONDS

want() { case ",$STEPS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

JAVA="$KIT/jre/bin/java"
JOPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m)
# As ./deephash runs it: with the JVM's signal chaining preloaded, so that a driver's own signal handlers
# (PoCL's LLVM installs some) chain to the JVM's. The OpenCL tests run without it: they check the
# engine's own guard (JvmSignalHandlers), which keeps the JVM's handlers when libjsig is absent.
JSIG=(env "LD_PRELOAD=$KIT/jre/lib/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}")
DEEPHASH=("${JSIG[@]}" "$JAVA" "${JOPTS[@]}" -cp "$KIT/lib/*" org.deephash4j.app.Main)

{
  echo "deephash4j GPU kit run, $(date -u +%Y-%m-%dT%H:%M:%SZ), output in $OUT$([ "$SMOKE" = 1 ] && echo ' (smoke settings)')"
  printf '%-14s %-8s %4s %8s  %s\n' step result rc seconds output
} >> "$SUMMARY"     # appends: a run split over several commands keeps one summary

# record NAME RC SECONDS OUTPUTS...: one summary line; rc 0 is ok, "skip" is skipped.
record() {
  local name="$1" rc="$2" secs="$3"
  shift 3
  local verdict=ok
  if [ "$rc" = skip ]; then verdict=skipped; SKIPPED=$((SKIPPED + 1))
  elif [ "$rc" != 0 ]; then verdict=FAILED; FAILED=$((FAILED + 1)); RAN=$((RAN + 1))
  else RAN=$((RAN + 1)); fi
  printf '%-14s %-8s %4s %8s  %s\n' "$name" "$verdict" "$rc" "$secs" "$*" >> "$SUMMARY"
  echo "run-kit: $name: $verdict (rc $rc, ${secs}s)" >&2
}

# run NAME TIMEOUT_S LOG command...: runs with a time limit, stdout and stderr to LOG.
run() {
  local name="$1" limit="$2" log="$3"
  shift 3
  echo "run-kit: $name ..." >&2
  local t0=$SECONDS
  timeout --kill-after=30 "$limit" "$@" > "$log" 2>&1
  local rc=$?
  [ "$rc" = 124 ] && echo "run-kit: $name timed out after ${limit}s" >> "$log"
  LAST_RC=$rc
  LAST_SECONDS=$((SECONDS - t0))
}

# ---------------------------------------------------------------- the machine
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname: $(uname -a)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), $(nproc) threads"
  echo "memory: $(grep MemTotal /proc/meminfo 2>/dev/null | awk '{print $2 " kB"}')"
  echo "os: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "java: $("$JAVA" -version 2>&1 | tr '\n' ' ')"
  echo
  echo "== kit"; cat "$KIT/KIT.txt" 2>/dev/null
  echo
  echo "== nvidia-smi"
  if command -v nvidia-smi >/dev/null 2>&1; then nvidia-smi 2>&1; nvidia-smi -q 2>&1 | head -n 60
  else echo "nvidia-smi not found"; fi
} > "$OUT/machine.txt" 2>&1
record machine 0 0 machine.txt

# ---------------------------------------------------------------- the OpenCL ICD loader
t0=$SECONDS
ICD_DIR="$OUT/opencl/vendors"
mkdir -p "$ICD_DIR"
LOADER_DIR="$KIT/opencl/usr/lib/x86_64-linux-gnu"
export LD_LIBRARY_PATH="$LOADER_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OCL_ICD_VENDORS="$ICD_DIR"          # ocl-icd: the folder of .icd files to read
export OPENCL_VENDOR_PATH="$ICD_DIR"       # the Khronos loader's name for the same
{
  echo "loader: $LOADER_DIR (from the kit's .debs: $(cd "$KIT/deb" && ls | tr '\n' ' '))"
  ls -l "$LOADER_DIR"/libOpenCL* 2>&1
  for f in /etc/OpenCL/vendors/*.icd; do
    [ -e "$f" ] || continue
    cp "$f" "$ICD_DIR/" && echo "vendor from the system: $f: $(cat "$f")"
  done
  if ! ls "$ICD_DIR" | grep -qi nvidia; then
    NV="$( (ldconfig -p 2>/dev/null | awk '/libnvidia-opencl\.so\.1/ {print $NF; exit}') || true)"
    if [ -z "$NV" ]; then
      for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib; do
        [ -e "$d/libnvidia-opencl.so.1" ] && { NV="$d/libnvidia-opencl.so.1"; break; }
      done
    fi
    if [ -n "$NV" ]; then
      echo "$NV" > "$ICD_DIR/nvidia.icd"
      echo "wrote $ICD_DIR/nvidia.icd: $NV (the system has the NVIDIA OpenCL library but no nvidia.icd)"
    else
      echo "no libnvidia-opencl.so.1 found (ldconfig -p, /usr/lib/x86_64-linux-gnu, /usr/lib64, /usr/local/nvidia): no NVIDIA OpenCL device"
    fi
  fi
  echo "vendors used ($ICD_DIR):"
  for f in "$ICD_DIR"/*.icd; do [ -e "$f" ] && echo "  $(basename "$f"): $(cat "$f")"; done
} > "$OUT/opencl-setup.txt" 2>&1
if [ -e "$LOADER_DIR/libOpenCL.so" ] && ls "$ICD_DIR"/*.icd >/dev/null 2>&1; then rc=0; else rc=1; fi
record opencl-setup "$rc" $((SECONDS - t0)) opencl-setup.txt

# ---------------------------------------------------------------- the devices
if want devices; then
  run devices 120 "$OUT/devices.txt" "${DEEPHASH[@]}" devices
  rc=$LAST_RC; secs=$LAST_SECONDS
  run clinfo 120 "$OUT/devices-clinfo.txt" sh -c "'$KIT/opencl/usr/bin/clinfo' -l && echo && '$KIT/opencl/usr/bin/clinfo'"
  [ "$LAST_RC" != 0 ] && rc=$LAST_RC
  grep -q '^opencl:' "$OUT/devices.txt" || { echo "no OpenCL device listed" >> "$OUT/devices.txt"; [ "$rc" = 0 ] && rc=1; }
  record devices "$rc" $((secs + LAST_SECONDS)) devices.txt devices-clinfo.txt
fi

# ---------------------------------------------------------------- deephash doctor
if want doctor; then
  DOCTOR_ARGS=(--device all --json-file "$OUT/doctor.json")
  [ "$SMOKE" = 1 ] && DOCTOR_ARGS+=(--quick)
  echo "run-kit: doctor ..." >&2
  t0=$SECONDS
  timeout --kill-after=30 3600 "${DEEPHASH[@]}" doctor "${DOCTOR_ARGS[@]}" \
    > "$OUT/doctor.txt" 2> "$OUT/doctor.log"
  record doctor $? $((SECONDS - t0)) doctor.txt doctor.json doctor.log
fi

# ---------------------------------------------------------------- the OpenCL test suite
if want tests; then
  run opencl-tests 1800 "$OUT/opencl-tests.txt" "$JAVA" "${JOPTS[@]}" -Ddeephash.cpu.kernels=reference \
    -Ddeephash.test.requireOpenCl=true -jar "$(ls "$KIT"/test/junit-platform-console-standalone-*.jar)" execute \
    --class-path "$KIT/test/deephash4j-kernels-tests.jar:$(ls "$KIT"/lib/*.jar | tr '\n' ':')" \
    --select-package org.deephash4j.opencl --disable-banner --disable-ansi-colors --details=tree
  record opencl-tests "$LAST_RC" "$LAST_SECONDS" opencl-tests.txt
fi

# ---------------------------------------------------------------- the Cl* JMH benchmarks
if want jmh; then
  JMH_LOCK=()
  if [ "$SMOKE" = 1 ]; then
    JMH_ARGS=(-f 1 -wi 0 -i 1 -r 1s -p n=128 -p layer=conv1 -p algorithm=direct -p bits=64 -p "backend=$DEVICE")
    JMH_LOCK=(-Djmh.ignoreLock=true)   # a smoke run measures nothing: never wait for another JMH on the machine
  elif [ -n "${KIT_JMH_ARGS:-}" ]; then
    read -r -a JMH_ARGS <<< "$KIT_JMH_ARGS"   # e.g. KIT_JMH_ARGS='-f 1 -wi 1 -i 3 -r 1s -p n=4096'
  else
    # about 25 configurations of about 8 s each (fork, the check against the CPU, 2 + 3 s)
    JMH_ARGS=(-f 1 -wi 2 -w 1s -i 3 -r 1s -p n=1024,4096 -p "backend=$DEVICE,cpu")
  fi
  run jmh 3600 "$OUT/jmh-cl.txt" "${JSIG[@]}" "$JAVA" "${JOPTS[@]}" "${JMH_LOCK[@]}" -cp "$KIT/bench/benchmarks.jar:$KIT/lib/*" org.openjdk.jmh.Main \
    'org.deephash4j.bench.Cl.*Benchmark' "${JMH_ARGS[@]}" -p "device=$DEVICE" -rf json -rff "$OUT/jmh-cl.json"
  record jmh "$LAST_RC" "$LAST_SECONDS" jmh-cl.txt jmh-cl.json
fi

# ---------------------------------------------------------------- a short training run
if want train; then
  if [ "$SMOKE" = 1 ]; then
    TRAIN_ARGS=(--epochs 1 --train-per-class 20 --queries-per-class 10)   # 2 steps; no evaluation (minutes on PoCL)
  else
    TRAIN_ARGS=(--epochs 3 --eval)
  fi
  run train 3600 "$OUT/train.txt" "${DEEPHASH[@]}" train --embedded --device "$DEVICE" --method HashNet --bits 48 \
    "${TRAIN_ARGS[@]}" --out "$OUT/train/hashnet-48.safetensors"
  record train "$LAST_RC" "$LAST_SECONDS" train.txt train/hashnet-48.safetensors
fi

# ---------------------------------------------------------------- the PyTorch peer
if want torch; then
  PYTHON=""
  for p in ${PYTHON_FOR_PEER:-} python3 /usr/bin/python3; do   # the first python3 that has torch
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch' >/dev/null 2>&1; then PYTHON="$p"; break; fi
  done
  if [ -n "$PYTHON" ]; then
    PEER_ARGS=()
    [ "$SMOKE" = 1 ] && PEER_ARGS+=(--smoke)
    echo "run-kit: torch_cuda ..." >&2
    t0=$SECONDS
    timeout --kill-after=30 1800 "$PYTHON" "$KIT/peers/torch_cuda.py" "${PEER_ARGS[@]}" > "$OUT/torch_cuda.jsonl" \
      2> "$OUT/torch_cuda.log"
    record torch_cuda $? $((SECONDS - t0)) torch_cuda.jsonl torch_cuda.log
  else
    echo "no python3 with torch on this machine (tried ${PYTHON_FOR_PEER:-} python3 /usr/bin/python3)" > "$OUT/torch_cuda.log"
    record torch_cuda skip 0 torch_cuda.log
  fi
fi

echo "steps: $RAN run, $FAILED failed, $SKIPPED skipped; $((SECONDS - START)) s in all" >> "$SUMMARY"
cat "$SUMMARY" >&2
[ "$FAILED" = 0 ]
