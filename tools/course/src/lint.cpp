#include "course_tool/lint.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "course_tool/hints.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Regular files under `folder`, relative to it; `skip` names a subfolder not to enter.
std::set<std::string> files_under(const fs::path& folder, const std::string& skip = "") {
  std::set<std::string> files;
  std::error_code error;
  if (!fs::is_directory(folder, error)) return files;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const fs::path relative = it->path().lexically_relative(folder);
    if (!skip.empty() && it->is_directory() && relative == skip) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.insert(relative.string());
  }
  return files;
}

using Problems = std::vector<std::string>;

// The stub and its solution: the same file names, not the same contents; a TODO in the stub.
void lint_stub_and_solution(const fs::path& root, const Exercise& exercise, Problems& problems) {
  const std::string& name = exercise.name;
  const fs::path folder = root / exercise.folder;
  const fs::path solution = root / exercise.solution_folder();
  bool any_different = false;
  bool mentions_todo = false;
  int stubs_found = 0, pairs_found = 0;
  for (const auto& file : exercise.files) {
    const fs::path stub_file = folder / file;
    const fs::path solution_file = solution / file;
    if (!fs::is_regular_file(stub_file)) {
      problems.push_back(fmt::format("{}: the stub {} is missing (course.json \"files\")", name,
                                     (exercise.folder / file).string()));
      continue;
    }
    ++stubs_found;
    const std::string stub_text = read_text(stub_file);
    mentions_todo |= stub_text.find("TODO") != std::string::npos;
    if (!fs::is_regular_file(solution_file)) {
      problems.push_back(fmt::format("{}: {} has no reference solution: add {}", name,
                                     (exercise.folder / file).string(),
                                     (exercise.solution_folder() / file).string()));
      continue;
    }
    ++pairs_found;
    any_different |= stub_text != read_text(solution_file);
  }
  if (!mentions_todo && stubs_found > 0)
    problems.push_back(
        fmt::format("{}: no stub file says TODO: tell the student what to write", name));
  if (!any_different && pairs_found > 0)
    problems.push_back(fmt::format(
        "{}: every stub file equals its solution: the stub gives the answer away", name));
  if (!fs::is_directory(solution)) {
    problems.push_back(fmt::format("{}: no solution/ folder: add {} with the same files as the stub",
                                   name, exercise.solution_folder().string()));
    return;
  }
  const std::set<std::string> expected(exercise.files.begin(), exercise.files.end());
  for (const auto& file : files_under(solution)) {
    if (!expected.count(file))
      problems.push_back(
          fmt::format("{}: {} is not a stub file: list \"{}\" in course.json \"files\" "
                      "and add the stub, or remove it",
                      name, (exercise.solution_folder() / file).string(), file));
  }
}

// The checks: test sources that exist and hold GoogleTest cases.
void lint_checks(const fs::path& root, const Exercise& exercise, Problems& problems) {
  static const std::regex test_macro(R"(\b(TEST|TEST_F|TEST_P|TYPED_TEST)\s*\()");
  for (const auto& source : exercise.test_sources) {
    const fs::path file = root / source;
    if (!fs::is_regular_file(file)) {
      problems.push_back(fmt::format(
          "{}: the test source {} is missing (tests/exercises/<topic>_test.cpp, from the name)",
          exercise.name, source.string()));
    } else if (!std::regex_search(read_text(file), test_macro)) {
      problems.push_back(
          fmt::format("{}: {} has no TEST(...): add the checks", exercise.name, source.string()));
    }
  }
  if (exercise.test_executables.empty())
    problems.push_back(fmt::format("{}: no test executables", exercise.name));
}

// The README and its graded hints.
void lint_readme(const fs::path& root, const Exercise& exercise, Problems& problems) {
  const fs::path readme = root / exercise.readme;
  if (!fs::is_regular_file(readme)) {
    problems.push_back(
        fmt::format("{}: the README {} is missing", exercise.name, exercise.readme.string()));
    return;
  }
  try {
    const auto hints = parse_hints(read_text(readme), exercise.readme.string());
    if (hints.size() < 2)
      problems.push_back(
          fmt::format("{}: {} has {} hint(s) under \"## Hints\"; give at least 2 "
                      "(\"### Hint 1\" a nudge ... the last nearly the answer)",
                      exercise.name, exercise.readme.string(), hints.size()));
  } catch (const CourseError& e) {
    problems.push_back(fmt::format("{}: {}", exercise.name, e.what()));
  }
}

// Every numbered exercise folder on disk is in the manifest (the build reads the manifest, so a
// folder that is not there is not built at all).
void lint_unlisted_folders(const Manifest& manifest, Problems& problems) {
  static const std::regex numbered(R"(\d\d+_.+)");
  std::set<fs::path> listed;
  for (const auto& exercise : manifest.exercises) listed.insert(exercise.folder.lexically_normal());
  const fs::path exercises = manifest.root / "exercises";
  std::error_code error;
  if (!fs::is_directory(exercises, error)) return;
  for (const auto& entry : fs::directory_iterator(exercises, error)) {
    const std::string folder = entry.path().filename().string();
    if (entry.is_directory() && std::regex_match(folder, numbered) &&
        !listed.count(fs::path("exercises") / folder))
      problems.push_back(
          fmt::format("exercises/{} is not in course.json: add an entry for it", folder));
  }
}

}  // namespace

std::vector<std::string> lint_course(const Manifest& manifest) {
  Problems problems;
  for (const auto& exercise : manifest.exercises) {
    if (!fs::is_directory(manifest.root / exercise.folder)) {
      problems.push_back(fmt::format("{}: the folder {} does not exist", exercise.name,
                                     exercise.folder.string()));
      continue;
    }
    lint_stub_and_solution(manifest.root, exercise, problems);
    lint_checks(manifest.root, exercise, problems);
    lint_readme(manifest.root, exercise, problems);
  }
  lint_unlisted_folders(manifest, problems);
  return problems;
}

}  // namespace course::tool
