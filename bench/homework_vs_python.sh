#!/usr/bin/env bash
# The homework in C++ and the same model in PyTorch-Python, on this machine, in the same run:
# seconds per epoch (batch 32), the GEMM-bound limit of an epoch, the whole homework with early
# stopping, and the C++/Python ratios. Not part of ctest (it takes a few minutes).
#
#   bench/homework_vs_python.sh                    # 3 timed epochs each, then the whole homework
#   bench/homework_vs_python.sh --epochs 5 --threads 2 --no-full
#   BUILD=build/solutions PYTHON=/usr/bin/python3 bench/homework_vs_python.sh
#
# Needs: the solutions build (cmake --build --preset solutions --target homework
# bench_homework_step) and Debian's python3-torch (/usr/bin/python3: the same LibTorch 1.13).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build/solutions}
python=${PYTHON:-/usr/bin/python3}
epochs=3
threads=1
full=1
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --no-full) full=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "homework_vs_python.sh: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for binary in homework bench_homework_step; do
  if [ ! -x "$build/bin/$binary" ]; then
    echo "homework_vs_python.sh: error: $build/bin/$binary is missing: run \`cmake --build" \
         "--preset solutions --target homework bench_homework_step\`" >&2
    exit 1
  fi
done
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "homework_vs_python.sh: error: $python has no torch: install python3-torch" \
       "(scripts/install-deps.sh) or set PYTHON" >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== machine"
echo "cpu: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "blas: libblas.so.3 -> $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo '?')"
echo "      the homework loads: $(ldd "$build/bin/homework" | awk '/blas|lapack|gomp|omp/ {print $1}' | sort -u | tr '\n' ' ')"
echo "threads: --threads $threads (LibTorch intra-op, and OpenBLAS through OpenMP);" \
     "OMP_NUM_THREADS=${OMP_NUM_THREADS:-unset} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-unset}"
echo "python: $("$python" -c 'import torch, sys; print(sys.version.split()[0], "torch", torch.__version__)')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== $epochs epochs each, batch 32, seed 42, $threads thread(s)"
echo "-- C++ homework (in-memory batches by index, the solution's torch::optim::Adam)"
"$build/bin/homework" --max-epochs "$epochs" --patience "$epochs" --threads "$threads" \
  --metrics "$out/cpp.json" > "$out/cpp.txt"
grep -E '^epoch' "$out/cpp.txt"
echo "-- Python, DataLoader(TensorDataset, shuffle=True)"
"$python" "$root/bench/homework.py" --loader dataloader --epochs "$epochs" --threads "$threads" \
  > "$out/py_dataloader.txt"
grep -E '^epoch' "$out/py_dataloader.txt"
echo "-- Python, in-memory batches by index"
"$python" "$root/bench/homework.py" --loader memory --epochs "$epochs" --threads "$threads" \
  > "$out/py_memory.txt"
grep -E '^epoch' "$out/py_memory.txt"
echo "-- the matrix products of one epoch alone (GEMM-bound limit)"
"$build/bin/bench_homework_step" --benchmark_filter="GemmsOfOneStep/batch:32/threads:$threads/" \
  --benchmark_repetitions=3 --benchmark_format=json > "$out/gemm.json" 2>/dev/null

if [ "$full" = 1 ]; then
  echo
  echo "== the whole homework (early stopping, patience 5)"
  "$build/bin/homework" --threads "$threads" --metrics "$out/cpp_full.json" > "$out/cpp_full.txt"
  tail -1 "$out/cpp_full.txt"
  "$python" "$root/bench/homework.py" --loader memory --threads "$threads" > "$out/py_full.txt"
  grep RESULT "$out/py_full.txt" | sed 's/^RESULT //' > "$out/py_full.json"
  "$python" "$root/bench/homework.py" --loader dataloader --threads "$threads" > "$out/py_full_dl.txt"
  grep RESULT "$out/py_full_dl.txt" | sed 's/^RESULT //' > "$out/py_full_dl.json"
fi

grep RESULT "$out/py_dataloader.txt" | sed 's/^RESULT //' > "$out/py_dataloader.json"
grep RESULT "$out/py_memory.txt" | sed 's/^RESULT //' > "$out/py_memory.json"
echo
"$python" - "$out" "$full" <<'EOF'
import json, statistics, sys
out, full = sys.argv[1], sys.argv[2] == "1"
load = lambda name: json.load(open(f"{out}/{name}"))
EPOCH_GFLOP = 64.6  # 55000 x 1,126,800 FLOP (train) + 5000 x 532,000 (validation)

def per_epoch(history):
    seconds = [h["seconds"] for h in history]
    return statistics.median(seconds), seconds

cpp, _ = per_epoch(load("cpp.json")["history"])
dataloader, _ = per_epoch(load("py_dataloader.json")["history"])
memory, _ = per_epoch(load("py_memory.json")["history"])
gemm_runs = [b for b in load("gemm.json")["benchmarks"] if b.get("run_type") == "iteration"]
gemm = statistics.median(b["epoch_s"] for b in gemm_runs)
print("== summary (median seconds per epoch, training + validation)")
print(f"C++ homework                 {cpp:6.3f} s   {EPOCH_GFLOP / cpp:5.1f} GFLOP/s")
print(f"Python DataLoader            {dataloader:6.3f} s")
print(f"Python in-memory             {memory:6.3f} s")
print(f"GEMM-bound limit             {gemm:6.3f} s   {EPOCH_GFLOP / gemm:5.1f} GFLOP/s (products only)")
print(f"C++ / Python DataLoader      {cpp / dataloader:6.2f}   (target <= 0.70)")
print(f"C++ / Python in-memory       {cpp / memory:6.2f}")
print(f"C++ / GEMM-bound limit       {cpp / gemm:6.2f}")
if full:
    c, p, d = load("cpp_full.json"), load("py_full.json"), load("py_full_dl.json")
    print(f"whole homework, C++          {c['seconds']:6.1f} s  {c['epochs']} epochs, "
          f"test accuracy {c['test_accuracy']:.4f}  (target < 20 s)")
    print(f"whole homework, Python mem.  {p['seconds']:6.1f} s  {p['epochs']} epochs, "
          f"test accuracy {p['test_accuracy']:.4f}")
    print(f"whole homework, Python DL    {d['seconds']:6.1f} s  {d['epochs']} epochs, "
          f"test accuracy {d['test_accuracy']:.4f}")
    print(f"C++ / Python (whole, DL)     {c['seconds'] / d['seconds']:6.2f}")
EOF
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
