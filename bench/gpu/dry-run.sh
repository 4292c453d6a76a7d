#!/usr/bin/env bash
# dry-run.sh [OUT_DIR]: the GPU kit's dry run on a machine without a GPU. Builds the kit
# (build-kit.sh), runs .gpu/run-kit.sh --smoke with the kit's own Java runtime against the OpenCL
# device here (PoCL in CI), then checks that every output the GPU run must produce exists and says
# what it should: the doctor passed on the CPU and on an OpenCL device, the OpenCL test suite found
# tests and none failed, the JMH JSON holds every Cl* benchmark, training wrote its checkpoint, the
# PyTorch peer printed its figures (where a python3 with torch exists), and the runtime has no
# java.desktop. Exit 0 when all hold. Needs what build-kit.sh needs, and an OpenCL platform.
# About 5 minutes on this project's 2-core build machine while others were building (see README.md).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$(mktemp -d /tmp/deephash-kit-dry-run.XXXXXX)}"
PROBLEMS=0
bad() { echo "dry-run: FAILED: $*" >&2; PROBLEMS=$((PROBLEMS + 1)); }

"$ROOT/bench/gpu/build-kit.sh" || { echo "dry-run: build-kit.sh failed" >&2; exit 1; }
"$ROOT/.gpu/run-kit.sh" "$OUT" --smoke || echo "dry-run: run-kit.sh reported failed steps; checking the outputs" >&2

for f in summary.txt machine.txt opencl-setup.txt devices.txt devices-clinfo.txt doctor.txt doctor.json doctor.log \
         opencl-tests.txt jmh-cl.txt jmh-cl.json train.txt train/hashnet-48.safetensors; do
  [ -s "$OUT/$f" ] || bad "$OUT/$f is missing or empty"
done
grep -q ' FAILED ' "$OUT/summary.txt" && bad "a step failed: $(grep ' FAILED ' "$OUT/summary.txt" | tr -s ' ' | tr '\n' ';')"

grep -q '^deephash doctor: PASSED' "$OUT/doctor.txt" || bad "the doctor did not pass (doctor.txt)"
head -n 3 "$OUT/doctor.json" | grep -q '"passed": true' || bad "doctor.json does not say passed"
grep -q '"backend": "cpu"' "$OUT/doctor.json" || bad "doctor.json has no CPU device"
grep -q '"backend": "opencl:0"' "$OUT/doctor.json" || bad "doctor.json has no OpenCL device"
grep -q '"path": "train step' "$OUT/doctor.json" || bad "doctor.json has no timings"

found="$(sed -n 's/^\[ *\([0-9]*\) tests found.*/\1/p' "$OUT/opencl-tests.txt")"
ok="$(sed -n 's/^\[ *\([0-9]*\) tests successful.*/\1/p' "$OUT/opencl-tests.txt")"
[ -n "$found" ] && [ "$found" -gt 0 ] && [ "$found" = "$ok" ] || bad "OpenCL tests: ${found:-?} found, ${ok:-?} successful"

for b in ClGemmBenchmark ClConv2dBenchmark ClPool2dBenchmark ClHammingBenchmark ClTrainStepBenchmark; do
  grep -q "\"org.deephash4j.bench.$b\." "$OUT/jmh-cl.json" || bad "jmh-cl.json has no $b"
done
grep -q '^trained in' "$OUT/train.txt" || bad "train.txt does not end with 'trained in'"

have_torch=0
for p in python3 /usr/bin/python3; do
  command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch' >/dev/null 2>&1 && have_torch=1
done
if [ "$have_torch" = 1 ]; then
  for fig in '"figure": "device"' '"figure": "gemm"' '"figure": "train_step"' '"figure": "infer"'; do
    grep -q "$fig" "$OUT/torch_cuda.jsonl" 2>/dev/null || bad "torch_cuda.jsonl has no $fig line"
  done
else
  [ -s "$OUT/torch_cuda.log" ] || bad "no python3 with torch here, but torch_cuda.log does not say so"
fi

"$ROOT/.gpu/jre/bin/java" --list-modules | grep -q '^java.desktop' && bad "the kit's runtime contains java.desktop"

if [ "$PROBLEMS" = 0 ]; then
  echo "dry-run: passed; outputs in $OUT" >&2
else
  echo "dry-run: $PROBLEMS problem(s); outputs in $OUT" >&2
  exit 1
fi
