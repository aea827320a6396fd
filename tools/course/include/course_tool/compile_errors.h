// What a student reads when an exercise does not compile: the first error that lies in a file
// the student edits (an error inside LibTorch's headers is followed back to the student's line
// through clang's "in instantiation of ... requested here" and "In file included from" chains),
// without the header chains and compile commands, the file that really holds it, and a plain
// sentence when the messages show one of the classic LibTorch mistakes (a layer member without
// {nullptr}, `.` for `->` on a holder, Stack mapped before Normalize...).
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "course_tool/manifest.h"

namespace course::tool {

// What the explanation of a failed compile needs to know about the exercise.
struct CompileContext {
  std::filesystem::path root;                        // the checkout: paths are shown relative to it
  std::vector<std::filesystem::path> student_files;  // relative to root: the stubs and headers
  std::string exercise;                              // its name, for `course hint NAME`
  std::vector<std::string> hints;                    // the texts of its hints, in order (English)
  // Student files whose text is elsewhere (the audit's edited copies): read from there.
  std::map<std::filesystem::path, std::filesystem::path> copies;
};

// The exercise's `files` and the headers in its folder (homework.h, mlp.h: the student edits
// those too), and its hints from its README (none when it cannot be read).
CompileContext compile_context(const std::filesystem::path& root, const Exercise& exercise);

// A classic mistake recognised in the compiler's messages.
struct CompileMistake {
  std::string id;        // "holder_without_nullptr"
  std::string sentence;  // in English (the key of its Spanish in po/es.po)
  int hint = 0;          // the exercise's hint about it (1-based), 0 when none is
};

// Every classic mistake the runner recognises (id and sentence; hint 0), in the order it tries
// them.
std::vector<CompileMistake> known_compile_mistakes();

struct CompileFailure {
  // The lines to show: the error's location (relative path), message, the source line and caret
  // clang printed, and the notes in the student's files. Empty when no error was found at all.
  std::string shown;
  // The student's file to fix (relative to the root); empty when no diagnostic names one.
  std::string file;
  // True when the error is in a student file (or was followed back to one); false when it is in
  // a file the student does not edit (`other_file`: the lesson's main.cpp, a test), which
  // includes `file`.
  bool in_student_file = false;
  std::string other_file;
  CompileMistake mistake;     // id empty: none recognised
  size_t lines_left_out = 0;  // lines of the compiler's output not shown
};

// Reads the output of a failed build (ninja's, with its "FAILED:" lines and compile commands, or
// a compiler's alone) and finds the error to show. `max_lines` bounds `shown`.
CompileFailure explain_compile_failure(const std::string& build_output,
                                       const CompileContext& context, size_t max_lines = 24);

// A failed build of copies of the student's files, kept in the folder `copies` (the grader's and
// the mistakes audit's builds): the compiler's paths to them are read as the exercise's own
// files, and the copies are what `context` reads.
struct CopiesFailure {
  CompileContext context;
  CompileFailure failure;
};
CopiesFailure explain_failure_of_copies(const std::string& build_output,
                                        const std::filesystem::path& root, const Exercise& exercise,
                                        const std::filesystem::path& copies, size_t max_lines = 24);

// The recognised mistake as the student reads it, in the current language (English when
// `english`), with the hint to read: "... `course hint 03_mlp` hint 2 ...". Empty: none.
std::string mistake_explanation(const CompileFailure& failure, const CompileContext& context,
                                bool english = false);

// The whole compiler output with the compile commands and ninja's lines dropped and the paths
// made relative to the root: what `course check --verbose` shows.
std::string full_compiler_output(const std::string& build_output,
                                 const std::filesystem::path& root);

// Everything `course check` prints after a failed build of `exercise`: "NAME does not compile
// yet", the error (or, with `verbose`, the whole output), the explanation, "Fix it in FILE" and
// `hint_line`. In the current language.
std::string compile_failure_message(const std::string& build_output, const CompileContext& context,
                                    const std::string& hint_line, bool verbose = false);
// The same, for a failure explained already (explain_compile_failure of `build_output`).
std::string compile_failure_message(const CompileFailure& failure, const std::string& build_output,
                                    const CompileContext& context, const std::string& hint_line,
                                    bool verbose = false);

}  // namespace course::tool
