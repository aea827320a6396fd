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
// exercise's solution file, where the `find` text must occur exactly once. A `file:` line names
// the file the edits after it apply to: another file of the exercise, or a header of its folder
// (mlp.h, homework.h: the student edits those too, and the solution uses them as they are).
// Lines starting with '#' outside a block are comments.
//
// `kind: compile` makes an entry a mistake that does not compile (a layer member without
// {nullptr}, `.` for `->`): built as the stub, its compile must fail, and the runner's
// explanation of the compiler's output (compile_errors.h, what `course check` prints) must
// contain every `message:` phrase and point at the file the entry edits.
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
  std::string file;  // the `file:` before it; empty: the exercise's first file
};

enum class MistakeKind {
  kCheck,    // compiles; a check must fail and name it
  kCompile,  // does not compile; the runner's explanation must name it
};

struct Mistake {
  std::string exercise;     // the folder name under tests/mistakes: "04_training_loop"
  std::string name;         // the file name without .mistake: "no_zero_grad"
  std::string description;  // the `mistake:` line
  std::string file;         // the first `file:` (empty: the exercise's first file)
  MistakeKind kind = MistakeKind::kCheck;
  std::vector<std::string> message;  // phrases the first failing check's message must contain
  std::vector<MistakeEdit> edits;
};

// Parses one catalogue entry. Throws CourseError naming `source` and the line when it is not one
// (no description, no phrase, no edit, a block left open).
Mistake parse_mistake(const std::string& text, const std::string& source);

// The solution's text with the mistake's edits applied. Throws CourseError when a `find` text is
// not in it exactly once (the solution changed: the entry must follow it). With `file`, only the
// edits of that file (`first_file`: the file of the edits that name none).
std::string apply_mistake(const Mistake& mistake, const std::string& solution_text);
std::string apply_mistake(const Mistake& mistake, const std::string& solution_text,
                          const std::string& file, const std::string& first_file);

// The files the entry edits, in the order they first appear (`first_file` for edits that name
// none).
std::vector<std::string> edited_files(const Mistake& mistake, const std::string& first_file);

// Every entry under `catalogue_dir`/<exercise>/*.mistake, sorted by exercise then name.
std::vector<Mistake> load_catalogue(const std::filesystem::path& catalogue_dir);

// The phrases of `mistake` that `text` (what the student reads) does not contain, in any case:
// empty when the text names the mistake. The audit judges with it, the class report counts.
std::vector<std::string> missing_phrases(const Mistake& mistake, const std::string& text);

// The verdict on one mistake from its checks (in file order): empty when it is caught and the
// first failing check's message contains every phrase; otherwise what is wrong.
std::string judge_mistake(const Mistake& mistake, const std::vector<CheckResult>& checks);

// The verdict on a `kind: compile` entry from the runner's explanation of its compile: empty
// when the explanation contains every phrase and `pointed_file` (the file "Fix it in" names,
// relative to the root) is one the entry edits (`edited`, relative to the root); `shown` is
// what the student would read, quoted when the verdict is a failure.
std::string judge_compile_mistake(const Mistake& mistake, const std::string& explanation,
                                  const std::string& pointed_file,
                                  const std::vector<std::string>& edited, const std::string& shown);

struct MistakesOptions {
  std::filesystem::path catalogue_dir;  // tests/mistakes
  StudentTree tree;                     // the stub tree (the honesty audit's), built when needed
  bool build_tree = true;
  double timeout_seconds = 600;
  std::vector<std::string> only;    // exercise names; empty: all of them
  std::vector<std::string> entries;  // "exercise/name" of the entries to audit; empty: all
  size_t minimum_per_exercise = 5;  // entries every exercise of the manifest needs
  // Prints, under each entry, what the student reads of it (the first failing check's sentence,
  // or the runner's explanation of the compile) in the program's language, and judges only that
  // the entry is caught: the `message:` phrases are English, so this is how the sentences are
  // read in Spanish (COURSE_LANG=es). Each line of it is printed as "    | line".
  bool show = false;
};

// Builds each catalogue entry as the stub in the stub tree, without touching the tree's own files:
// the entry's source is compiled with the tree's compile command (its precompiled header), put into
// a copy of the exercise's library, and linked into a copy of its test binary with the tree's link
// command. tree.jobs entries are audited at a time. Prints a line per entry; returns the number of
// problems.
int audit_mistakes(const Manifest& manifest, const MistakesOptions& options, std::FILE* out);

}  // namespace course::tool
