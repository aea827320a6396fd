#include "commands/commands.h"

#include <cctype>
#include <ctime>
#include <iostream>
#include <vector>

#include "course_tool/process.h"

#include <fmt/format.h>

#include "common/language.h"

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;
using course::trf;

namespace {

// "y" or "yes" in English, "s" or "si" (and the English answers) in Spanish, any case.
bool is_yes(std::string answer) {
  for (char& c : answer) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return answer == "y" || answer == "yes" || answer == "s" || answer == "si" || answer == "sí";
}

}  // namespace

int command_reset(Course& course, const std::string& name, bool yes, const std::string& from) {
  const Exercise& exercise = course.manifest.find(name);
  if (!find_program("git"))
    throw CourseError(
        std::string(tr("reset restores the stub from git, and git is not installed")));
  ProcessOptions quiet;
  quiet.working_directory = course.root();
  quiet.timeout_seconds = 30;
  if (!run_process({"git", "rev-parse", "--is-inside-work-tree"}, quiet).succeeded())
    throw CourseError(trf("{} is not a git checkout, so there is no stub to restore from",
                          course.root().string()));
  std::vector<std::string> changed;
  for (const auto& file : exercise.files) {
    const std::string path = (exercise.folder / file).string();
    if (!run_process({"git", "cat-file", "-e", from + ":" + path}, quiet).succeeded())
      throw CourseError(trf("git has no {} at {}: nothing to restore it from", path, from));
    if (!fs::exists(course.root() / path) ||
        !run_process({"git", "diff", "--quiet", from, "--", path}, quiet).succeeded())
      changed.push_back(path);
  }
  ExerciseProgress progress = course.progress.get(exercise.name);
  if (changed.empty()) {
    fmt::print(fmt::runtime(tr("{} is already the untouched stub ({}): nothing to reset.\n")),
               stub_list(exercise), from);
    return 0;
  }
  fmt::print(fmt::runtime(tr("This puts back the untouched stub (from git, {}) of:\n")), from);
  for (const auto& path : changed) fmt::print("  {}\n", path);
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  const fs::path backup = fs::path(".course") / "backup" / (exercise.name + "-" + stamp);
  fmt::print(fmt::runtime(tr("Your current version is kept in {}/.\n")), backup.string());
  if (!yes) {
    if (!interactive_terminal())
      throw CourseError(
          std::string(tr("reset replaces your work, so it asks first, and there is "
                         "no terminal to ask on: pass --yes to confirm")));
    fmt::print(fmt::runtime(tr("Reset {}? [y/N] ")), exercise.name);
    std::fflush(stdout);
    std::string answer;
    if (!std::getline(std::cin, answer) || !is_yes(answer)) {
      fmt::print("{}", tr("Nothing changed.\n"));
      return 1;
    }
  }
  for (const auto& path : changed) {
    if (!fs::exists(course.root() / path)) continue;
    const fs::path target = course.root() / backup / path;
    fs::create_directories(target.parent_path());
    fs::copy_file(course.root() / path, target, fs::copy_options::overwrite_existing);
  }
  std::vector<std::string> restore = {"git", "restore", "--source=" + from, "--worktree", "--"};
  restore.insert(restore.end(), changed.begin(), changed.end());
  ProcessResult restored = run_process(restore, quiet);
  if (!restored.succeeded())
    throw CourseError(trf("git could not restore the stub: {}", restored.output));
  ExerciseProgress fresh;
  fresh.hints_shown = progress.hints_shown;  // hints already read stay read
  course.progress.set(exercise.name, fresh);
  course.progress.save();
  fmt::print(
      fmt::runtime(tr("{} is the untouched stub again. Start over with `course check {}`.\n")),
      exercise.name, exercise.name);
  return 0;
}

}  // namespace course::tool
