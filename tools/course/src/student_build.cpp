#include "course_tool/student_build.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/language.h"

namespace course::tool {
namespace fs = std::filesystem;

std::map<std::string, std::string> read_cmake_cache(const fs::path& cache_file) {
  std::map<std::string, std::string> entries;
  std::ifstream in(cache_file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '/') continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string key = line.substr(0, equals);
    const auto colon = key.find(':');
    if (colon != std::string::npos) key = key.substr(0, colon);
    entries[key] = line.substr(equals + 1);
  }
  return entries;
}

StudentBuild student_build(const Manifest& manifest, const fs::path& override_dir) {
  StudentBuild build;
  build.root = manifest.root;
  fs::path directory = override_dir.empty() ? manifest.root / manifest.student_build : override_dir;
  build.directory = fs::absolute(directory).lexically_normal();
  build.preset = manifest.student_preset;
  return build;
}

bool StudentBuild::configured() const {
  return fs::exists(directory / "CMakeCache.txt");
}

void StudentBuild::require_ready() {
  const auto on_path = find_program("cmake");
  const std::string install(course::tr("run `scripts/install-deps.sh` (Debian 12) or install it"));
  if (!configured()) {
    if (!on_path)
      throw CourseError(course::trf(
          "cmake is not installed (not on PATH): {}, then `cmake --preset {}`", install, preset));
    throw CourseError(course::trf(
        "the student build is not configured yet ({} has no CMakeCache.txt): run `cmake "
        "--preset {}` in {}, then try again",
        directory.lexically_relative(root).string(), preset, root.string()));
  }
  const auto cache = read_cmake_cache(directory / "CMakeCache.txt");
  auto entry = [&](const std::string& key) {
    auto found = cache.find(key);
    return found == cache.end() ? std::string() : found->second;
  };
  cmake = entry("CMAKE_COMMAND");
  if (cmake.empty() || !fs::exists(cmake)) {
    if (!on_path)
      throw CourseError(course::trf("cmake is not installed (not on PATH): {}", install));
    cmake = on_path->string();
  }
  ctest = entry("CMAKE_CTEST_COMMAND");
  if (ctest.empty() || !fs::exists(ctest)) {
    const fs::path sibling = fs::path(cmake).parent_path() / "ctest";
    ctest = fs::exists(sibling) ? sibling.string() : "ctest";
  }
  const std::string make_program = entry("CMAKE_MAKE_PROGRAM");
  if (!make_program.empty() && !find_program(make_program)) {
    throw CourseError(course::trf("the build tool {} of {} is missing: {}", make_program,
                                  directory.lexically_relative(root).string(), install));
  }
  const std::string solutions = entry("COURSE_USE_SOLUTIONS");
  if (solutions == "ON" || solutions == "1" || solutions == "TRUE" || solutions == "YES") {
    throw CourseError(course::trf(
        "{} is configured with the reference solutions (COURSE_USE_SOLUTIONS=ON), so your "
        "edits would not be checked: run `cmake --preset {}` in {}",
        directory.lexically_relative(root).string(), preset, root.string()));
  }
}

ProcessResult StudentBuild::build(const std::vector<std::string>& targets,
                                  bool show_progress) const {
  std::vector<std::string> command = {cmake.empty() ? "cmake" : cmake, "--build",
                                      directory.string(), "--target"};
  command.insert(command.end(), targets.begin(), targets.end());
  ProcessOptions options;
  std::string pending;
  bool shown = false;
  if (show_progress) {
    options.on_output = [&](const std::string& chunk) {
      pending += chunk;
      // The last complete "[k/n] ..." line: ninja's counter of build steps.
      const auto end = pending.rfind('\n');
      if (end == std::string::npos) return;
      const auto begin = pending.rfind('\n', end == 0 ? 0 : end - 1);
      const std::string line =
          pending.substr(begin == std::string::npos ? 0 : begin + 1, end - (begin + 1));
      pending.erase(0, end + 1);
      if (line.size() > 2 && line[0] == '[' && line.find(']') != std::string::npos) {
        fmt::print(stdout, "\r{}",
                   course::trf("  build step {} ", line.substr(1, line.find(']') - 1)));
        std::fflush(stdout);
        shown = true;
      }
    };
  }
  ProcessResult result = run_process(command, options);
  if (shown) {
    std::fprintf(stdout, "\r%40s\r", "");
    std::fflush(stdout);
  }
  return result;
}

std::string compiler_errors(const std::string& build_output, const fs::path& root,
                            size_t max_lines) {
  std::istringstream lines(build_output);
  std::vector<std::string> all;
  std::string line;
  while (std::getline(lines, line)) all.push_back(line);
  size_t begin = 0;
  bool found = false;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i].rfind("FAILED:", 0) == 0) {
      begin = i + 1;
      // ninja prints the full compile command next: it starts with the compiler's path.
      if (begin < all.size() && all[begin].find(" -o ") != std::string::npos) ++begin;
      found = true;
      break;
    }
  }
  if (!found) begin = all.size() > max_lines ? all.size() - max_lines : 0;
  const std::string prefix = root.string() + "/";
  std::string result;
  size_t count = 0;
  for (size_t i = begin; i < all.size() && count < max_lines; ++i) {
    std::string text = all[i];
    if (text.rfind("ninja: build stopped", 0) == 0) break;
    if (text.rfind("[", 0) == 0 && text.find("] Building") != std::string::npos) continue;
    for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
    result += text + "\n";
    ++count;
  }
  return result;
}

}  // namespace course::tool
