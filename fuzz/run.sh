#!/usr/bin/env bash
# Builds the IDX parser's fuzzer (clang, ASan + UBSan) and fuzzes it.
#   fuzz/run.sh                    # 1,000,000 executions (a few minutes on one core)
#   fuzz/run.sh -runs=10000000     # any libFuzzer flags replace the default -runs
#   fuzz/run.sh -max_total_time=3600
# New interesting inputs collect in build/fuzz/corpus/ (not committed); crashes are written to
# build/fuzz/findings/ (FUZZ_BUILD_DIR moves both). See fuzz/README.md for turning findings into
# regression inputs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build/fuzz}"
compiler="${FUZZ_CXX:-clang++-14}"  # FUZZ_CXX=clang++-15 etc.
if ! command -v "$compiler" >/dev/null; then
  echo "fuzz/run.sh: error: $compiler not found; install clang-14 and libclang-rt-14-dev" >&2
  exit 1
fi

CXX="$compiler" cmake -S "$root/fuzz" -B "$build" -G Ninja >/dev/null
cmake --build "$build"
mkdir -p "$build/corpus" "$build/findings"

flags=("$@")
[ ${#flags[@]} -eq 0 ] && flags=(-runs=1000000)
# -malloc_limit_mb: the parser may allocate only what the input can hold (a few MiB for inputs
# of libFuzzer's default 4096 bytes), so any allocation above 64 MiB is reported as a bug.
# Inputs start from the committed seeds and regression corpus; only the first directory (the
# working corpus) is written to.
exec "$build/idx_fuzzer" -dict="$root/fuzz/idx.dict" -print_final_stats=1 -malloc_limit_mb=64 \
  -artifact_prefix="$build/findings/" "${flags[@]}" \
  "$build/corpus" "$root/fuzz/seeds" "$root/fuzz/corpus"
