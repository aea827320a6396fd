#include "commands/commands.h"

#include <algorithm>

#include "course_tool/hints.h"

#include <fmt/format.h>

#include "common/language.h"

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;
using course::trf;

int command_hint(Course& course, const std::string& name, int level) {
  const Exercise& exercise = exercise_or_current(course, name);
  const fs::path readme = readme_to_read(course, exercise);
  const auto hints = read_hints(course.root() / readme);
  if (hints.empty()) throw CourseError(trf("{} has no hints under \"## Hints\"", readme.string()));
  ExerciseProgress progress = course.progress.get(exercise.name);
  const int count = static_cast<int>(hints.size());
  if (level == 0) level = std::min(progress.hints_shown + 1, count);
  if (level < 1 || level > count)
    throw CourseError(trf("{} has hints 1 to {}, not {}", exercise.name, count, level));
  const Hint& hint = hints[static_cast<size_t>(level - 1)];
  fmt::print("{}\n\n{}\n",
             course.style.bold(trf("Hint {} of {} for {}:", level, count, exercise.name)),
             indent(hint.text, "  "));
  if (level < count) {
    fmt::print(fmt::runtime(tr("Still stuck? `course hint {}` shows hint {}.\n")), exercise.name,
               level + 1);
  } else {
    fmt::print(
        fmt::runtime(tr("That was the last hint. The table in {} maps each PyTorch line to its "
                        "C++ call.\n")),
        readme.string());
  }
  progress.hints_shown = std::max(progress.hints_shown, level);
  course.progress.set(exercise.name, progress);
  course.progress.save();
  return 0;
}

}  // namespace course::tool
