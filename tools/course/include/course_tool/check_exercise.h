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

// How many hints the exercise's README has (0 when it cannot be read).
size_t hint_count(const Course& course, const Exercise& exercise);
// GoogleTest's message made readable: paths relative to the checkout, and the text of a
// NotImplemented (or any exception) without GoogleTest's wrapping.
std::string friendly_message(const std::string& raw, const std::filesystem::path& root);
// "exercises/02_autograd/autograd.cpp, ...": the files the student edits.
std::string stub_list(const Exercise& exercise);

}  // namespace course::tool
