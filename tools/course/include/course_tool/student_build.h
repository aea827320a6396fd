// The student's CMake build (build/student): is it configured, with which tools, and building
// just the targets of one exercise in it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "course_tool/manifest.h"
#include "course_tool/process.h"

namespace course::tool {

// The entries of a CMakeCache.txt ("NAME:TYPE=VALUE" lines), by NAME.
std::map<std::string, std::string> read_cmake_cache(const std::filesystem::path& cache_file);

struct StudentBuild {
  std::filesystem::path root;       // the course checkout
  std::filesystem::path directory;  // absolute: <root>/build/student
  std::string preset;               // "student"
  std::string cmake;                // the cmake that configured it (or the one on PATH)
  std::string ctest;                // its ctest

  // Throws CourseError with what to do when the build cannot be used: cmake or the build tool
  // missing, the build not configured yet, or configured with the reference solutions.
  void require_ready();

  // `cmake --build <directory> --target <targets...>`, output captured. With `show_progress`
  // (on a terminal), the build tool's "[done/total]" counter is shown on one line meanwhile.
  ProcessResult build(const std::vector<std::string>& targets, bool show_progress = false) const;

  std::filesystem::path binary(const std::string& target) const {
    return directory / "bin" / target;
  }
  bool configured() const;
};

StudentBuild student_build(const Manifest& manifest, const std::filesystem::path& override_dir);

// The part of a failed build's output a student needs: the compiler's messages after ninja's
// (or make's) "FAILED:" line, without the long compile command, with paths made relative to
// `root`. At most `max_lines` lines.
std::string compiler_errors(const std::string& build_output, const std::filesystem::path& root,
                            size_t max_lines = 40);

}  // namespace course::tool
