#include "commands/commands.h"

#include <algorithm>

#include "course_tool/hints.h"

#include <fmt/format.h>

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;

int command_hint(Course& course, const std::string& name, int level) {
  const Exercise& exercise = exercise_or_current(course, name);
  const auto hints = read_hints(course.root() / exercise.readme);
  if (hints.empty())
    throw CourseError(fmt::format("{} has no hints under \"## Hints\"", exercise.readme.string()));
  ExerciseProgress progress = course.progress.get(exercise.name);
  const int count = static_cast<int>(hints.size());
  if (level == 0) level = std::min(progress.hints_shown + 1, count);
  if (level < 1 || level > count)
    throw CourseError(fmt::format("{} has hints 1 to {}, not {}", exercise.name, count, level));
  const Hint& hint = hints[static_cast<size_t>(level - 1)];
  fmt::print("{}\n\n{}\n",
             course.style.bold(fmt::format("Hint {} of {} for {}:", level, count, exercise.name)),
             indent(hint.text, "  "));
  if (level < count) {
    fmt::print("Still stuck? `course hint {}` shows hint {}.\n", exercise.name, level + 1);
  } else {
    fmt::print("That was the last hint. The table in {} maps each PyTorch line to its C++ call.\n",
               exercise.readme.string());
  }
  progress.hints_shown = std::max(progress.hints_shown, level);
  course.progress.set(exercise.name, progress);
  course.progress.save();
  return 0;
}

}  // namespace course::tool
