// How a built tree compiles an exercise's student files and links the binaries that use them,
// read from the tree itself (its compile database and Ninja's link commands), so that another
// version of those files (a catalogued mistake, a student's submission) is built exactly alike:
// each file compiled with the tree's command and its precompiled header, the objects put into a
// copy of the exercise's library, and each binary linked from the tree's other objects.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "course_tool/manifest.h"
#include "course_tool/process.h"

namespace course::tool {

struct ExerciseRecipe {
  struct Source {
    std::filesystem::path stub;  // the file as the tree compiles it (absolute)
    std::string compile;         // its compile command
    std::string object;          // the object it writes, as the command names it
  };
  std::vector<Source> sources;       // one per file of the exercise, in course.json's order
  std::filesystem::path library;     // the exercise's static library, relative to the tree
  std::vector<std::string> targets;  // the binaries linked against it
  std::vector<std::string> links;    // per target: its link command (run in the tree)
};

// Reads the recipe of `exercise` from `tree` (a Ninja build of the course), for the binaries
// `targets` (each must link the exercise's library). Throws CourseError when the tree cannot
// tell (not Ninja, no compile command for a file, a target that does not use the library).
ExerciseRecipe read_recipe(const Manifest& manifest, const Exercise& exercise,
                           const std::filesystem::path& tree,
                           const std::vector<std::string>& targets);

// Runs one shell command of the tree (a compile or a link) in `directory`.
using ShellRunner = std::function<ProcessResult(const std::string& command,
                                                const std::filesystem::path& directory)>;
ProcessResult run_shell(const std::string& command, const std::filesystem::path& directory);

struct Rebuilt {
  std::string failed_step;  // empty: built; else "compile <file>", "archive" or "link <target>"
  ProcessResult process;    // the step that failed
  std::vector<std::filesystem::path> binaries;  // folder/<target>, in the recipe's order
};

// Builds the recipe's targets from `sources` (one per recipe source, same order) instead of the
// tree's files, everything written into `folder` and nothing in the tree touched.
Rebuilt rebuild(const ExerciseRecipe& recipe, const std::filesystem::path& tree,
                const std::vector<std::filesystem::path>& sources,
                const std::filesystem::path& folder, const std::string& ar,
                const ShellRunner& run = run_shell);

// The archiver the tree uses (CMAKE_AR), else "ar".
std::string tree_archiver(const std::filesystem::path& tree);

}  // namespace course::tool
