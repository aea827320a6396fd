#include "course_tool/lint.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/hints.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

// The file's text, or "" when it cannot be read (lint reports missing files on their own).
std::string read_text_or_empty(const fs::path& file) {
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
    const std::string stub_text = read_text_or_empty(stub_file);
    mentions_todo |= stub_text.find("TODO") != std::string::npos;
    if (!fs::is_regular_file(solution_file)) {
      problems.push_back(fmt::format("{}: {} has no reference solution: add {}", name,
                                     (exercise.folder / file).string(),
                                     (exercise.solution_folder() / file).string()));
      continue;
    }
    ++pairs_found;
    any_different |= stub_text != read_text_or_empty(solution_file);
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
    } else if (!std::regex_search(read_text_or_empty(file), test_macro)) {
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
    const auto hints = parse_hints(read_text_or_empty(readme), exercise.readme.string());
    if (hints.size() < 2)
      problems.push_back(
          fmt::format("{}: {} has {} hint(s) under \"## Hints\"; give at least 2 "
                      "(\"### Hint 1\" a nudge ... the last nearly the answer)",
                      exercise.name, exercise.readme.string(), hints.size()));
  } catch (const CourseError& e) {
    problems.push_back(fmt::format("{}: {}", exercise.name, e.what()));
  }
}

// One landmark of a README's structure: a heading, a table, a code block.
struct Landmark {
  int line = 0;      // 1-based, in the file as written
  std::string kind;  // "heading", "hint", "table", "code"
  int level = 0;     // a heading's level (## is 2)
  int number = 0;    // a hint's number; a table's rows
  std::string text;  // the heading as written; a code block's contents
  std::string describe() const {
    if (kind == "hint") return fmt::format("hint {} (\"{}\")", number, text);
    if (kind == "heading") return fmt::format("a level-{} heading (\"{}\")", level, text);
    if (kind == "table") return fmt::format("a table of {} rows", number);
    return "a code block";
  }
};

std::vector<Landmark> landmarks(const std::string& markdown) {
  static const std::regex heading(R"(^(#{1,6})\s+(.*\S)\s*$)");
  static const std::regex hint(R"(^###\s+(?:Hint|Pista)\s+(\d+)\b.*$)");
  std::vector<Landmark> found;
  std::istringstream lines(markdown);
  std::string line;
  int number = 0;
  bool in_fence = false;
  int table = -1;  // the index of the table being read, -1 outside a table
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    const bool fence = first != std::string::npos && line.compare(first, 3, "```") == 0;
    if (in_fence) {
      if (fence) {
        in_fence = false;
      } else {
        found.back().text += line + "\n";
      }
      continue;
    }
    if (fence) {
      in_fence = true;
      found.push_back(Landmark{number, "code", 0, 0, ""});
      table = -1;
      continue;
    }
    if (first != std::string::npos && line[first] == '|') {
      if (table < 0) {
        found.push_back(Landmark{number, "table", 0, 0, ""});
        table = static_cast<int>(found.size()) - 1;
      }
      ++found[static_cast<size_t>(table)].number;
      continue;
    }
    table = -1;
    std::smatch match;
    if (std::regex_match(line, match, hint)) {
      found.push_back(Landmark{number, "hint", 3, std::stoi(match[1].str()), line});
    } else if (std::regex_match(line, match, heading)) {
      found.push_back(Landmark{number, "heading", static_cast<int>(match[1].length()), 0, line});
    }
  }
  return found;
}

bool same_shape(const Landmark& english, const Landmark& spanish) {
  if (english.kind != spanish.kind) return false;
  if (english.kind == "heading") return english.level == spanish.level;
  if (english.kind == "code") return english.text == spanish.text;
  return english.number == spanish.number;  // a hint's number, a table's rows
}

