#include "commands/commands.h"

#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <map>
#include <thread>

#include <fmt/format.h>

#include "common/language.h"

#include "course_tool/check_exercise.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;
using course::trf;

// Files whose saving should trigger a new check: the exercise's folder (not its solution),
// and its test sources. Path -> (modification time in ns, size).
namespace {

std::map<std::string, std::pair<int64_t, int64_t>> snapshot(const Course& course,
                                                            const Exercise& exercise) {
  std::map<std::string, std::pair<int64_t, int64_t>> files;
  auto add = [&](const fs::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) return;
    files[file.string()] = {
        static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
        static_cast<int64_t>(info.st_size)};
  };
  const fs::path folder = course.root() / exercise.folder;
  const fs::path solution = course.root() / exercise.solution_folder();
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (it->path() == solution || (!name.empty() && name[0] == '.'))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && !name.empty() && name[0] != '.' && name.back() != '~')
      add(it->path());
  }
  for (const auto& source : exercise.test_sources) add(course.root() / source);
  return files;
}

}  // namespace

int command_watch(Course& course, const std::string& name, double interval, int max_checks) {
  course.build.require_ready();
  const Exercise* exercise = &exercise_or_current(course, name);
  int checks = 0;
  while (true) {
    const auto before = snapshot(course, *exercise);
    std::time_t now = std::time(nullptr);
    char clock[16];
    std::strftime(clock, sizeof clock, "%H:%M:%S", std::localtime(&now));
    fmt::print("{}\n", course.style.dim(fmt::format("── {} ──", clock)));
    const CheckOutcome outcome = check_exercise(course, *exercise);
    ++checks;
    if (max_checks > 0 && checks >= max_checks) return outcome.all_pass ? 0 : 1;
    if (outcome.all_pass) {
      const Exercise* next = next_after(course, *exercise);
      if (!next) {
        fmt::print("{}", tr("\nEvery exercise passes. Congratulations!\n"));
        return 0;
      }
      fmt::print(fmt::runtime(tr("\nMoving on to {}.\n\n")), next->name);
      exercise = next;
      continue;
    }
    fmt::print("\n{}\n", course.style.dim(trf("Watching {}/ for saved changes (Ctrl-C to stop) ...",
                                              exercise->folder.string())));
    std::fflush(stdout);
    const auto interval_ms = std::chrono::milliseconds(static_cast<long>(interval * 1000));
    // Compare with the files as they were when this check started: a save during the build
    // counts too.
    auto current = before;
    while (current == before) {
      std::this_thread::sleep_for(interval_ms);
      current = snapshot(course, *exercise);
    }
    // Editors save in steps (temp file, rename): wait until the files stay still.
    for (auto settled = snapshot(course, *exercise); settled != current;
         settled = snapshot(course, *exercise)) {
      current = settled;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    fmt::print("\n");
  }
}

}  // namespace course::tool
