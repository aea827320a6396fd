// What the grader's parts (grade.cpp, grade_part.cpp, grade_homework.cpp) share and nobody else
// needs: the plan of each exercise, and two small steps.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "course_tool/grade.h"

namespace course::tool {

struct Grader::Plan {
  const Exercise* exercise = nullptr;
  ExerciseRecipe recipe;
  std::vector<std::string> stub_texts;           // the instructor's stubs, per file
  std::vector<std::vector<std::string>> checks;  // per test binary: its checks
  std::vector<std::string> graded_ctest_checks;  // "homework.grade"
};

// Creates `folder`, writable by the sandboxed user (as root the runs become another user).
void make_writable(const std::filesystem::path& folder, const Sandbox& sandbox);

// Each of `names` failed, with `message`.
std::vector<CheckResult> all_failed(const std::vector<std::string>& names,
                                    const std::string& message);

}  // namespace course::tool