// The top README and each exercise's: its Spanish README.es.md beside it, with its structure.
void lint_translation(const fs::path& root, const fs::path& readme, const std::string& owner,
                      Problems& problems) {
  const fs::path spanish = spanish_readme(readme);
  const std::string prefix = owner.empty() ? "" : owner + ": ";
  if (!fs::is_regular_file(root / spanish)) {
    problems.push_back(fmt::format(
        "{}the Spanish README {} is missing: translate {} (the same sections, hints and tables)",
        prefix, spanish.string(), readme.string()));
    return;
  }
  if (!owner.empty()) {  // an exercise's: `course hint` reads its hints in Spanish
    try {
      parse_hints(read_text_or_empty(root / spanish), spanish.string());
    } catch (const CourseError& e) {
      problems.push_back(prefix + e.what());
    }
  }
  for (const auto& difference : compare_translation(
           read_text_or_empty(root / readme), read_text_or_empty(root / spanish), readme.string(), spanish.string()))
    problems.push_back(prefix + difference);
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

std::string student_part(const std::string& markdown) {
  std::istringstream lines(markdown);
  std::string line, kept;
  bool instructors = false;
  while (std::getline(lines, line)) {
    std::string bare = line;
    if (!bare.empty() && bare.back() == '\r') bare.pop_back();
    if (bare == "<!-- instructors -->") {
      instructors = true;
    } else if (bare == "<!-- /instructors -->") {
      instructors = false;
    } else if (!instructors) {
      kept += line + "\n";
      continue;
    }
    kept += "\n";  // an empty line in place of each left-out one keeps the line numbers
  }
  return kept;
}

std::vector<std::string> compare_translation(const std::string& english, const std::string& spanish,
                                             const std::string& english_name,
                                             const std::string& spanish_name) {
  const std::vector<Landmark> theirs = landmarks(student_part(english));
  const std::vector<Landmark> ours = landmarks(student_part(spanish));
  std::vector<std::string> differences;
  auto hints = [](const std::vector<Landmark>& marks) {
    return std::count_if(marks.begin(), marks.end(),
                         [](const Landmark& mark) { return mark.kind == "hint"; });
  };
  if (hints(theirs) != hints(ours))
    differences.push_back(fmt::format("{} has {} hint(s), but {} has {}: translate each hint",
                                      spanish_name, hints(ours), english_name, hints(theirs)));
  const size_t common = std::min(theirs.size(), ours.size());
  for (size_t i = 0; i < common; ++i) {
    if (same_shape(theirs[i], ours[i])) continue;
    if (theirs[i].kind == "code" && ours[i].kind == "code") {
      differences.push_back(fmt::format(
          "{}:{}: this code block differs from {}:{}: code stays English, copy it as it is",
          spanish_name, ours[i].line, english_name, theirs[i].line));
    } else {
      differences.push_back(fmt::format("{}:{} has {} where {}:{} has {}", spanish_name,
                                        ours[i].line, ours[i].describe(), english_name,
                                        theirs[i].line, theirs[i].describe()));
    }
    return differences;  // after the first difference, everything else is shifted
  }
  if (theirs.size() > common) {
    differences.push_back(fmt::format("{} ends early: {}:{} has {} and more after it", spanish_name,
                                      english_name, theirs[common].line,
                                      theirs[common].describe()));
  } else if (ours.size() > common) {
    differences.push_back(fmt::format("{}:{} has {}, which {} does not have", spanish_name,
                                      ours[common].line, ours[common].describe(), english_name));
  }
  return differences;
}

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
    if (fs::is_regular_file(manifest.root / exercise.readme))
      lint_translation(manifest.root, exercise.readme, exercise.name, problems);
    if (exercise.title_es.empty())
      problems.push_back(fmt::format(
          "{}: course.json gives no \"title_es\": the title in Spanish, for `course list`",
          exercise.name));
  }
  if (fs::is_regular_file(manifest.root / "README.md"))
    lint_translation(manifest.root, "README.md", "", problems);
  lint_unlisted_folders(manifest, problems);
  return problems;
}

}  // namespace course::tool
