#!/usr/bin/env bash
# Builds and checks the whole suite against the LibTorch 2.x of an installed PyTorch (with CUDA),
# on a machine without a package registry. Run scripts/device-deps.sh first, where apt works, and
# bring .device/ along. Logs go to $OUT (default build/device-logs).
#   OUT=/tmp/logs scripts/device-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-build/device-logs}
mkdir -p "$out"
root=${COURSE_DEVICE_ROOT:-$PWD/.device/root}  # what scripts/device-deps.sh gathered
[ -d "$root" ] || { echo "device-check.sh: error: no .device/root; run scripts/device-deps.sh first" >&2; exit 1; }
lib=$root/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export FASHION_MNIST_DIR=$root/usr/share/datasets/fashion-mnist
python=${PYTHON:-python3}
torch_prefix=$($python -c 'import torch; print(torch.utils.cmake_prefix_path)')
zlib=$(ls /usr/lib/x86_64-linux-gnu/libz.so.1 /lib/x86_64-linux-gnu/libz.so.1 2>/dev/null | head -1 || true)
[ -n "$zlib" ] || zlib=$lib/libz.a

{
  echo "== machine"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  $python -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
  nproc
} 2>&1 | tee "$out/machine.log"

echo "== configure + build (LibTorch from $torch_prefix)"
start=$(date +%s)
cmake -S . -B build/device -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$torch_prefix;$root/usr" -DZLIB_INCLUDE_DIR="$root/usr/include" \
  -DZLIB_LIBRARY="$zlib" -DCOURSE_BUILD_BENCHMARKS=OFF >"$out/configure.log" 2>&1 ||
  { tail -30 "$out/configure.log"; exit 1; }
if ! cmake --build build/device -j "$(nproc)" >"$out/build.log" 2>&1; then
  grep -E "error" "$out/build.log" | head -20
  exit 1
fi
grep -E "warning" "$out/build.log" | head -20 || true
echo "build: $(( $(date +%s) - start )) s; warnings in our code: $(grep -c 'warning:' "$out/build.log" || true)"

echo "== ctest on CUDA (COURSE_TEST_DEVICE=cuda; the stub and reference audits are left to CI)"
COURSE_TEST_DEVICE=cuda ctest --test-dir build/device -j 8 -LE "${CTEST_EXCLUDE:-honesty|reference}" --output-on-failure \
  --timeout 600 2>&1 | tee "$out/ctest.log" | tail -25

bin=build/device/bin
echo "== device selection"
$bin/data_info --device auto 2>&1 | head -3 | tee "$out/auto.log"

echo "== homework on the GPU and the CPU of this machine"
IFS=, read -r -a runs <<<"${HOMEWORK_RUNS:-cuda/32,cuda/256,cpu/32,cpu/256}"  # device/batch
for run in "${runs[@]}"; do
  device=${run%/*} batch=${run#*/}
  extra=()
  [ "$device" = cpu ] && extra=(--max-epochs 2)  # per-epoch time is what we compare there
  $bin/homework --device "$device" --batch-size "$batch" --seed 42 --quiet \
    --metrics "$out/homework-$device-$batch.json" "${extra[@]}" 2>&1 | tail -3 |
    sed "s/^/[$device batch $batch] /" | tee -a "$out/homework.log"
done

echo "== DataLoader exercise on CUDA (pinned memory, non-blocking copies)"
$bin/ex05_dataloader --device cuda 2>&1 | tail -15 | tee "$out/ex05.log"
