// The catalogue of classic mistakes (tests/mistakes/<exercise>/<name>.mistake), and the audit
// that proves the checks catch each one: every entry is the reference solution with ONE realistic
// mistake; built as the stub, at least one check must fail, and the first failing check's message
// must name the mistake (what went wrong and which hint to read), as `course check` shows it.
//
// A catalogue entry is a small text file:
//
//   mistake: train_step never calls optimizer.zero_grad(): stale gradients add up
//   message: zero_grad
//   message: hint 2
//   --- find
//     optimizer.zero_grad();
//   --- replace
//   --- end
//
// `mistake:` is the one-line description; each `message:` is a phrase the first failing check's
// message must contain (case does not matter); each find/replace pair is an edit of the
// exercise's solution file (`file:` names it when the exercise has several), where the `find`
// text must occur exactly once. Lines starting with '#' outside a block are comments.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "course_tool/audit.h"
#include "course_tool/checks.h"
#include "course_tool/manifest.h"

namespace course::tool {

struct MistakeEdit {
  std::string find;
  std::string replace;
};

struct Mistake {
  std::string exercise;              // the folder name under tests/mistakes: "04_training_loop"
  std::string name;                  // the file name without .mistake: "no_zero_grad"
  std::string description;           // the `mistake:` line
  std::string file;                  // the solution file it edits (empty: the exercise's only one)
  std::vector<std::string> message;  // phrases the first failing check's message must contain
  std::vector<MistakeEdit> edits;
};

// Parses one catalogue entry. Throws CourseError naming `source` and the line when it is not one
// (no description, no phrase, no edit, a block left open).
Mistake parse_mistake(const std::string& text, const std::string& source);

// The solution's text with the mistake's edits applied. Throws CourseError when a `find` text is
// not in it exactly once (the solution changed: the entry must follow it).
std::string apply_mistake(const Mistake& mistake, const std::string& solution_text);

// Every entry under `catalogue_dir`/<exercise>/*.mistake, sorted by exercise then name.
std::vector<Mistake> load_catalogue(const std::filesystem::path& catalogue_dir);

// The verdict on one mistake from its checks (in file order): empty when it is caught and the
// first failing check's message contains every phrase; otherwise what is wrong.
std::string judge_mistake(const Mistake& mistake, const std::vector<CheckResult>& checks);

struct MistakesOptions {
  std::filesystem::path catalogue_dir;  // tests/mistakes
  StudentTree tree;                     // the stub tree (the honesty audit's), built when needed
  bool build_tree = true;
  double timeout_seconds = 600;
  std::vector<std::string> only;    // exercise names; empty: all of them
  size_t minimum_per_exercise = 5;  // entries every exercise of the manifest needs
};

// Builds each catalogue entry as the stub in the stub tree, without touching the tree's own files:
// the entry's source is compiled with the tree's compile command (its precompiled header), put into
// a copy of the exercise's library, and linked into a copy of its test binary with the tree's link
// command. tree.jobs entries are audited at a time. Prints a line per entry; returns the number of
// problems.
int audit_mistakes(const Manifest& manifest, const MistakesOptions& options, std::FILE* out);

}  // namespace course::tool
