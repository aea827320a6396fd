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

// Every CMakeLists.txt of the repository outside build folders, with its text.
std::vector<std::pair<fs::path, std::string>> cmake_lists(const fs::path& root) {
  std::vector<std::pair<fs::path, std::string>> lists;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name == "build" || name == ".git" || name == ".course" ||
                               (!name.empty() && name[0] == '.'))) {
      it.disable_recursion_pending();
      continue;
    }
    if (name == "CMakeLists.txt") lists.emplace_back(it->path(), read_text(it->path()));
  }
  return lists;
}

bool mentions(const std::string& text, const std::string& word) {
  // A whole word: "autograd.cpp" must not match "my_autograd.cpp".
  size_t position = 0;
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while ((position = text.find(word, position)) != std::string::npos) {
    const bool left = position == 0 || !is_word(text[position - 1]);
    const size_t end = position + word.size();
    const bool right = end >= text.size() || !is_word(text[end]);
    if (left && right) return true;
    position = end;
  }
  return false;
}

}  // namespace

std::vector<std::string> lint_course(const Manifest& manifest) {
  std::vector<std::string> problems;
  const fs::path& root = manifest.root;
  auto problem = [&](std::string text) { problems.push_back(std::move(text)); };
  static const std::regex test_macro(R"(\b(TEST|TEST_F|TEST_P|TYPED_TEST)\s*\()");
  const auto lists = cmake_lists(root);
  std::set<fs::path> listed_folders;

  for (const auto& exercise : manifest.exercises) {
    const std::string name = exercise.name;
    const fs::path folder = root / exercise.folder;
    listed_folders.insert(exercise.folder.lexically_normal());
    if (!fs::is_directory(folder)) {
      problem(fmt::format("{}: the folder {} does not exist (course.json \"folder\")", name,
                          exercise.folder.string()));
      continue;
    }

    // The stub and its solution: the same file names, not the same contents.
    const fs::path solution = root / exercise.solution_folder();
    bool any_different = false;
    bool mentions_todo = false;
    int stubs_found = 0, pairs_found = 0;
    for (const auto& file : exercise.files) {
      const fs::path stub_file = folder / file;
      const fs::path solution_file = solution / file;
      if (!fs::is_regular_file(stub_file)) {
        problem(fmt::format("{}: the stub {} is missing (course.json \"files\")", name,
                            (exercise.folder / file).string()));
        continue;
      }
      ++stubs_found;
      const std::string stub_text = read_text(stub_file);
      mentions_todo |= stub_text.find("TODO") != std::string::npos;
      if (!fs::is_regular_file(solution_file)) {
        problem(fmt::format("{}: {} has no reference solution: add {}", name,
                            (exercise.folder / file).string(),
                            (exercise.solution_folder() / file).string()));
        continue;
      }
      ++pairs_found;
      any_different |= stub_text != read_text(solution_file);
    }
    if (!mentions_todo && stubs_found > 0)
      problem(fmt::format("{}: no stub file says TODO: tell the student what to write", name));
    if (!any_different && pairs_found > 0)
      problem(fmt::format("{}: every stub file equals its solution: the stub gives the answer away",
                          name));
    if (!fs::is_directory(solution)) {
      problem(fmt::format("{}: no solution/ folder: add {} with the same files as the stub", name,
                          exercise.solution_folder().string()));
    } else {
      const std::set<std::string> expected(exercise.files.begin(), exercise.files.end());
      for (const auto& file : files_under(solution)) {
        if (!expected.count(file))
          problem(
              fmt::format("{}: {} is not a stub file: list \"{}\" in course.json \"files\" "
                          "and add the stub, or remove it",
                          name, (exercise.solution_folder() / file).string(), file));
      }
    }

    // The build knows the exercise: its folder's CMakeLists.txt names the stub files and binary.
    const fs::path folder_lists = folder / "CMakeLists.txt";
    if (!fs::is_regular_file(folder_lists)) {
      problem(
          fmt::format("{}: {} is missing", name, (exercise.folder / "CMakeLists.txt").string()));
    } else {
      const std::string text = read_text(folder_lists);
      for (const auto& file : exercise.files) {
        if (!mentions(text, fs::path(file).filename().string()) && file.size() > 2 &&
            file.substr(file.size() - 2) != ".h")
          problem(fmt::format("{}: {} does not compile {} (course.json \"files\")", name,
                              (exercise.folder / "CMakeLists.txt").string(), file));
      }
      if (!mentions(text, exercise.executable))
        problem(
            fmt::format("{}: {} does not declare the executable {} (course.json "
                        "\"executable\")",
                        name, (exercise.folder / "CMakeLists.txt").string(), exercise.executable));
    }

    // The checks: test sources with GoogleTest cases, compiled by some CMakeLists.txt.
    for (const auto& source : exercise.test_sources) {
      const fs::path file = root / source;
      if (!fs::is_regular_file(file)) {
        problem(fmt::format("{}: the test source {} is missing (course.json \"test_sources\")",
                            name, source.string()));
        continue;
      }
      if (!std::regex_search(read_text(file), test_macro))
        problem(fmt::format("{}: {} has no TEST(...): add the checks", name, source.string()));
      bool compiled = false;
      for (const auto& [path, text] : lists) compiled |= mentions(text, source.filename().string());
      if (!compiled)
        problem(fmt::format("{}: no CMakeLists.txt compiles {}", name, source.string()));
    }
    if (exercise.test_executables.empty())
      problem(fmt::format("{}: no \"test_executables\" in course.json", name));

    // The README and its graded hints.
    const fs::path readme = root / exercise.readme;
    if (!fs::is_regular_file(readme)) {
      problem(fmt::format("{}: the README {} is missing", name, exercise.readme.string()));
    } else {
      try {
        const auto hints = parse_hints(read_text(readme), exercise.readme.string());
        if (hints.size() < 2)
          problem(
              fmt::format("{}: {} has {} hint(s) under \"## Hints\"; give at least 2 "
                          "(\"### Hint 1\" a nudge ... the last nearly the answer)",
                          name, exercise.readme.string(), hints.size()));
      } catch (const CourseError& e) {
        problem(fmt::format("{}: {}", name, e.what()));
      }
    }
  }

  // Every exercise folder on disk is in the manifest, and in exercises/CMakeLists.txt.
  static const std::regex numbered(R"(\d\d+_.+)");
  const fs::path exercises = root / "exercises";
  const std::string exercises_lists = read_text(exercises / "CMakeLists.txt");
  std::error_code error;
  if (fs::is_directory(exercises, error)) {
    std::set<std::string> on_disk;
    for (const auto& entry : fs::directory_iterator(exercises, error)) {
      if (entry.is_directory() && std::regex_match(entry.path().filename().string(), numbered))
        on_disk.insert(entry.path().filename().string());
    }
    for (const auto& folder : on_disk) {
      if (!listed_folders.count(fs::path("exercises") / folder))
        problem(fmt::format("exercises/{} is not in course.json: add an entry for it", folder));
      if (!mentions(exercises_lists, folder))
        problem(fmt::format("exercises/{} is not in exercises/CMakeLists.txt: add it to the list",
                            folder));
    }
  }
  return problems;
}

}  // namespace course::tool
