#!/usr/bin/env bash
# Hands out the course without its solutions: DEST becomes a fresh git repository holding the
# committed files of REV (default HEAD) minus every exercise's and the homework's solution/
# folder (the folders listed in course.json), set up so that a plain build and
# `cmake --preset student` both compile the stubs.
#
#   scripts/make-student-copy.sh [--rev REV] [--no-git] [--lang en|es] DEST
#
# --lang en|es: the comments of the stubs and of their headers in that language only (they are
# written in English and in Spanish: scripts/stub-comments.py); without it, in both.
#
# In the copy: COURSE_USE_SOLUTIONS defaults to OFF, the `solutions` presets and the
# instructors' CI (.ci/, which proves the solutions) are gone, every Markdown file is the
# students' version (the <!-- instructors --> parts removed), and `course reset` restores stubs
# from the copy's first commit. Uncommitted changes of this checkout are NOT included.
set -euo pipefail

usage() {
  echo "usage: scripts/make-student-copy.sh [--rev REV] [--no-git] [--lang en|es] DEST" >&2
  exit 2
}
fail() {
  echo "make-student-copy.sh: error: $*" >&2
  exit 1
}

rev=HEAD
init_git=1
lang=
dest=
while [ $# -gt 0 ]; do
  case $1 in
    --rev) [ $# -ge 2 ] || usage; rev=$2; shift 2 ;;
    --no-git) init_git=0; shift ;;
    --lang) [ $# -ge 2 ] || usage; lang=$2; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$dest" ] || usage; dest=$1; shift ;;
  esac
done
[ -n "$dest" ] || usage
case $lang in
  "" | en | es) ;;
  *) fail "--lang $lang: the comments are written in en and es (or leave --lang out for both)" ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
command -v git >/dev/null || fail "git is not installed"
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3 || true)
[ -n "$python" ] || fail "python3 is needed to read course.json: run \`scripts/install-deps.sh\`"
git -C "$root" rev-parse --verify --quiet "$rev^{commit}" >/dev/null ||
  fail "'$rev' is not a commit of $root"
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  fail "$dest exists and is not empty: choose a new folder"
fi
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  echo "note: this checkout has uncommitted changes; the copy holds $rev as committed" >&2
fi

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
git -C "$root" archive --format=tar "$rev" | tar -x -C "$dest"
[ -f "$dest/course.json" ] || fail "$rev has no course.json"

# Every solution/ folder named by the manifest, then a check that none is left anywhere.
"$python" - "$dest" <<'PY'
import json, os, shutil, sys
dest = sys.argv[1]
with open(os.path.join(dest, "course.json")) as f:
    manifest = json.load(f)
for exercise in manifest["exercises"]:
    folder = exercise.get("folder", "exercises/" + exercise["name"])  # derived from the name
    solution = os.path.join(dest, folder, "solution")
    if os.path.isdir(solution):
        shutil.rmtree(solution)
        print(f"removed {folder}/solution/")
    else:
        print(f"warning: {folder}/solution/ not found", file=sys.stderr)

# The copy has no solutions: drop every configure preset that builds them (COURSE_USE_SOLUTIONS
# ON, set or inherited) and every build, test and workflow preset that uses one of those.
presets_file = os.path.join(dest, "CMakePresets.json")
with open(presets_file) as f:
    presets = json.load(f)
configure = {p["name"]: p for p in presets.get("configurePresets", [])}
def builds_solutions(name, seen=()):
    preset = configure.get(name, {})
    value = str(preset.get("cacheVariables", {}).get("COURSE_USE_SOLUTIONS", "")).upper()
    if value:
        return value in ("ON", "TRUE", "1", "YES")
    parents = preset.get("inherits", [])
    parents = [parents] if isinstance(parents, str) else parents
    return any(builds_solutions(p, seen + (name,)) for p in parents if p not in seen)
dropped = {name for name, p in configure.items() if not p.get("hidden") and builds_solutions(name)}
presets["configurePresets"] = [p for p in presets.get("configurePresets", [])
                               if p["name"] not in dropped]
for kind in ("buildPresets", "testPresets"):
    if kind in presets:
        presets[kind] = [p for p in presets[kind] if p.get("configurePreset") not in dropped]
kept = {p["name"] for kind in ("configurePresets", "buildPresets", "testPresets")
        for p in presets.get(kind, [])}
if "workflowPresets" in presets:
    presets["workflowPresets"] = [w for w in presets["workflowPresets"]
                                  if all(step["name"] in kept for step in w.get("steps", []))]
print("presets removed (they build the solutions): " + ", ".join(sorted(dropped)))
with open(presets_file, "w") as f:
    json.dump(presets, f, indent=2)
    f.write("\n")

# What students read is the students' version: every Markdown file loses the parts between
# <!-- instructors --> and <!-- /instructors --> (solutions, audits, grading, benchmarks).
stripped = 0
for folder, _, files in os.walk(dest):
    for name in files:
        if not name.endswith(".md"):
            continue
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        kept, inside = [], False
        for line in lines:
            if line.strip() == "<!-- instructors -->":
                inside = True
            elif line.strip() == "<!-- /instructors -->":
                inside = False
            elif not inside:
                kept.append(line)
        if inside:
            sys.exit(f"make-student-copy.sh: error: {os.path.relpath(path, dest)}: "
                     "<!-- instructors --> is never closed by <!-- /instructors -->")
        if len(kept) != len(lines):
            text = "\n".join(kept)
            while "\n\n\n" in text:
                text = text.replace("\n\n\n", "\n\n")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            stripped += 1
print(f"instructors' parts removed from {stripped} Markdown file(s)")
PY

# The stubs by default, whichever way the copy is configured.
sed -i 's/^\(option(COURSE_USE_SOLUTIONS "[^"]*"\) ON)/\1 OFF)/' "$dest/CMakeLists.txt"
grep -q '^option(COURSE_USE_SOLUTIONS ".*" OFF)' "$dest/CMakeLists.txt" ||
  fail "could not switch COURSE_USE_SOLUTIONS to OFF in $dest/CMakeLists.txt"
rm -rf "$dest/.ci"
# The catalogue of wrong solutions is written as edits of the solutions: it quotes them.
rm -rf "$dest/tests/mistakes"
# The grading of the real course copies the solutions into its submissions.
rm -f "$dest/tests/course/grade_course_test.cpp"

leftover=$(cd "$dest" && find exercises homework -type d -name solution 2>/dev/null || true)
[ -z "$leftover" ] || fail "solution folders left in the copy: $leftover"

# The stubs' and headers' comments in one language (before the first commit, which `course
# reset` restores from).
if [ -n "$lang" ]; then
  "$python" "$root/scripts/stub-comments.py" keep "$lang" "$dest" ||
    fail "could not keep the $lang comments of the stubs (scripts/stub-comments.py)"
fi

if [ "$init_git" = 1 ]; then
  git -C "$dest" init -q
  git -C "$dest" add -A
  git -C "$dest" -c user.name="libtorch-fundamentals" -c user.email="course@localhost" \
    commit -q -m "Course handout (from $(git -C "$root" rev-parse --short "$rev"))"
fi
echo "student copy ready in $dest (no solutions). Students start with:"
echo "  cd $dest && cmake --preset student && export PATH=\"\$PWD/tools/course/bin:\$PATH\" && course list"
