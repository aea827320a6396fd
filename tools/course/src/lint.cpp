#include "course_tool/lint.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "common/language.h"
#include "common/text.h"
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
    problems.push_back(
        fmt::format("{}: no solution/ folder: add {} with the same files as the stub", name,
                    exercise.solution_folder().string()));
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

// How a code block's language writes its comments: the lint compares a README pair's code blocks
// with the comments taken out, so that the Spanish README translates them and nothing else.
enum class CommentStyle {
  None,       // no comments known (text, output, JSON): the whole block stays as it is
  ShellHash,  // sh, bash: `#` at the start of a word, outside quotes (not `$#`, not `${#x}`)
  Hash,       // Python, CMake, YAML: `#` anywhere outside quotes
  Slashes,    // C and C++: `//` to the end of the line and `/* ... */`, outside literals
};

CommentStyle comment_style(const std::string& language) {
  static const std::set<std::string> shells{"sh", "bash", "shell", "console", "zsh", "ksh"};
  static const std::set<std::string> hashes{"python", "py",  "python3", "cmake",
                                            "yaml",   "yml", "toml",    "make"};
  static const std::set<std::string> slashes{"cpp", "c++", "cxx", "cc",   "c",
                                             "h",   "hpp", "hxx", "cuda", "cu"};
  const std::string name = ascii_lowercase(language);
  if (shells.count(name)) return CommentStyle::ShellHash;
  if (hashes.count(name)) return CommentStyle::Hash;
  if (slashes.count(name)) return CommentStyle::Slashes;
  return CommentStyle::None;
}

// One line of code, its comments taken out and its trailing blanks trimmed; `offset` counts the
// block's lines from 0.
struct CodeLine {
  int offset = 0;
  std::string code;
};

// The lines of `block` with their comments taken out, blank ones (a comment alone on its line,
// an empty line) left out: a translated comment may take another line or none.
std::vector<CodeLine> code_without_comments(const std::string& block, CommentStyle style) {
  std::vector<CodeLine> lines;
  std::istringstream input(block);
  std::string line;
  int offset = -1;
  bool in_block_comment = false;  // C's /* ... */ across lines
  while (std::getline(input, line)) {
    ++offset;
    std::string code;
    char quote = 0;  // the quote that opened the string being read, 0 outside one
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      const char next = i + 1 < line.size() ? line[i + 1] : '\0';
      if (in_block_comment) {
        if (c == '*' && next == '/') {
          in_block_comment = false;
          ++i;
          code += ' ';
        }
        continue;
      }
      if (quote != 0) {
        code += c;
        if (c == '\\' && next && !(style == CommentStyle::ShellHash && quote == '\'')) {
          code += next;  // an escaped character (the shell's '...' has no escapes)
          ++i;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (style == CommentStyle::None) {
        code += c;
        continue;
      }
      const bool digit_separator =  // C++14's 1'000 opens no character literal
          style == CommentStyle::Slashes && c == '\'' && i > 0 &&
          std::isdigit(static_cast<unsigned char>(line[i - 1]));
      if ((c == '"' || c == '\'') && !digit_separator) {
        quote = c;
        code += c;
        continue;
      }
      if (style == CommentStyle::ShellHash && c == '\\' && next) {
        code += c;
        code += next;
        ++i;
        continue;
      }
      const bool word_start =
          i == 0 || std::string_view(" \t;&|()<>").find(line[i - 1]) != std::string_view::npos;
      if ((style == CommentStyle::ShellHash && c == '#' && word_start) ||
          (style == CommentStyle::Hash && c == '#') ||
          (style == CommentStyle::Slashes && c == '/' && next == '/'))
        break;  // the rest of the line is a comment
      if (style == CommentStyle::Slashes && c == '/' && next == '*') {
        in_block_comment = true;
        ++i;
        continue;
      }
      code += c;
    }
    while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.pop_back();
    if (!code.empty()) lines.push_back(CodeLine{offset, code});
  }
  return lines;
}

// One landmark of a README's structure: a heading, a table, a code block, an instructors' part.
struct Landmark {
  int line = 0;          // 1-based, in the file as written
  std::string kind;      // "heading", "hint", "table", "code", "instructors", "/instructors"
  int level = 0;         // a heading's level (## is 2)
  int number = 0;        // a hint's number; a table's rows
  std::string text;      // the heading as written; a code block's contents
  std::string language;  // a code block's, as its fence names it (```sh: "sh")
  std::string describe() const {
    if (kind == "hint") return fmt::format("hint {} (\"{}\")", number, text);
    if (kind == "heading") return fmt::format("a level-{} heading (\"{}\")", level, text);
    if (kind == "table") return fmt::format("a table of {} rows", number);
    if (kind == "instructors") return "the start of an instructors' part (<!-- instructors -->)";
    if (kind == "/instructors") return "the end of an instructors' part (<!-- /instructors -->)";
    return language.empty() ? "a code block" : fmt::format("a code block (```{})", language);
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
      std::string language = line.substr(first + 3);
      language = language.substr(0, language.find_first_of(" \t{"));
      found.push_back(Landmark{number, "code", 0, 0, "", language});
      table = -1;
      continue;
    }
    if (first != std::string::npos && line[first] == '|') {
      if (table < 0) {
        found.push_back(Landmark{number, "table", 0, 0, "", ""});
        table = static_cast<int>(found.size()) - 1;
      }
      ++found[static_cast<size_t>(table)].number;
      continue;
    }
    table = -1;
    std::smatch match;
    if (line == "<!-- instructors -->" || line == "<!-- /instructors -->") {
      found.push_back(Landmark{number, line.substr(5, line.size() - 9), 0, 0, line, ""});
    } else if (std::regex_match(line, match, hint)) {
      found.push_back(Landmark{number, "hint", 3, std::stoi(match[1].str()), line, ""});
    } else if (std::regex_match(line, match, heading)) {
      found.push_back(
          Landmark{number, "heading", static_cast<int>(match[1].length()), 0, line, ""});
    }
  }
  return found;
}

