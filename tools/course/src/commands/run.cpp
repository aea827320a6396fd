#include "commands/commands.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "course_tool/checks.h"

#include <fmt/format.h>

#include "common/language.h"

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"
#include "course_tool/student_build.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;
using course::trf;

namespace {

// What `course run NAME [--python | --side-by-side] ARGS...` runs.
enum class Side { kCpp, kPython, kBoth };

// A python3 that imports torch: the one the build found for exercise 06 (COURSE_PYTHON in its
// cache), else $COURSE_PYTHON, else Debian's, else the PATH's.
std::string python_with_torch(const Course& course) {
  const auto cache = read_cmake_cache(course.build.directory / "CMakeCache.txt");
  if (const auto found = cache.find("COURSE_PYTHON");
      found != cache.end() && !found->second.empty() && fs::exists(found->second))
    return found->second;
  if (const char* chosen = std::getenv("COURSE_PYTHON"); chosen && *chosen) return chosen;
  if (fs::exists("/usr/bin/python3")) return "/usr/bin/python3";
  return "python3";
}

[[noreturn]] void exec(const Course& course, const std::vector<std::string>& command) {
  std::string line;
  for (const auto& word : command) {
    // Paths inside the checkout as the student would type them; the rest as it is.
    const bool inside = fs::path(word).is_absolute() && word.rfind(course.root().string(), 0) == 0;
    line += (line.empty() ? "" : " ") + (inside ? course.relative(word) : word);
  }
  fmt::print("{}\n\n", course.style.dim("$ " + line));
  std::fflush(stdout);
  std::vector<char*> argv;
  for (const auto& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  throw CourseError(trf("cannot run {}: {}", command.front(), std::strerror(errno)));
}

}  // namespace

int command_run(Course& course, const std::string& name, const std::vector<std::string>& args) {
  course.build.require_ready();
  const Exercise& exercise = course.manifest.find(name);
  // `--python` or `--side-by-side` right after NAME is the runner's; the rest is the lesson's.
  Side side = Side::kCpp;
  std::vector<std::string> lesson_args = args;
  if (!args.empty() && (args.front() == "--python" || args.front() == "--side-by-side")) {
    side = args.front() == "--python" ? Side::kPython : Side::kBoth;
    lesson_args.erase(lesson_args.begin());
  }
  const fs::path twin = course.root() / exercise.folder / "main.py";
  if (side != Side::kCpp && !fs::is_regular_file(twin)) {
    throw CourseError(
        trf("{} has no Python twin ({} is not there): writing it in C++ is the "
            "task, so there is nothing to compare with",
            exercise.name, course.relative(twin)));
  }
  if (side == Side::kPython) {
    std::vector<std::string> command{python_with_torch(course), twin.string()};
    command.insert(command.end(), lesson_args.begin(), lesson_args.end());
    exec(course, command);
  }
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
  if (side == Side::kBoth) {
    // tools/parity/parity.py runs both with the same seed and compares every number.
    std::vector<std::string> command{python_with_torch(course),
                                     (course.root() / "tools/parity/parity.py").string(),
                                     "--side-by-side",
                                     "--cpp",
                                     binary.string(),
                                     "--python",
                                     twin.string()};
    for (const auto& arg : lesson_args) command.push_back("--arg=" + arg);
    exec(course, command);
  }
  std::vector<std::string> command{binary.string()};
  command.insert(command.end(), lesson_args.begin(), lesson_args.end());
  exec(course, command);
}

}  // namespace course::tool
