#!/usr/bin/env bash
# A student's first minutes, timed, for two commits side by side in one run (the machines of a
# kind differ up to 3x: compare only figures taken together). For each commit it makes the
# students' handout (scripts/make-student-copy.sh --rev), configures it (`cmake --preset
# student`), and times, as a student meets them:
#   first 01    `course check 01_tensors` on the fresh build: the runner, LibTorch's precompiled
#               header, the common library and 01's checks are built, then the checks run;
#   homework    then `course check homework`: its first feedback;
#   edit 01     an edit of the stub (touch), then `course check 01_tensors` again: the median of 5.
# Run it on an idle machine (load average under 1; nothing else building); the load average is
# printed with each figure.
#
#   bench/first_hour.sh [BEFORE [AFTER]]    # defaults: afc125d (before the split) and HEAD
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=${1:-afc125d}
after=${2:-HEAD}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }
seconds() {  # seconds COMMAND...: wall time of COMMAND, whatever its exit status
  local start end
  start=$(date +%s.%N)
  "$@" >>"$work/log" 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { tr ' ' '\n' | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

declare -A figures
for rev in "$before" "$after"; do
  copy="$work/$rev"
  bash "$root/scripts/make-student-copy.sh" --rev "$rev" "$copy" >/dev/null 2>&1
  cd "$copy"
  export PATH="$copy/tools/course/bin:$PATH"
  figures[$rev,configure]="$(seconds cmake --preset student) s (load $(load))"
  figures[$rev,first]="$(seconds course check 01_tensors) s (load $(load) before)"
  figures[$rev,homework]="$(seconds course check homework) s (load $(load) before)"
  edits=()
  for _ in 1 2 3 4 5; do
    touch exercises/01_tensors/tensors.cpp
    edits+=("$(seconds course check 01_tensors)")
  done
  figures[$rev,edit]="$(echo "${edits[*]}" | median) s (of ${edits[*]}; load $(load))"
  cd "$root"
done

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
for rev in "$before" "$after"; do
  echo "$rev ($(git -C "$root" rev-parse --short "$rev")):"
  echo "  cmake --preset student        ${figures[$rev,configure]}"
  echo "  first feedback of 01          ${figures[$rev,first]}"
  echo "  then the homework's first     ${figures[$rev,homework]}"
  echo "  edit -> check of 01 (median)  ${figures[$rev,edit]}"
done
