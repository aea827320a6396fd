#include "commands/commands.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/language.h"

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;

int command_list(Course& course) {
  const auto edited = edited_in_git(course);
  const Style& style = course.style;
  size_t name_width = std::max<size_t>(8, tr("exercise").size());  // the header fits too
  for (const auto& exercise : course.manifest.exercises)
    name_width = std::max(name_width, exercise.name.size());
  fmt::print("{:<{}}  {:<13} {:>8}  {}\n", tr("exercise"), name_width, tr("status"), tr("checks"),
             tr("title"));
  for (const auto& exercise : course.manifest.exercises) {
    const Status status = status_of(course, exercise, edited);
    std::string state = fmt::format("{:<13}", state_text(status.state));
    if (status.state == State::kDone) state = style.green(state);
    if (status.state == State::kInProgress) state = style.yellow(state);
    fmt::print("{:<{}}  {} {:>8}  {}{}\n", exercise.name, name_width, state,
               checks_text(status.progress), title_to_show(exercise),
               status.edited_since_check
                   ? style.dim(std::string(tr("  (edited since its last check)")))
                   : "");
  }
  fmt::print("\n");
  if (!course.build.configured()) {
    fmt::print(
        fmt::runtime(tr("Next: configure the student build once: `cmake --preset {}` (in {}).\n")),
        course.build.preset, course.root().string());
  } else if (const Exercise* current = current_exercise(course)) {
    fmt::print(fmt::runtime(tr("Next: `course check {}`   (`course hint {}` when stuck)\n")),
               current->name, current->name);
  } else {
    fmt::print("{}", tr("Everything is done. Congratulations!\n"));
  }
  return 0;
}

}  // namespace course::tool