// Whether two code blocks hold the same code once their comments are out.
bool same_code(const Landmark& english, const Landmark& spanish) {
  if (english.language != spanish.language) return false;
  const CommentStyle style = comment_style(english.language);
  const auto theirs = code_without_comments(english.text, style);
  const auto ours = code_without_comments(spanish.text, style);
  return std::equal(theirs.begin(), theirs.end(), ours.begin(), ours.end(),
                    [](const CodeLine& a, const CodeLine& b) { return a.code == b.code; });
}

// Where two code blocks' code parts differ, as a line a translator can act on.
std::string code_difference(const Landmark& english, const Landmark& spanish,
                            const std::string& english_name, const std::string& spanish_name) {
  if (english.language != spanish.language)
    return fmt::format(
        "{}:{}: this code block opens with ```{} where {}:{} has ```{}: keep the "
        "fence as it is",
        spanish_name, spanish.line, spanish.language, english_name, english.line, english.language);
  const CommentStyle style = comment_style(english.language);
  const auto theirs = code_without_comments(english.text, style);
  const auto ours = code_without_comments(spanish.text, style);
  size_t i = 0;
  while (i < theirs.size() && i < ours.size() && theirs[i].code == ours[i].code) ++i;
  // The first line that differs, or the line after the shorter block's last line of code.
  auto line_of = [](const Landmark& block, const std::vector<CodeLine>& lines, size_t index) {
    if (index < lines.size()) return block.line + 1 + lines[index].offset;
    return block.line + 1 + (lines.empty() ? 0 : lines.back().offset + 1);
  };
  const std::string advice =
      style == CommentStyle::None
          ? "a code block without a language known to have comments stays exactly as it is"
          : "the code stays as it is, only its comments are translated";
  return fmt::format("{}:{}: this code block's code differs from {}:{}: {}", spanish_name,
                     line_of(spanish, ours, i), english_name, line_of(english, theirs, i), advice);
}

