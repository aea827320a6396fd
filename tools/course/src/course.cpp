#include "course_tool/course.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sstream>

#include "common/language.h"

namespace course::tool {
namespace fs = std::filesystem;

Style make_style(bool no_color) {
  Style style;
  const char* term = std::getenv("TERM");
  style.color = !no_color && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr &&
                !(term && std::string(term) == "dumb");
  return style;
}

bool utf8_terminal() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (value && *value) {
      std::string text = value;
      std::transform(text.begin(), text.end(), text.begin(), ::tolower);
      return text.find("utf-8") != std::string::npos || text.find("utf8") != std::string::npos;
    }
  }
  return false;
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t modified_seconds(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return 0;
  return static_cast<int64_t>(info.st_mtime);
}

std::string indent(const std::string& text, const std::string& prefix, size_t max_lines) {
  std::istringstream lines(text);
  std::string line, result;
  size_t count = 0;
  while (std::getline(lines, line)) {
    if (max_lines && count == max_lines) {
      result += prefix + "...\n";
      break;
    }
    result += prefix + line + "\n";
    ++count;
  }
  return result;
}

// The checkout's root: from the current folder upwards, else from where this binary lives
// (build/student/bin/course inside the checkout).
fs::path locate_root() {
  fs::path root = find_course_root(fs::current_path());
  if (!root.empty()) return root;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) root = find_course_root(self.parent_path());
  if (!root.empty()) return root;
  throw CourseError(std::string(
      course::tr("not inside the course: run `course` from the folder you cloned (the one with "
                 "course.json) or any folder below it")));
}

std::optional<Language> parse_language_choice(const std::string& choice) {
  if (choice == "auto") return std::nullopt;
  if (choice == "es" || choice == "en") return parse_language(choice);
  throw CourseError(trf(
      "--lang takes es (Spanish), en (English) or auto (the locale decides), not '{}'", choice));
}

Language choose_language(const fs::path& root, const std::string& choice) {
  Language language = language_from_locale();
  if (!choice.empty()) {
    const std::optional<Language> chosen = parse_language_choice(choice);
    if (chosen) use_language(*chosen);  // a failure to save it is said in the language chosen
    try {
      save_language(root, chosen);
    } catch (const std::exception& e) {
      throw CourseError(trf("cannot save the language: {}", e.what()));
    }
    if (chosen) language = *chosen;
  } else if (const char* passed = std::getenv(kLanguageVariable);
             passed && parse_language(passed)) {
    language = *parse_language(passed);
  } else if (const auto saved = saved_language(root)) {
    language = *saved;
  }
  use_language(language);
  return language;
}

Course open_course(const std::string& build_dir, bool no_color) {
  const fs::path root = locate_root();
  Manifest manifest = load_manifest(root);
  StudentBuild build = student_build(manifest, build_dir);
  return Course{std::move(manifest), std::move(build), ProgressCache(progress_file(root)),
                make_style(no_color)};
}

}  // namespace course::tool
