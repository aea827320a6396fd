#!/usr/bin/env bash
# The handout works for a student: scripts/make-student-copy.sh makes a copy of this checkout's
# last commit, and in it
#   - what a student reads (the READMEs) mentions no preset, build folder, link or course file
#     that the copy does not have, and nothing of the solutions, the audits or the grading;
#   - the README's quick start runs as written (all but `scripts/install-deps.sh`, already
#     done on this machine, and `course check`, which would build LibTorch's precompiled header:
#     `course check --help` stands for it).
#
#   tests/course/handout_test.sh ROOT
set -euo pipefail
root=$(cd "$1" && pwd)
git -C "$root" rev-parse --verify --quiet HEAD >/dev/null ||
  { echo "FAIL: $root is not a git checkout with a commit: the handout is made from one"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
copy=$work/handout
bash "$root/scripts/make-student-copy.sh" "$copy" >/dev/null
cd "$copy"

problems=0
fail() {
  echo "FAIL: $*"
  problems=$((problems + 1))
}

presets=" $(python3 -c '
import json
presets = json.load(open("CMakePresets.json"))
print(" ".join(p["name"] for kind in ("configurePresets", "buildPresets", "testPresets",
                                      "workflowPresets") for p in presets.get(kind, [])))') "
top_level=" $(ls -A | tr '\n' ' ') "

read_by_students=(README*.md exercises/*/README*.md homework/README*.md data/README*.md)
for file in "${read_by_students[@]}"; do
  [ -f "$file" ] || continue
  folder=$(dirname "$file")
  grep -q 'instructors -->' "$file" && fail "$file keeps an instructors' marker"
  grep -n 'build/solutions\|solution/\|tests/mistakes\|\.ci/\|course grade\|course_audit' "$file" |
    while IFS= read -r line; do echo "FAIL: $file:$line: instructors' material in the handout"; done |
    grep . && problems=$((problems + 1))
  for preset in $(grep -o -- '--preset [A-Za-z0-9_-]*' "$file" | awk '{print $2}' | sort -u); do
    [[ $presets == *" $preset "* ]] || fail "$file mentions the preset '$preset': the copy has only$presets"
  done
  for build in $(grep -o 'build/[A-Za-z0-9_-]*' "$file" | sort -u); do
    [ "$build" = build/student ] || fail "$file mentions $build: the copy builds build/student"
  done
  for link in $(grep -o '](\([^)]*\))' "$file" | sed 's/^](//; s/)$//; s/#.*//' | grep -v '^http' | sort -u); do
    [ -z "$link" ] || [ -e "$folder/$link" ] || fail "$file links to $link: not in the copy"
  done
  for path in $(grep -o '`[A-Za-z0-9_.-]*/[A-Za-z0-9_./-]*`' "$file" | tr -d '`' | sort -u); do
    first=${path%%/*}
    [[ $top_level == *" $first "* ]] || continue  # a path of the course, not an output file
    [ "$first" = build ] && continue               # made by the build
    [[ $path == data/fashion-mnist* ]] && continue # where data/download.sh puts the data set
    [ -e "${path%/}" ] || fail "$file names $path: not in the copy"
  done
done

# The quick start, as written.
commands=$(awk '/^## Quick start/ {on = 1} on && /^```sh/ {block = 1; next} block && /^```/ {exit}
                block {print}' README.md)
[ -n "$commands" ] || fail "README.md has no sh block under '## Quick start'"
script=""
while IFS= read -r line; do
  line=${line%%#*}
  line=$(echo "$line" | sed 's/[[:space:]]*$//')
  [ -n "$line" ] || continue
  case $line in
    sudo\ * | scripts/install-deps.sh*) echo "skipped (done on this machine): $line"; continue ;;
    "course check") line="course check --help >/dev/null" ;;
  esac
  script+="echo '+ $line'; $line"$'\n'
done <<<"$commands"
if ! bash -euo pipefail -c "$script" >"$work/quickstart.log" 2>&1; then
  fail "the quick start does not run as written:"
  tail -30 "$work/quickstart.log"
fi
grep -q '01_tensors' "$work/quickstart.log" || fail "course list did not list the exercises:
$(tail -20 "$work/quickstart.log")"

if [ "$problems" -gt 0 ]; then
  echo "handout: $problems problem(s)"
  exit 1
fi
echo "handout: the copy's READMEs name only what it has, and its quick start runs:"
sed 's/^/  /' "$work/quickstart.log" | grep '^  + '