bool same_shape(const Landmark& english, const Landmark& spanish) {
  if (english.kind != spanish.kind) return false;
  if (english.kind == "heading") return english.level == spanish.level;
  if (english.kind == "code") return same_code(english, spanish);
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
  for (const auto& difference :
       compare_translation(read_text_or_empty(root / readme), read_text_or_empty(root / spanish),
                           readme.string(), spanish.string()))
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

// The glossary's table of words to avoid begins with this header row (cells trimmed, any case).
const std::vector<std::string> kAvoidHeader{"avoid", "use instead", "why"};

std::string trim_text(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// The cells of a Markdown table row ("| a | b |" gives "a", "b").
std::vector<std::string> table_cells(const std::string& row) {
  std::string inner = trim_text(row);
  if (!inner.empty() && inner.front() == '|') inner.erase(0, 1);
  if (!inner.empty() && inner.back() == '|') inner.pop_back();
  std::vector<std::string> cells;
  std::istringstream parts(inner);
  std::string cell;
  while (std::getline(parts, cell, '|')) cells.push_back(trim_text(cell));
  return cells;
}

// `text` in lower case: ASCII, and the accented capitals of Latin-1 in UTF-8 (Á, É, Ñ, ...).
std::string lowercase_word(std::string text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      text[i] = static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97)
        text[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return text;
}

// A letter of a word: ASCII letters and digits, and every byte of a UTF-8 sequence (á, ñ, ...).
bool word_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x80 || std::isalnum(byte);
}

// Marks in `mask` the bytes of `text` that are not prose: inline code (`...`, ``...``), the
// targets of links (](...)), addresses (http://...) and HTML comments.
void mask_non_prose(const std::string& text, std::vector<bool>& mask) {
  auto mark = [&](size_t from, size_t to) {
    for (size_t i = from; i < to && i < mask.size(); ++i) mask[i] = true;
  };
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '`') {  // a run of n backticks opens a span closed by the next run of n
      size_t run = text.find_first_not_of('`', i);
      if (run == std::string::npos) run = text.size();
      const size_t length = run - i;
      size_t close = run;
      while (true) {
        close = text.find('`', close);
        if (close == std::string::npos) break;
        size_t close_end = text.find_first_not_of('`', close);
        if (close_end == std::string::npos) close_end = text.size();
        if (close_end - close == length) break;
        close = close_end;
      }
      if (close == std::string::npos) {
        i = run;  // no closing run: the backticks are literal
        continue;
      }
      mark(i, close + length);
      i = close + length;
    } else if (text.compare(i, 2, "](") == 0) {
      const size_t close = text.find(')', i);
      const size_t end = close == std::string::npos ? text.size() : close + 1;
      mark(i, end);
      i = end;
    } else if (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0) {
      size_t end = text.find_first_of(" \t\n)>", i);
      if (end == std::string::npos) end = text.size();
      mark(i, end);
      i = end;
    } else if (text.compare(i, 4, "<!--") == 0) {
      const size_t close = text.find("-->", i);
      const size_t end = close == std::string::npos ? text.size() : close + 3;
      mark(i, end);
      i = end;
    } else {
      ++i;
    }
  }
}

