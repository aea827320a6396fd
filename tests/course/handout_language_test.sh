#!/usr/bin/env bash
# The handout in one language: scripts/make-student-copy.sh --lang en|es of this checkout's last
# commit holds every stub and header (course.json's files and the header beside each) with its
# comments in that language only (scripts/stub-comments.py show LANG of the committed file), in
# its first commit, which `course reset` restores stubs from; and a bad --lang is refused.
#
#   tests/course/handout_language_test.sh ROOT
set -euo pipefail
root=$(cd "$1" && pwd)
git -C "$root" rev-parse --verify --quiet HEAD >/dev/null ||
  { echo "FAIL: $root is not a git checkout with a commit: the handout is made from one"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
filter=(python3 "$root/scripts/stub-comments.py")

problems=0
fail() {
  echo "FAIL: $*"
  problems=$((problems + 1))
}

for lang in en es; do
  copy=$work/handout-$lang
  bash "$root/scripts/make-student-copy.sh" --lang "$lang" "$copy" >"$work/$lang.log" 2>&1 ||
    { fail "make-student-copy.sh --lang $lang failed:"; cat "$work/$lang.log"; continue; }
  files=$(cd "$copy" && python3 -c '
import json, os
for e in json.load(open("course.json"))["exercises"]:
    folder = e.get("folder", "exercises/" + e["name"])
    for name in e["files"]:
        for f in (name, os.path.splitext(name)[0] + ".h"):
            if os.path.isfile(os.path.join(folder, f)):
                print(os.path.join(folder, f))')
  [ -n "$files" ] || fail "--lang $lang: the copy's course.json names no stub"
  for file in $files; do
    git -C "$root" show "HEAD:$file" >"$work/committed"
    "${filter[@]}" show "$lang" "$work/committed" >"$work/expected"
    cmp -s "$work/expected" "$copy/$file" ||
      fail "--lang $lang: $file is not the committed file's $lang comments"
    grep -q '// (es)' "$copy/$file" && fail "--lang $lang: $file keeps a \"// (es)\" marker"
    [ -z "$(git -C "$copy" status --porcelain -- "$file")" ] ||
      fail "--lang $lang: $file differs from the copy's first commit (course reset restores that)"
  done
  echo "--lang $lang: $(echo "$files" | wc -l) stubs and headers in one language, as committed"
done

if bash "$root/scripts/make-student-copy.sh" --lang fr "$work/handout-fr" >"$work/fr.log" 2>&1; then
  fail "make-student-copy.sh --lang fr made a copy: only en and es exist"
fi

if [ "$problems" -gt 0 ]; then
  echo "handout_language: $problems problem(s)"
  exit 1
fi
echo "handout_language: the handout keeps the stubs' comments in the language asked for"
