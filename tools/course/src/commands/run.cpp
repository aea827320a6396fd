#include "commands/commands.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "course_tool/checks.h"

#include <fmt/format.h>

#include "common/language.h"

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;
using course::trf;

int command_run(Course& course, const std::string& name, const std::vector<std::string>& args) {
  course.build.require_ready();
  const Exercise& exercise = course.manifest.find(name);
  fmt::print(fmt::runtime(tr("Building {} ...\n")), exercise.executable);
  std::fflush(stdout);
  ProcessResult built = course.build.build({exercise.executable}, ::isatty(STDOUT_FILENO));
  if (!built.succeeded()) {
    if (!built.started) throw CourseError(trf("cannot run cmake: {}", built.describe()));
    // The same explanation as `course check` gives (compile_errors.h).
    fmt::print("{}", student_compile_failure(course, exercise, built.output));
    return 1;
  }
  const fs::path binary = course.build.binary(exercise.executable);
  std::string command_line = course.relative(binary);
  for (const auto& arg : args) command_line += " " + arg;
  fmt::print("{}\n\n", course.style.dim("$ " + command_line));
  std::fflush(stdout);
  std::vector<char*> argv;
  const std::string program = binary.string();
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execv(program.c_str(), argv.data());
  throw CourseError(trf("cannot run {}: {}", program, std::strerror(errno)));
}

}  // namespace course::tool