// Each avoided word in the prose of `text` (bytes not in `mask`), as "name:line: ..." with the
// line counted from `first_line` at the start of `text`. A word that is part of a path, a flag
// or a piece of code (build/student, --build, build_dir, build.ninja, torch::ones({features}),
// build()) is not prose: check sentences quote code without backticks.
void find_avoided(const std::string& text, const std::vector<bool>& mask, int first_line,
                  const std::string& name, const std::vector<AvoidedWord>& avoid,
                  std::vector<std::string>& found) {
  static const std::string_view joins_before = "/\\_$=@-.{:<";
  static const std::string_view joins_after = "/\\_=@-}(>";
  int line = first_line;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\n') ++line;
    if (!word_byte(text[i]) || mask[i]) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && word_byte(text[end])) ++end;
    const char before = i > 0 ? text[i - 1] : ' ';
    const char after = end < text.size() ? text[end] : ' ';
    const bool dotted = after == '.' && end + 1 < text.size() && word_byte(text[end + 1]);
    const bool part_of_something = joins_before.find(before) != std::string_view::npos ||
                                   joins_after.find(after) != std::string_view::npos || dotted;
    if (!part_of_something) {
      const std::string word = lowercase_word(text.substr(i, end - i));
      for (const auto& entry : avoid) {
        if (entry.word != word) continue;
        found.push_back(
            fmt::format("{}:{}: \"{}\" is on po/GLOSSARY.md's list of words to "
                        "avoid: use {}",
                        name, line, text.substr(i, end - i), entry.instead));
        break;
      }
    }
    i = end;
  }
}

// Each number of the prose of `text` (bytes not in `mask`) written with a decimal comma ("1,8"):
// the course writes numbers as its programs print them, with a decimal point (po/GLOSSARY.md).
void find_decimal_commas(const std::string& text, const std::vector<bool>& mask, int first_line,
                         const std::string& name, std::vector<std::string>& found) {
  auto digit = [&](size_t i) {
    return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
  };
  int line = first_line;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text[i] != ',' || mask[i] || i == 0 || !digit(i - 1) || !digit(i + 1)) continue;
    size_t from = i, to = i + 1;
    while (from > 0 && digit(from - 1)) --from;
    while (digit(to)) ++to;
    const std::string number = text.substr(from, to - from);
    found.push_back(fmt::format(
        "{}:{}: \"{}\" has a decimal comma: write {}, with the decimal "
        "point, as the programs print numbers (po/GLOSSARY.md)",
        name, line, number, number.substr(0, i - from) + "." + number.substr(i - from + 1)));
    i = to - 1;
  }
}

// Every README.es.md (and other *.es.md) of the course, relative to `root`, in order; build
// folders (build*/ at the top) and hidden ones left out.
std::vector<fs::path> spanish_markdown_files(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory()) {
      if (starts_with(name, ".") || (it.depth() == 0 && starts_with(name, "build")))
        it.disable_recursion_pending();
      continue;
    }
    if (name.size() > 6 && name.compare(name.size() - 6, 6, ".es.md") == 0)
      files.push_back(it->path().lexically_relative(root));
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The glossary's words to avoid, in the README.es.md files and in po/es.po's Spanish. A course
// without po/ (the demo course of the tests) has no glossary to follow.
void lint_terminology(const fs::path& root, Problems& problems) {
  const fs::path glossary = root / "po/GLOSSARY.md";
  if (!fs::is_regular_file(glossary)) {
    if (fs::is_directory(root / "po"))
      problems.push_back(
          "po/GLOSSARY.md is missing: the course's Spanish terms, and the table of words to avoid "
          "(| avoid | use instead | why |) that the lint reads");
    return;
  }
  const std::vector<AvoidedWord> avoid = read_avoid_list(read_text_or_empty(glossary));
  if (avoid.empty()) {
    problems.push_back(
        "po/GLOSSARY.md has no table of words to avoid: the lint reads the rows under the header "
        "| avoid | use instead | why |");
    return;
  }
  for (const auto& file : spanish_markdown_files(root))
    for (auto& problem :
         find_avoided_words_in_markdown(read_text_or_empty(root / file), file.string(), avoid))
      problems.push_back(std::move(problem));
  if (fs::is_regular_file(root / "po/es.po"))
    for (auto& problem :
         find_avoided_words_in_po(read_text_or_empty(root / "po/es.po"), "po/es.po", avoid))
      problems.push_back(std::move(problem));
}

}  // namespace

