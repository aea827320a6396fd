#!/usr/bin/env bash
# The honesty proof by hand, as ctest runs it (test course.honesty, label honesty): builds every
# untouched stub in a tree of its own and requires that every single check of every exercise
# and of the homework fails on it (read per check from GoogleTest's JSON report).
#   scripts/honesty.sh                       # all exercises and the homework
#   scripts/honesty.sh --only 02_autograd    # just one (any course_audit honesty option)
# course_audit is built in build/solutions (COURSE_SOLUTIONS_BUILD changes it, configured with
# the solutions preset when missing); the stub tree is <that>/honesty-student (HONESTY_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools=${COURSE_SOLUTIONS_BUILD:-build/solutions}
tree=${HONESTY_BUILD_DIR:-$tools/honesty-student}

command -v cmake >/dev/null || {
  echo "honesty.sh: error: cmake is not installed: run \`scripts/install-deps.sh\`" >&2
  exit 1
}
if [ ! -f "$tools/CMakeCache.txt" ]; then
  cmake --preset solutions -B "$tools" >/dev/null
fi
cmake --build "$tools" --target course_audit >/dev/null
exec "$tools/bin/course_audit" honesty --root "$root" --build-dir "$tree" \
  --generator Ninja --cache-arg=-DCMAKE_BUILD_TYPE=Release "$@"
