// Helpers for the exercises: a stub's unfinished function throws NotImplemented, and the
// lesson runner prints what is left to do instead of crashing (the nbgrader style).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace at {
class Tensor;  // torch::Tensor, declared here so that this header stays light
}

namespace course {

class NotImplemented : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Throws NotImplemented naming the exercise (e.g. "02_autograd"), the function, the file to
// edit (`file`'s name in `folder`, e.g. "exercises/02_autograd" and ".../autograd.cpp"; the
// folder alone when `file` is empty) and where the hints are.
[[noreturn]] void not_implemented_in(std::string_view folder, std::string_view exercise,
                                     std::string_view function, std::string_view file = "");

#ifdef COURSE_EXERCISE_FOLDER
namespace {
// Every TODO in a stub ends with this call. The build names the stub's folder
// (COURSE_EXERCISE_FOLDER, set by cmake/Course.cmake for each exercise's library), so this
// library knows no folder of the course; the compiler names the stub's file (`file`, the
// caller's, as clang, GCC and MSVC fill __builtin_FILE() in a default argument).
[[noreturn]] [[maybe_unused]] void not_implemented(std::string_view exercise,
                                                   std::string_view function,
                                                   const char* file = __builtin_FILE()) {
  not_implemented_in(COURSE_EXERCISE_FOLDER, exercise, function, file);
}
}  // namespace
#endif

// Runs one section of a lesson under a banner ("== 2. Broadcasting =="), like the sections of
// pytorch/examples' autograd.cpp. A NotImplemented is printed as "TODO: ..." and counted.
class Lesson {
 public:
  explicit Lesson(std::string title);
  void section(std::string_view title, const std::function<void()>& body);
  // Prints the summary line; returns main()'s exit status (0: a stub still runs cleanly).
  int finish() const;
  int todo_count() const { return todos_; }

 private:
  std::string title_;
  int sections_ = 0;
  int todos_ = 0;
};

// A tensor on one line, nested like a Python list: [[1, 2, 3], [4, 5, 6]]. Any dtype or device
// (printed from a float64 copy on the CPU), numbers with 4 significant digits.
std::string show(const at::Tensor& tensor);

}  // namespace course
