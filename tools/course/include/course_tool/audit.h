// The suite's proofs about itself, run by ctest:
//   reference: every check of every exercise and of the homework passes on the solutions;
//   honesty:   every single check fails on the untouched stubs (built in a tree of its own).
// Both read GoogleTest's JSON report per check, so one check that passes on a stub (or fails
// on a solution) is named, not hidden behind an exit status.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "course_tool/manifest.h"

namespace course::tool {

enum class Expectation { kEveryCheckPasses, kEveryCheckFails };

struct AuditOptions {
  std::filesystem::path build_dir;   // the test binaries are in <build_dir>/bin
  std::filesystem::path report_dir;  // where their JSON reports go
  double timeout_seconds = 900;      // per test binary
  std::vector<std::string> only;     // exercise names; empty: all of them
  std::string cmake = "cmake";       // its ctest runs the manifest's "ctest_checks"
};

// Runs every test binary of the manifest's exercises and checks each check against
// `expectation`. Prints a line per exercise and one per offending check to `out`; returns the
// number of problems (0: proved).
int audit_checks(const Manifest& manifest, Expectation expectation, const AuditOptions& options,
                 std::FILE* out);

struct StudentTree {
  std::filesystem::path build_dir;  // e.g. build/solutions/honesty-student
  std::string cmake = "cmake";
  std::string generator;                     // empty: CMake's default
  std::vector<std::string> cache_arguments;  // extra -D... for the configure step
  int jobs = 0;                              // 0: as many as there are cores
  std::string label = "honesty";             // what its lines start with
};

// Configures `tree.build_dir` from the manifest's root with the stubs (COURSE_USE_SOLUTIONS=OFF,
// no benchmarks) and builds every exercise's test binaries. Returns false (and prints the
// output of the failing step) when it does not configure or build: an untouched stub must build.
bool build_student_tree(const Manifest& manifest, const StudentTree& tree,
                        const std::vector<std::string>& only, std::FILE* out);

}  // namespace course::tool
