#include "commands/commands.h"

#include <fmt/format.h>

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;

int command_check(Course& course, const std::string& name) {
  const Exercise& exercise = exercise_or_current(course, name);
  return check_exercise(course, exercise).all_pass ? 0 : 1;
}

}  // namespace course::tool
