// Graded hints, read from an exercise's README: the section "## Hints" with subsections
// "### Hint 1", "### Hint 2", ... (a nudge first, nearly the answer last); in the Spanish
// README.es.md, "## Pistas" with "### Pista 1", "### Pista 2", ...
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace course::tool {

struct Hint {
  int number = 0;    // as written in the heading
  std::string text;  // the Markdown under the heading, trimmed
};

// Every hint of the "## Hints" section of `markdown`, in order. Throws CourseError when the
// section is missing, a heading is not "### Hint N" with N = 1, 2, ... in order, or a hint is
// empty. `source` names the file in error messages.
std::vector<Hint> parse_hints(const std::string& markdown, const std::string& source);

// parse_hints() over the file `readme`.
std::vector<Hint> read_hints(const std::filesystem::path& readme);

}  // namespace course::tool
