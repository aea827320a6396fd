#!/usr/bin/env bash
# A student who works in Spanish reads Spanish: with COURSE_LANG=es, what a student runs prints
# no line of English prose (tests/course/english_lines.py; code, identifiers, paths, flags and
# LibTorch's own quoted words aside):
#   - each lesson (the solutions', every section) and its --help, a bad flag, a missing data set;
#   - each lesson's Python twin (exercises/*/main.py), its --help and a bad value;
#   - the homework for one epoch, its --help, and data_info;
#   - the runner in a handout of the last commit: course --help, list, progress, hints, a bad
#     name, `course run --side-by-side` and `--python`, and `course check` of every exercise and
#     the homework on the untouched stubs,
#     compiled in GRADING_TREE (the honesty audit's tree of stubs);
#   - one catalogued mistake per exercise and the homework, and a compile mistake, built as the
#     stub in that tree: what the student reads of each (course_audit mistakes --show);
# And the detector itself is proved: the same runs in English give it English lines to find.
#
#   tests/course/spanish_test.sh ROOT BIN_DIR GRADING_TREE
set -uo pipefail
root=$(cd "$1" && pwd)
bin=$(cd "$2" && pwd)
tree=$(cd "$3" && pwd)
detector=(python3 "$root/tests/course/english_lines.py")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1 CI=true

english_lines=0
problems=0
# read LABEL COMMAND...: runs COMMAND in Spanish; every English line is a problem.
read_spanish() {
  local label=$1
  shift
  COURSE_LANG=es "$@" >"$work/$label.es" 2>&1 </dev/null
  if ! "${detector[@]}" --label "$label" <"$work/$label.es"; then
    problems=$((problems + 1))
  fi
}
# read_english LABEL COMMAND...: the same run in English, whose English lines are counted.
read_english() {
  local label=$1
  shift
  COURSE_LANG=en "$@" >"$work/$label.en" 2>&1 </dev/null
  local found
  found=$("${detector[@]}" --label "$label" <"$work/$label.en" | wc -l)
  english_lines=$((english_lines + found))
}
both() {
  read_spanish "$@"
  read_english "$@"
}

# The lessons.
for lesson in "$bin"/ex0*; do
  name=$(basename "$lesson")
  both "$name" "$lesson" --threads 1
  both "$name.help" "$lesson" --help
done
both lesson.bad_flag "$bin/ex01_tensors" --epochs 3
both lesson.no_data "$bin/ex04_training_loop" --data-dir "$work/nowhere"

# The lessons' Python twins and their --help and a bad flag (argparse's own words through the
# same catalogue, the build's).
export COURSE_CATALOGUE="$bin/../common/es.mo"
python=${COURSE_PYTHON:-/usr/bin/python3}
for twin in "$root"/exercises/*/main.py; do
  name=$(basename "$(dirname "$twin")")
  extra=()
  [ "$name" = 06_torchscript ] && extra=(--model-dir "$bin/../exercises/06_torchscript")
  both "twin.$name" "$python" "$twin" "${extra[@]}"
done
both twin.help "$python" "$root/exercises/01_tensors/main.py" --help
both twin.bad_value "$python" "$root/exercises/01_tensors/main.py" --seed x

# The homework and data_info.
both homework.epoch "$bin/homework" --max-epochs 1 --threads 1
both homework.help "$bin/homework" --help
both homework.bad_value "$bin/homework" --patience -1
both data_info "$bin/data_info"

# The runner, in a handout, on the stubs compiled in the honesty audit's tree.
bash "$root/scripts/make-student-copy.sh" --no-git "$work/handout" >/dev/null 2>&1 ||
  { echo "FAIL: scripts/make-student-copy.sh did not make a handout"; exit 1; }
course=("$bin/course" --build-dir "$tree")
cd "$work/handout"
both course.help "${course[@]}" --help
both course.check_help "${course[@]}" check --help
both course.list "${course[@]}" list
both course.hint "${course[@]}" hint 01_tensors 1
both course.hint_bad "${course[@]}" hint 99_nothing
both course.bad_command "${course[@]}" frobnicate
exercises=$(python3 -c 'import json; print(" ".join(e["name"] for e in json.load(open("course.json"))["exercises"]))')
for exercise in $exercises; do
  both "check.$exercise" "${course[@]}" check "$exercise"
done
both course.progress "${course[@]}" progress
# A lesson beside its Python twin (the stub's sections differ: they print TODO), and the twin.
both course.side_by_side "${course[@]}" run 01_tensors --side-by-side
both course.python "${course[@]}" run 02_autograd --python
for language in es en; do
  mark=$([ $language = es ] && echo DIFIEREN || echo DIFFER)
  if ! grep -q "== 1\. .* == \[$mark\]" "$work/course.side_by_side.$language"; then
    echo "FAIL: course run 01_tensors --side-by-side ($language) marks no section [$mark]:"
    cat "$work/course.side_by_side.$language"
    problems=$((problems + 1))
  fi
done
cd "$root"

# One catalogued mistake per exercise (and a compile mistake), built as the stub in the same
# tree: what the student reads of each (the audit's "    | " lines).
mistakes=(01_tensors/not_in_place 02_autograd/gradient_never_zeroed 03_mlp/relu_forgotten
  03_mlp/compile_holder_without_nullptr 04_training_loop/zero_grad_forgotten
  05_dataloader/mean_and_std_swapped 06_torchscript/eval_forgotten
  06_torchscript/compile_tensor_for_ivalues homework/best_weights_not_restored)
show_mistakes() {
  local entries=()
  for entry in "${mistakes[@]}"; do entries+=(--entry "$entry"); done
  "$bin/course_audit" mistakes --root "$root" --build-dir "$tree" --no-build --jobs 2 --show \
    "${entries[@]}" >"$work/mistakes.audit.$COURSE_LANG" 2>&1
  sed -n 's/^    | //p' "$work/mistakes.audit.$COURSE_LANG"
}
both mistakes show_mistakes
for language in es en; do
  if ! grep -q "^mistakes: ${#mistakes[@]} catalogue entries caught" "$work/mistakes.audit.$language" ||
    [ "$(wc -l <"$work/mistakes.es")" -lt "${#mistakes[@]}" ]; then
    echo "FAIL: course_audit mistakes --show ($language) did not show every entry caught:"
    cat "$work/mistakes.audit.$language"
    problems=$((problems + 1))
  fi
done

# The detector finds English where there is some: at least one line per run on average.
runs=$(ls "$work"/*.en | wc -l)
if [ "$english_lines" -lt "$runs" ]; then
  echo "FAIL: the same runs in English gave only $english_lines English line(s) in $runs runs:" \
    "tests/course/english_lines.py misses English"
  problems=$((problems + 1))
fi
if [ "$problems" -gt 0 ]; then
  echo "spanish: $problems run(s) print English to a student who reads Spanish"
  exit 1
fi
echo "spanish: $runs runs, every line Spanish (and $english_lines English lines found in English)"
