#!/usr/bin/env bash
# Data-parallel homework on this machine: seconds per epoch with 1 process and with 2 processes
# (--nproc 2, one thread each, so 2 processes do not oversubscribe 2 cores), the gradient
# all-reduce per step inside those runs (flat buffer vs one call per tensor), and the all-reduce
# alone (bench_allreduce). Not part of ctest (a few minutes).
#
#   bench/distributed.sh                  # 3 epochs per run
#   bench/distributed.sh --epochs 5
#   BUILD=build/solutions bench/distributed.sh
#
# Needs the solutions build: cmake --build --preset solutions --target homework bench_allreduce
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build/solutions}
python=${PYTHON:-/usr/bin/python3}
epochs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "distributed.sh: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for binary in homework bench_allreduce; do
  if [ ! -x "$build/bin/$binary" ]; then
    echo "distributed.sh: error: $build/bin/$binary is missing: run \`cmake --build" \
         "--preset solutions --target homework bench_allreduce\`" >&2
    exit 1
  fi
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# One run: its label, then homework flags. Prints seconds per epoch (mean of the epochs after the
# first, which also warms up) and, for several processes, the all-reduce per step.
run() {
  local label=$1; shift
  "$build/bin/homework" --seed 42 --quiet --max-epochs "$epochs" --patience 1000 \
    --metrics "$out/metrics.json" "$@" >/dev/null
  "$python" - "$out/metrics.json" "$label" <<'EOF'
import json, sys
metrics = json.load(open(sys.argv[1]))
seconds = [record["seconds"] for record in metrics["history"]]
steady = seconds[1:] or seconds
line = f"{sys.argv[2]:<44} {sum(steady) / len(steady):6.2f} s per epoch  (epochs: " + \
       ", ".join(f"{s:.2f}" for s in seconds) + ")"
distributed = metrics.get("distributed", {})
if distributed.get("world_size", 1) > 1:
    line += (f"  all-reduce {distributed['allreduce_ms_per_step']:.3f} ms/step"
             f" x {distributed['steps'] // len(seconds)} steps/epoch")
print(line)
EOF
}
run "1 process, 1 thread" --threads 1
run "1 process, 2 threads" --threads 2
run "2 processes x 1 thread, flat all-reduce" --nproc 2 --threads 1
run "2 processes x 1 thread, per-parameter" --nproc 2 --threads 1 --allreduce per-parameter
run "2 processes x 1 thread, batch 16 per rank" --nproc 2 --threads 1 --batch-size 16
echo
echo "all-reduce alone (266610 gradient floats + 1 flag, 2 ranks on loopback):"
"$build/bin/bench_allreduce" --nproc 2 --steps 1000
