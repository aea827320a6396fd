// The course as the runner sees it: its manifest, the student build, the saved progress, and
// how to paint text on this terminal.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/language.h"
#include "course_tool/manifest.h"
#include "course_tool/progress.h"
#include "course_tool/student_build.h"

namespace course::tool {

// ANSI colours on a terminal only; NO_COLOR (no-color.org) and --no-color turn them off.
struct Style {
  bool color = false;
  std::string paint(const std::string& code, const std::string& text) const {
    return color ? "\033[" + code + "m" + text + "\033[0m" : text;
  }
  std::string green(const std::string& text) const { return paint("32", text); }
  std::string red(const std::string& text) const { return paint("31", text); }
  std::string yellow(const std::string& text) const { return paint("33", text); }
  std::string bold(const std::string& text) const { return paint("1", text); }
  std::string dim(const std::string& text) const { return paint("2", text); }
};
Style make_style(bool no_color);
bool utf8_terminal();  // the locale says UTF-8: block characters draw

int64_t now_seconds();
int64_t modified_seconds(const std::filesystem::path& file);  // 0 when missing
// Each line of `text` with `prefix` before it; at most `max_lines` (0: all), then "...".
std::string indent(const std::string& text, const std::string& prefix, size_t max_lines = 0);

struct Course {
  Manifest manifest;
  StudentBuild build;
  ProgressCache progress;
  Style style;
  // --verbose: a failed check shows GoogleTest's whole report, a failed build the compiler's
  // whole output (else the course's sentence, and the compiler's first error in a student file).
  bool verbose = false;

  std::filesystem::path root() const { return manifest.root; }
  std::string relative(const std::filesystem::path& path) const {
    return path.lexically_relative(manifest.root).string();
  }
};

// The checkout's root: from the current folder upwards, else from where this binary lives
// (build/student/bin/course inside the checkout). Throws CourseError outside a checkout.
std::filesystem::path locate_root();
Course open_course(const std::string& build_dir, bool no_color);

// `course --lang CHOICE`: "es" or "en" (saved in the checkout's settings), "auto" (forgets the
// saved choice: the locale decides again); anything else throws CourseError.
std::optional<Language> parse_language_choice(const std::string& choice);
// The language of this run, passed on (COURSE_LANG) to every program the runner starts: `choice`
// when given (empty: not given; it is saved at `root`), else COURSE_LANG, else the language
// saved at `root`, else the locale (LC_ALL > LC_MESSAGES > LANG).
Language choose_language(const std::filesystem::path& root, const std::string& choice);

}  // namespace course::tool
