// `course check`: rebuild one exercise in the student build, run its checks, save the
// progress, and say what to do next (the first failure with its message, the next hint).
#pragma once

#include <string>

#include "course_tool/course.h"

namespace course::tool {

struct CheckOutcome {
  bool compiled = false;
  bool all_pass = false;
};
CheckOutcome check_exercise(Course& course, const Exercise& exercise);

// The hint to read next, as one line: the one `failure_message` names ("(hint 2)"), else the
// next one not shown yet. "Stuck? `course hint NAME 2` shows hint 2 of 6."
std::string hint_line(const Course& course, const Exercise& exercise, int hints_shown,
                      const std::string& failure_message);
// Everything a student reads after `exercise` failed to compile (compile_errors.h), the hint line
// naming the hint about the mistake recognised, if any.
std::string student_compile_failure(const Course& course, const Exercise& exercise,
                                    const std::string& build_output);
// How many hints the exercise's README has (0 when it cannot be read).
size_t hint_count(const Course& course, const Exercise& exercise);
// GoogleTest's message made readable: paths relative to the checkout, and the text of a
// NotImplemented (or any exception) without GoogleTest's wrapping.
std::string friendly_message(const std::string& raw, const std::filesystem::path& root);
// "exercises/02_autograd/autograd.cpp, ...": the files the student edits.
std::string stub_list(const Exercise& exercise);

}  // namespace course::tool