std::vector<std::string> compare_translation(const std::string& english, const std::string& spanish,
                                             const std::string& english_name,
                                             const std::string& spanish_name) {
  const std::vector<Landmark> theirs = landmarks(english);
  const std::vector<Landmark> ours = landmarks(spanish);
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
      differences.push_back(code_difference(theirs[i], ours[i], english_name, spanish_name));
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

std::vector<AvoidedWord> read_avoid_list(const std::string& glossary) {
  std::vector<AvoidedWord> avoid;
  std::istringstream lines(glossary);
  std::string line;
  enum { Before, Separator, Rows } state = Before;
  while (std::getline(lines, line)) {
    const bool row = starts_with(trim_text(line), "|");
    if (state == Before) {
      std::vector<std::string> header = table_cells(line);
      for (auto& cell : header) cell = ascii_lowercase(cell);
      if (row && header == kAvoidHeader) state = Separator;
    } else if (state == Separator) {
      state = Rows;  // |---|---|---|
    } else if (!row) {
      break;
    } else {
      const std::vector<std::string> cells = table_cells(line);
      if (cells.size() < 2) continue;
      std::istringstream words(cells[0]);
      std::string word;
      while (std::getline(words, word, ',')) {
        word.erase(std::remove_if(word.begin(), word.end(),
                                  [](char c) { return c == '`' || c == '*' || c == '"'; }),
                   word.end());
        word = trim_text(word);
        if (!word.empty()) avoid.push_back(AvoidedWord{lowercase_word(word), cells[1]});
      }
    }
  }
  return avoid;
}

std::vector<std::string> find_avoided_words_in_markdown(const std::string& markdown,
                                                        const std::string& name,
                                                        const std::vector<AvoidedWord>& avoid) {
  std::vector<std::string> found;
  std::istringstream lines(markdown);
  std::string line, paragraph;
  int number = 0, paragraph_line = 0;
  bool in_fence = false;
  // A paragraph at a time: inline code may run from one line onto the next.
  auto flush = [&] {
    if (paragraph.empty()) return;
    std::vector<bool> mask(paragraph.size(), false);
    mask_non_prose(paragraph, mask);
    find_avoided(paragraph, mask, paragraph_line, name, avoid, found);
    find_decimal_commas(paragraph, mask, paragraph_line, name, found);
    paragraph.clear();
  };
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string bare = trim_text(line);
    if (starts_with(bare, "```") || starts_with(bare, "~~~")) {
      flush();
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) continue;
    if (bare.empty()) {
      flush();
      continue;
    }
    if (paragraph.empty()) paragraph_line = number;
    paragraph += line + "\n";
  }
  flush();
  return found;
}

std::vector<std::string> find_avoided_words_in_po(const std::string& po, const std::string& name,
                                                  const std::vector<AvoidedWord>& avoid) {
  std::vector<std::string> found;
  std::istringstream lines(po);
  std::string line;
  int number = 0;
  bool in_msgstr = false;
  while (std::getline(lines, line)) {
    ++number;
    if (starts_with(line, "msgstr")) {
      in_msgstr = true;
    } else if (!starts_with(line, "\"")) {
      in_msgstr = false;
    }
    if (!in_msgstr) continue;
    const size_t open = line.find('"');
    if (open == std::string::npos) continue;
    std::string text = line.substr(open);
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] == '\\') {  // \n, \t, \" are no letters of the next word
        text[i] = ' ';
        text[i + 1] = ' ';
        ++i;
      }
    }
    std::vector<bool> mask(text.size(), false);
    mask_non_prose(text, mask);
    find_avoided(text, mask, number, name, avoid, found);
  }
  return found;
}

std::vector<std::string> lint_course(const Manifest& manifest) {
  Problems problems;
  for (const auto& exercise : manifest.exercises) {
    if (!fs::is_directory(manifest.root / exercise.folder)) {
      problems.push_back(
          fmt::format("{}: the folder {} does not exist", exercise.name, exercise.folder.string()));
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
  lint_terminology(manifest.root, problems);
  return problems;
}

}  // namespace course::tool
