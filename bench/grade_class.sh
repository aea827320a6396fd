#!/usr/bin/env bash
# `course grade` on generated complete submissions: every exercise and the homework solved (the
# reference solutions), each student file with a comment of its own so that every one is
# compiled, nothing cached. Prints each submission's line, the seconds per submission, and
# where they went (compiling and linking, the checks, the homework's training and grade),
# summed over the submissions from their grade.json.
#
#   [BUILD=build/solutions] bench/grade_class.sh [--count N] [--jobs J]   (10 submissions, 1 at a time)
#
# Measure on an idle machine (load average under 1). The grading tree (build/grading) is built
# or brought up to date first, outside the measurement.
set -euo pipefail
count=10
jobs=1
while [ $# -gt 0 ]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: bench/grade_class.sh [--count N] [--jobs J]" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
grade="${BUILD:-$root/build/solutions}/bin/course_grade"  # BUILD: the build holding course_grade
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
bash "$root/scripts/make-student-copy.sh" --no-git "$work/handout" >/dev/null
files=$(python3 -c '
import json
for e in json.load(open("'"$root"'/course.json"))["exercises"]:
    folder = e.get("folder", "exercises/" + e["name"])
    for f in e["files"]: print(folder + "/" + f)')
for i in $(seq "$count"); do
  student=$work/submissions/student$(printf %02d "$i")
  mkdir -p "$(dirname "$student")"
  cp -r "$work/handout" "$student"
  for file in $files; do
    cp "$root/$(dirname "$file")/solution/$(basename "$file")" "$student/$file"
    echo "// submission $i" >>"$student/$file"
  done
done
cd "$root"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$grade" --seed 9137 --out "$work/warmup" "$work/handout" >/dev/null  # builds the tree
start=$(date +%s.%N)
"$grade" --seed 9137 --jobs "$jobs" --out "$work/grades" "$work"/submissions/*
end=$(date +%s.%N)
python3 - "$work/grades" "$count" "$start" "$end" <<'PY'
import json, os, sys
grades, count, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
build = checks = train = 0.0
for student in sorted(os.listdir(grades)):
    path = os.path.join(grades, student, "grade.json")
    if not os.path.isfile(path):
        continue
    for part in json.load(open(path))["parts"]:
        seconds = part.get("seconds", {})
        build += seconds.get("build", 0); checks += seconds.get("checks", 0); train += seconds.get("train", 0)
wall = end - start
total = build + checks + train
print(f"{count} submissions in {wall:.0f} s: {wall / count:.1f} s per submission")
print(f"where it went (summed over submissions): compile + link {build:.0f} s ({100 * build / total:.0f}%), "
      f"checks {checks:.0f} s ({100 * checks / total:.0f}%), homework training + grade {train:.0f} s "
      f"({100 * train / total:.0f}%)")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
