#include "commands/commands.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "common/language.h"

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;

int command_progress(Course& course) {
  const auto edited = edited_in_git(course);
  const bool unicode = utf8_terminal();
  const std::string full = unicode ? "█" : "#";
  const std::string empty = unicode ? "░" : ".";
  const int width = 24;
  auto bar = [&](double fraction) {
    const int filled = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width));
    std::string text;
    for (int i = 0; i < width; ++i) text += i < filled ? full : empty;
    return text;
  };
  size_t name_width = std::max<size_t>(8, tr("overall").size());
  for (const auto& exercise : course.manifest.exercises)
    name_width = std::max(name_width, exercise.name.size());
  int done = 0, passed = 0, total = 0;
  std::vector<std::string> rows;
  for (const auto& exercise : course.manifest.exercises) {
    const Status status = status_of(course, exercise, edited);
    const auto& progress = status.progress;
    double fraction = 0;
    if (progress.checked() && progress.compiles && progress.total > 0)
      fraction = static_cast<double>(progress.passed) / progress.total;
    std::string painted = bar(fraction);
    if (status.state == State::kDone) painted = course.style.green(painted);
    done += status.state == State::kDone;
    if (progress.checked() && progress.compiles) {
      passed += progress.passed;
      total += progress.total;
    }
    rows.push_back(fmt::format("  {:<{}}  {}  {:>8}  {}", exercise.name, name_width, painted,
                               checks_text(progress), state_text(status.state)));
  }
  const int exercises = static_cast<int>(course.manifest.exercises.size());
  fmt::print(fmt::runtime(tr(
                 "Your progress: {} of {} done, {} of {} checks passing (of those checked)\n\n")),
             done, exercises, passed, total);
  for (const auto& row : rows) fmt::print("{}\n", row);
  fmt::print("\n  {:<{}}  {}  {:>8}\n", tr("overall"), name_width,
             bar(exercises ? static_cast<double>(done) / exercises : 0),
             fmt::format("{}/{}", done, exercises));
  fmt::print(
      "\n{}\n",
      course.style.dim(std::string(tr("(From each exercise's last `course check`; the checks are "
                                      "the truth: `course check NAME` refreshes one.)"))));
  return 0;
}

}  // namespace course::tool
