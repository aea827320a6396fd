#include "course_tool/hints.h"

#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "common/language.h"
#include "common/text.h"
#include "course_tool/files.h"
#include "course_tool/manifest.h"

namespace course::tool {

std::vector<Hint> parse_hints(const std::string& markdown, const std::string& source) {
  // English README.md: "## Hints", "### Hint 1"; Spanish README.es.md: "## Pistas", "### Pista 1".
  static const std::regex hints_heading(R"(^##\s+(Hints|Pistas)\s*$)");
  static const std::regex hint_heading(R"(^###\s+(?:Hint|Pista)\s+(\d+)\b.*$)");
  std::istringstream lines(markdown);
  std::string line;
  bool in_section = false;
  bool found_section = false;
  bool in_fence = false;  // headings inside ``` code blocks are code, not headings
  std::vector<Hint> hints;
  std::string body;
  auto close_hint = [&] {
    if (hints.empty()) return;
    hints.back().text = trim(body);
    body.clear();
  };
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (starts_with(trim(line), "```")) in_fence = !in_fence;
    if (!in_fence && std::regex_match(line, hints_heading)) {
      if (found_section) throw CourseError(trf("{}: \"## Hints\" appears twice", source));
      in_section = found_section = true;
      continue;
    }
    if (!in_section) continue;
    std::smatch match;
    if (!in_fence && (starts_with(line, "# ") || starts_with(line, "## "))) {
      in_section = false;  // the next section ends the hints
      continue;
    }
    if (!in_fence && starts_with(line, "### ")) {
      if (!std::regex_match(line, match, hint_heading))
        throw CourseError(
            trf("{}: under \"## Hints\" every heading must be \"### Hint N\", not \"{}\"", source,
                line));
      close_hint();
      const int number = std::stoi(match[1].str());
      const int expected = static_cast<int>(hints.size()) + 1;
      if (number != expected)
        throw CourseError(trf("{}: \"{}\" should be \"### Hint {}\" (hints count 1, 2, ...)",
                              source, line, expected));
      hints.push_back(Hint{number, {}});
      continue;
    }
    if (!hints.empty()) body += line + "\n";
  }
  close_hint();
  if (!found_section) throw CourseError(trf("{}: no \"## Hints\" section", source));
  for (const auto& hint : hints) {
    if (hint.text.empty())
      throw CourseError(trf("{}: \"### Hint {}\" is empty", source, hint.number));
  }
  return hints;
}

std::vector<Hint> read_hints(const std::filesystem::path& readme) {
  std::ifstream in(readme);
  if (!in) throw CourseError(trf("cannot read {}", readme.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse_hints(text.str(), readme.string());
}

}  // namespace course::tool
