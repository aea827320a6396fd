#include "course_tool/compile_errors.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "common/language.h"
#include "common/text.h"
#include "course_tool/files.h"
#include "course_tool/hints.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::N_;
using course::tr;
using course::trf;
using course::trn;

namespace {

// One diagnostic of the compiler: "FILE:LINE:COL: error: MESSAGE" and the lines clang prints
// under it (the source line, the caret, a fix-it).
struct Diagnostic {
  std::string file;  // relative to the root when under it
  int line = 0;
  int column = 0;
  std::string severity;  // "error", "fatal error", "warning", "note" (gcc's "required from" too)
  std::string message;
  std::vector<std::string> excerpt;
  std::vector<std::string> included_from;  // "In file included from" FILE:LINE, outermost first

  std::string location() const {
    if (line == 0) return file;
    return column == 0 ? fmt::format("{}:{}", file, line)
                       : fmt::format("{}:{}:{}", file, line, column);
  }
};

// An error (or a warning) and the notes after it.
struct Group {
  Diagnostic head;
  std::vector<Diagnostic> notes;
  bool is_error() const { return head.severity != "warning"; }
};

std::string strip_ansi(const std::string& text) {
  static const std::regex escape("\x1b\\[[0-9;]*[A-Za-z]");
  return std::regex_replace(text, escape, "");
}

std::string relative_to_root(std::string text, const fs::path& root) {
  const std::string prefix = root.string() + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

// A file outside the checkout (LibTorch's headers, the standard library): its path stays
// absolute once the root is cut off the others. "<built-in>" and "<command line>" too.
bool outside_checkout(const std::string& file) {
  return starts_with(file, "/") || starts_with(file, "<");
}

// LibTorch's headers as a student would #include them: torch/nn/pimpl.h.
std::string short_header(const std::string& file) {
  for (const char* prefix :
       {"/usr/include/torch/csrc/api/include/", "/usr/local/include/torch/csrc/api/include/"}) {
    if (starts_with(file, prefix)) return file.substr(std::string(prefix).size());
  }
  const auto include = file.rfind("/include/");
  return include == std::string::npos ? file : file.substr(include + 9);
}

// A line of ninja (or of make) rather than of the compiler, or clang's count of errors.
bool build_tool_line(const std::string& line) {
  if (starts_with(line, "ninja: ") || starts_with(line, "FAILED: ")) return true;
  static const std::regex progress(R"(^\[\s*\d+(/\d+|%)\]\s)");
  if (starts_with(line, "[") && std::regex_search(line, progress)) return true;
  static const std::regex generated(R"(^\d+ (errors?|warnings?)( and \d+ errors?)? generated\.$)");
  if (std::regex_match(line, generated)) return true;
  return starts_with(line, "gmake") || starts_with(line, "make[") || starts_with(line, "make:");
}

// The compile command ninja prints after "FAILED:": the compiler and its flags.
bool command_line(const std::string& line) {
  return line.find(" -c ") != std::string::npos &&
         (line.find(" -o ") != std::string::npos || line.find(" -MF ") != std::string::npos);
}

struct Parsed {
  std::vector<Group> groups;
  std::vector<std::string> lines;  // the compiler's lines, paths relative, commands dropped
};

Parsed parse(const std::string& build_output, const fs::path& root) {
  static const std::regex diagnostic(
      R"(^(.+?):(\d+):(?:(\d+):)? (fatal error|error|warning|note): (.*)$)");
  static const std::regex required_from(R"(^(.+?):(\d+):(?:(\d+):)?\s+(required from .*)$)");
  static const std::regex included(R"(^(?:In file included from|\s+from) (.+?):(\d+)[:,]$)");
  static const std::regex gcc_context(
      R"(^(.+?): (In (instantiation|member function|function|constructor|static member function|substitution) .*|At global scope):$)");
  Parsed parsed;
  std::istringstream input(strip_ansi(build_output));
  std::string raw;
  std::vector<std::string> pending_includes, last_includes;
  std::string last_file;
  bool after_failed = false;
  Diagnostic* current = nullptr;  // where the source lines that follow belong
  while (std::getline(input, raw)) {
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (starts_with(raw, "FAILED: ")) {  // a new file's compile: a new include stack
      after_failed = true;
      current = nullptr;
      last_includes.clear();
      last_file.clear();
      continue;
    }
    const bool command = after_failed && command_line(raw);
    after_failed = false;
    if (command || build_tool_line(raw)) {
      current = nullptr;
      continue;
    }
    const std::string line = relative_to_root(raw, root);
    parsed.lines.push_back(line);
    std::smatch match;
    if (std::regex_match(line, match, included)) {
      pending_includes.push_back(match[1].str() + ":" + match[2].str());
      current = nullptr;
      continue;
    }
    if (std::regex_match(line, match, gcc_context) || starts_with(line, "fatal error: ")) {
      current = nullptr;
      continue;
    }
    const bool is_diagnostic = std::regex_match(line, match, diagnostic);
    const bool is_required = !is_diagnostic && std::regex_match(line, match, required_from);
    if (!is_diagnostic && !is_required) {
      if (current) current->excerpt.push_back(line);
      continue;
    }
    Diagnostic found;
    found.file = match[1].str();
    found.line = std::stoi(match[2].str());
    found.column = match[3].matched ? std::stoi(match[3].str()) : 0;
    found.severity = is_required ? "note" : match[4].str();
    found.message = is_required ? match[4].str() : match[5].str();
    // clang prints the include stack only when it changes.
    if (!pending_includes.empty()) {
      found.included_from = pending_includes;
    } else if (found.file == last_file) {
      found.included_from = last_includes;
    }
    last_includes = found.included_from;
    last_file = found.file;
    pending_includes.clear();
    if (found.severity != "note") {
      parsed.groups.push_back(Group{found, {}});
      current = &parsed.groups.back().head;
    } else if (!parsed.groups.empty()) {
      parsed.groups.back().notes.push_back(found);
      current = &parsed.groups.back().notes.back();
    } else {
      current = nullptr;
    }
  }
  return parsed;
}

bool is_student_file(const std::string& file, const CompileContext& context) {
  if (outside_checkout(file)) return false;
  const fs::path path = fs::path(file).lexically_normal();
  return std::any_of(context.student_files.begin(), context.student_files.end(),
                     [&](const fs::path& student) { return student.lexically_normal() == path; });
}

std::string read_student_file(const fs::path& file, const CompileContext& context) {
  try {
    const auto copy = context.copies.find(fs::path(file).lexically_normal());
    return read_text(copy == context.copies.end() ? context.root / file : copy->second);
  } catch (const CourseError&) {
    return "";
  }
}

// ---- The classic mistakes -------------------------------------------------------------------

struct Pattern {
  const char* id;
  // Any of these (ECMAScript regexes) found in the error's message or its notes' messages. The
  // first group that matched (if any) is the name `needs_impl` and `declaration` use.
  std::vector<const char*> messages;
  // The sentence (English; its Spanish is in po/es.po).
  const char* sentence;
  // Words of the exercise's hint about it: the first hint holding one is named.
  std::vector<const char*> hint_words;
  // A regex the error's source line must match too (nullptr: any line).
  const char* excerpt;
  // The name matched is a module of the student's own: NAMEImpl is in a student file (or in the
  // compiler's output).
  bool needs_impl;
  // A regex of the student's line when the compiler names none ("{}": the name matched), looked
  // for in the student files, line by line, comments left out.
  const char* declaration;
  // A note (regex) whose file, when it is a student file, is the one to fix: the member's
  // declaration in the header rather than the constructor that trips on it.
  const char* fix_in_note;
};

const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> table = {
      {"holder_without_nullptr",
       {R"(is_default_constructible<torch::nn::(\w+)Impl>)",
        R"(default construct a module which has no default constructor)",
        R"(must explicitly initialize the member '\w+' which does not have a default constructor)",
        R"(implicitly-deleted default constructor of '[^']*Impl')",
        R"(field '\w+' has no default constructor)"},
       N_("A layer member such as `torch::nn::Linear fc1;` is a module holder, and a holder is "
          "never "
          "empty unless you say so: declare it with `{nullptr}` in the header, then create the "
          "layer "
          "in the constructor with register_module."),
       {"register_module", "nullptr"},
       nullptr,
       false,
       R"((^|[^\w:])(torch::nn::)?{}\s+\w+\s*;)",
       R"(declared here|has no default constructor)"},
      {"member_constructed_with_parentheses",
       {R"(unknown type name '\w+')", R"(expected parameter declarator)",
        R"(expected identifier before numeric constant)"},
       N_("A member cannot be constructed with parentheses where the class declares it: declare a "
          "layer member with `{nullptr}`, then create the layer in the constructor with "
          "register_module."),
       {"register_module", "nullptr"},
       R"(^\s*(torch::nn::)?[A-Z]\w*\s+\w+\s*\(\s*\w+\s*(,\s*\w+\s*)*\)\s*;)",
       false,
       nullptr,
       nullptr},
      {"module_without_torch_module",
       {R"(unknown type name '(\w+)')", R"(use of undeclared identifier '(\w+)')",
        R"(no type named '(\w+)' in namespace)", R"('(\w+)' does not name a type)",
        R"(member reference type '[\w:]*::(\w+)Impl' is not a pointer)"},
       N_("A module of your own is a pair: the class NameImpl (a torch::nn::Module) holds the "
          "code, "
          "and `TORCH_MODULE(Name);` right after the class declares Name, the holder that the "
          "functions take and use with `->`. Check that the TORCH_MODULE line is there, after the "
          "class."),
       {"TORCH_MODULE"},
       nullptr,
       true,
       nullptr,
       nullptr},
      {"dot_for_arrow",
       {R"(did you mean to use '->' instead of '\.'\?)",
        R"(has no member named '\w+'; did you mean to use '->')"},
       N_("A module holder (torch::nn::Linear, your own Net or Mlp) works like a pointer: reach "
          "the "
          "module's members and functions with `->` (`fc1->weight`, `model->parameters()`), not "
          "with `.`."),
       {"holder"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"module_as_tensor",
       {R"(conversion from '(const )?torch::nn::\w+( &)?' to '(const )?at::Tensor)",
        R"(cannot convert '(const )?torch::nn::\w+' to '(const )?at::Tensor)"},
       N_("A module (torch::nn::ReLU, a Linear...) is not a tensor: call the module on a tensor "
          "and "
          "pass on the tensor it returns, or use the function instead of the module "
          "(torch::relu)."),
       {"relu"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"module_type_as_value",
       {R"(expected '\(' for function-style cast or type construction)",
        R"(does not refer to a value)", R"(expected primary-expression before)"},
       N_("A module's type is not a module: where a module is passed, construct one, with "
          "parentheses after the type (`torch::nn::ReLU()`)."),
       {"ReLU()"},
       R"(torch::nn::[A-Z]\w*\s*[,)])",
       false,
       nullptr,
       nullptr},
      {"sizes_without_braces",
       {R"(no matching (member )?function for call to '(zeros|ones|empty|full|rand|randn|randint|view|reshape|expand)')"},
       N_("The sizes of a tensor go in one braced list, an IntArrayRef: `torch::zeros({rows, "
          "cols})`, not `torch::zeros(rows, cols)` (a second argument would be the options: "
          "dtype, device)."),
       {"{rows, cols}", "braced"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"stack_before_normalize",
       {R"(Stack<>+, (torch::data::transforms::)?Normalize<)",
        R"(no type named 'value_type' in 'torch::data::Example<)"},
       N_("The transforms apply in the order of the .map calls: Normalize works on one example (an "
          "image and its label) and Stack joins the examples of a batch into one, so Normalize is "
          "mapped first and Stack last (and the result is then a NormalizedDataset)."),
       {"Normalize"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"item_without_type",
       {R"(from (returned value of type )?'(const )?(c10|at)::Scalar')",
        R"(invalid operands to binary expression \('(c10|at)::Scalar' and)",
        R"(and '(c10|at)::Scalar'\))", R"(cannot convert '(const )?(c10|at)::Scalar' to)"},
       N_("item() without a type gives a Scalar, not a number: name the type you want, as in "
          "`item<double>()` (or `item<int64_t>()` for a count)."),
       {"item<"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"optional_size",
       {R"(conversion from '(const )?(c10::|std::)?optional<(size_t|unsigned long)>')"},
       N_("A dataset's size() returns an optional (torch::optional<size_t>), since some datasets "
          "do "
          "not know their size: read the number with `.value()`."),
       {".value()"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"tensor_for_ivalues",
       {R"(conversion from '(const )?(torch|at)::Tensor( &)?' to '(const )?std::vector<(c10::)?IValue)",
        R"(from '(const )?(torch|at)::Tensor' to 'std::vector<(c10::)?IValue)"},
       N_("A TorchScript module's forward takes its arguments as a "
          "std::vector<torch::jit::IValue> (a scripted forward may take several, of any type): "
          "pass the tensor in braces, `model.forward({inputs})`."),
       {"{inputs}"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"ivalue_not_tensor",
       {R"(conversion from (returned value of type )?'(const )?c10::IValue( &)?' to [^']*'(const )?(torch|at)::Tensor)",
        R"(from '(const )?c10::IValue' to '(const )?(torch|at)::Tensor)",
        R"(from 'c10::IValue' to non-scalar type '(torch|at)::Tensor)"},
       N_("A TorchScript module's forward returns an IValue, a box that holds any TorchScript "
          "value: take the tensor out of it with `.toTensor()`."),
       {"toTensor"},
       nullptr,
       false,
       nullptr,
       nullptr},
      {"member_function_not_called",
       {R"(reference to non-static member function must be called)",
        R"(invalid use of non-static member function)",
        R"(statement cannot resolve address of overloaded function)",
        R"(cannot convert '[^']*' from type '[^']*::\)\()"},
       N_("A member function named without parentheses is not called: add the `()` "
          "(`optimizer.zero_grad()`, `loss.backward()`, `model->train()`)."),
       {"zero_grad()"},
       nullptr,
       false,
       nullptr,
       nullptr},
  };
  return table;
}

// The error's message and its notes', with GCC's typographic quotes (‘’, in a UTF-8 locale)
// made ASCII, as the patterns and Clang write them.
std::string group_text(const Group& group) {
  std::string text = group.head.message;
  for (const auto& note : group.notes) text += "\n" + note.message;
  for (const char* quote : {"\u2018", "\u2019"}) {
    for (size_t at; (at = text.find(quote)) != std::string::npos;) text.replace(at, 3, "'");
  }
  return text;
}

int hint_about(const Pattern& pattern, const CompileContext& context) {
  for (const char* word : pattern.hint_words) {
    for (size_t i = 0; i < context.hints.size(); ++i) {
      if (context.hints[i].find(word) != std::string::npos) return static_cast<int>(i + 1);
    }
  }
  return 0;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

bool is_comment(const std::string& line) {
  const auto first = line.find_first_not_of(" \t");
  return first != std::string::npos && line.compare(first, 2, "//") == 0;
}

// The student's line a pattern's `declaration` finds: the first in the student files.
std::optional<Diagnostic> find_declaration(const Pattern& pattern, const std::string& name,
                                           const CompileContext& context) {
  if (!pattern.declaration) return std::nullopt;
  std::string expression = pattern.declaration;
  const auto at = expression.find("{}");
  if (at != std::string::npos) expression.replace(at, 2, name.empty() ? "\\w+" : name);
  const std::regex wanted(expression);
  // Headers first: a member is declared there.
  std::vector<fs::path> files = context.student_files;
  std::stable_partition(files.begin(), files.end(),
                        [](const fs::path& file) { return file.extension() != ".cpp"; });
  for (const auto& file : files) {
    std::istringstream lines(read_student_file(file, context));
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
      std::smatch match;
      if (is_comment(line) || !std::regex_search(line, match, wanted)) continue;
      Diagnostic found;
      found.file = file.string();
      found.line = number;
      // The caret under the name declared: the last word before the ';'.
      static const std::regex last_word(R"((\w+)\s*;)");
      std::smatch word;
      const std::string declared = match.str();
      const size_t offset = std::regex_search(declared, word, last_word)
                                ? static_cast<size_t>(match.position(0) + word.position(1))
                                : static_cast<size_t>(match.position(0));
      found.column = static_cast<int>(offset) + 1;
      found.severity = "error";
      found.excerpt = {line, std::string(offset, ' ') + "^"};
      return found;
    }
  }
  return std::nullopt;
}

struct Recognised {
  const Pattern* pattern = nullptr;
  std::string name;  // the first group matched
};

// The first pattern whose message matches the group (its line, `excerpt`, matching too).
Recognised recognise(const Group& group, const std::vector<std::string>& excerpt,
                     const std::string& output, const CompileContext& context) {
  const std::string text = group_text(group);
  const std::string source = excerpt.empty() ? "" : excerpt.front();  // the line, not the caret
  for (const auto& pattern : patterns()) {
    if (pattern.excerpt && !std::regex_search(source, std::regex(pattern.excerpt))) continue;
    for (const char* message : pattern.messages) {
      std::smatch match;
      if (!std::regex_search(text, match, std::regex(message))) continue;
      std::string name;
      for (size_t i = 1; i < match.size() && name.empty(); ++i) {
        if (match[i].matched && std::isalpha(static_cast<unsigned char>(match[i].str()[0])))
          name = match[i].str();
      }
      if (pattern.needs_impl) {
        if (name.empty()) continue;
        bool declared = output.find(name + "Impl") != std::string::npos;
        for (const auto& file : context.student_files) {
          if (declared) break;
          declared = read_student_file(file, context).find(name + "Impl") != std::string::npos;
        }
        if (!declared) continue;
      }
      return {&pattern, name};
    }
  }
  return {};
}

// Long C++ types cut down to read: LibTorch's data namespaces left out, then template
// arguments nested deeper than a few levels shown as "...".
std::string shorten_types(std::string text, size_t longest = 200) {
  if (text.size() <= longest) return text;
  for (const char* prefix :
       {"torch::data::datasets::", "torch::data::transforms::", "torch::data::"})
    for (size_t at; (at = text.find(prefix)) != std::string::npos;)
      text.erase(at, std::string(prefix).size());
  for (int depth = 3; depth >= 1 && text.size() > longest; --depth) {
    std::string result;
    int level = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      // '<' opens a template's arguments only right after a name.
      const bool opens =
          c == '<' && i > 0 &&
          (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_');
      if (opens) {
        ++level;
        if (level <= depth) result += c;
        if (level == depth + 1) result += "<...>";
        continue;
      }
      if (c == '>' && level > 0) {
        if (level <= depth) result += c;
        --level;
        continue;
      }
      if (level <= depth) result += c;
    }
    text = result;
  }
  return text;
}

std::string diagnostic_line(const Diagnostic& at, const std::string& severity,
                            const std::string& message) {
  return fmt::format("{}: {}: {}", at.location(), severity, shorten_types(message));
}

// Where the first student file appears in an "In file included from" chain (innermost first).
std::optional<Diagnostic> include_in_student_file(const Diagnostic& diagnostic,
                                                  const CompileContext& context) {
  for (auto it = diagnostic.included_from.rbegin(); it != diagnostic.included_from.rend(); ++it) {
    const auto colon = it->rfind(':');
    const std::string file = it->substr(0, colon);
    if (!is_student_file(file, context)) continue;
    Diagnostic at;
    at.file = file;
    at.line = std::stoi(it->substr(colon + 1));
    at.severity = "note";
    return at;
  }
  return std::nullopt;
}

// The student file that `file` (a file of the course the student does not edit) uses: a note of
// its error in a student file (the declaration a call does not fit), else its #include lines.
std::string student_file_used_by(const std::string& file, const Group& group,
                                 const CompileContext& context) {
  for (const auto& note : group.notes) {
    if (is_student_file(note.file, context)) return note.file;
  }
  const std::string text = read_student_file(file, context);
  static const std::regex include_line(R"re(#\s*include\s*"([^"]+)")re");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), include_line);
       it != std::sregex_iterator(); ++it) {
    const std::string name = fs::path((*it)[1].str()).filename().string();
    for (const auto& student : context.student_files) {
      if (student.filename().string() == name) return student.string();
    }
  }
  for (const auto& student : context.student_files) {
    if (student.extension() != ".cpp") return student.string();
  }
  return context.student_files.empty() ? "" : context.student_files.front().string();
}

std::string indent_lines(const std::string& text) {
  std::istringstream lines(text);
  std::string line, result;
  while (std::getline(lines, line)) result += line.empty() ? "\n" : "  " + line + "\n";
  return result;
}

// `text` broken into lines of at most `width` characters, at spaces.
std::string wrap(const std::string& text, size_t width) {
  std::istringstream words(text);
  std::string word, line, result;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      result += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return result + line + "\n";
}

}  // namespace

std::vector<CompileMistake> known_compile_mistakes() {
  std::vector<CompileMistake> known;
  for (const auto& pattern : patterns()) known.push_back({pattern.id, pattern.sentence, 0});
  return known;
}

CompileContext compile_context(const fs::path& root, const Exercise& exercise) {
  CompileContext context;
  context.root = root;
  context.exercise = exercise.name;
  for (const auto& file : exercise.files) context.student_files.push_back(exercise.folder / file);
  std::vector<fs::path> headers;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(root / exercise.folder, error)) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".h" || extension == ".hpp"))
      headers.push_back(exercise.folder / entry.path().filename());
  }
  std::sort(headers.begin(), headers.end());
  context.student_files.insert(context.student_files.end(), headers.begin(), headers.end());
  try {
    for (const auto& hint : read_hints(root / exercise.readme)) context.hints.push_back(hint.text);
  } catch (const CourseError&) {
  }
  return context;
}

CompileFailure explain_compile_failure(const std::string& build_output,
                                       const CompileContext& context, size_t max_lines) {
  CompileFailure failure;
  const Parsed parsed = parse(build_output, context.root);
  const std::string output = joined(parsed.lines);

  // The first error in a student file, or followed back to one; else the first error at all.
  const Group* chosen = nullptr;
  std::optional<Diagnostic> at;  // the student's line when the error is reported elsewhere
  std::string how;               // how `at` was found: "chain" or "search"
  Recognised recognised;
  const Group* first_error = nullptr;
  for (const auto& group : parsed.groups) {
    if (!group.is_error()) continue;
    if (!first_error) first_error = &group;
    if (is_student_file(group.head.file, context)) {
      chosen = &group;
      break;
    }
    if (!outside_checkout(group.head.file)) continue;  // main.cpp, a test: an error of its own
    // Inside LibTorch: back through the instantiation notes and the include chain...
    for (const auto& note : group.notes) {
      if (is_student_file(note.file, context)) {
        at = note;
        break;
      }
    }
    if (!at) at = include_in_student_file(group.head, context);
    if (at) {
      how = "chain";
    } else {
      // ...or, when clang names no line of the student's, to the line the mistake is about.
      recognised = recognise(group, group.head.excerpt, output, context);
      if (recognised.pattern) at = find_declaration(*recognised.pattern, recognised.name, context);
      if (at) how = "search";
    }
    if (at) {
      chosen = &group;
      break;
    }
  }

  std::vector<std::string> shown;
  size_t from_output = 0;  // lines of `shown` the compiler printed
  auto show = [&](const Diagnostic& where, const std::string& severity, const std::string& message,
                  const std::vector<std::string>& excerpt, bool excerpt_printed = true) {
    shown.push_back(diagnostic_line(where, severity, message));
    for (const auto& line : excerpt) shown.push_back(shorten_types(line));
    from_output += 1 + (excerpt_printed ? excerpt.size() : 0);
  };
  if (chosen) {
    failure.in_student_file = true;
    const Diagnostic& located = at ? *at : chosen->head;
    failure.file = located.file;
    // A line found by searching the student's files: its source line is not in the output.
    show(located, chosen->head.severity, chosen->head.message, located.excerpt, how != "search");
    if (how == "search") {
      shown.push_back(
          trf("(the compiler reports it inside LibTorch's {} without naming a line "
              "of yours: this is the line it is about)",
              short_header(chosen->head.location())));
    } else if (how == "chain") {
      shown.push_back(trf("(the compiler reports it inside LibTorch's {}, reached from this line)",
                          short_header(chosen->head.location())));
    }
    for (const auto& note : chosen->notes) {
      if (!is_student_file(note.file, context)) continue;
      if (at && how == "chain" && note.file == at->file && note.line == at->line) continue;
      show(note, note.severity, note.message, note.excerpt);
    }
  } else if (first_error) {
    chosen = first_error;
    if (outside_checkout(chosen->head.file)) {
      failure.other_file = short_header(chosen->head.file);
    } else {
      failure.other_file = chosen->head.file;
      failure.file = student_file_used_by(chosen->head.file, *chosen, context);
    }
    show(chosen->head, chosen->head.severity, chosen->head.message, chosen->head.excerpt);
    for (const auto& note : chosen->notes) {
      if (outside_checkout(note.file)) continue;
      show(note, note.severity, note.message, note.excerpt);
    }
  } else {
    // No diagnostic of a compiler (a linker's error, a build tool's): its last lines.
    const size_t from = parsed.lines.size() > max_lines ? parsed.lines.size() - max_lines : 0;
    shown.assign(parsed.lines.begin() + static_cast<long>(from), parsed.lines.end());
    from_output = shown.size();
  }

  if (chosen) {
    if (!recognised.pattern) {
      const Diagnostic& located = at ? *at : chosen->head;
      recognised = recognise(*chosen, located.excerpt, output, context);
    }
    if (const Pattern* pattern = recognised.pattern) {
      failure.mistake =
          CompileMistake{pattern->id, pattern->sentence, hint_about(*pattern, context)};
      if (pattern->fix_in_note) {
        const std::regex fix(pattern->fix_in_note);
        for (const auto& note : chosen->notes) {
          if (is_student_file(note.file, context) && std::regex_search(note.message, fix)) {
            failure.file = note.file;
            break;
          }
        }
      }
    }
  }
  if (shown.size() > max_lines) {
    from_output -= std::min(from_output, shown.size() - max_lines);
    shown.resize(max_lines);
  }
  failure.shown = joined(shown);
  failure.lines_left_out =
      parsed.lines.size() > from_output ? parsed.lines.size() - from_output : 0;
  return failure;
}

std::string mistake_explanation(const CompileFailure& failure, const CompileContext& context,
                                bool english) {
  if (failure.mistake.id.empty()) return "";
  auto text = [&](const std::string& format) { return english ? format : std::string(tr(format)); };
  std::string explanation = text(failure.mistake.sentence);
  if (failure.mistake.hint > 0) {
    explanation +=
        " " + fmt::format(fmt::runtime(text(N_("Hint {} is about this: `course hint {} {}`."))),
                          failure.mistake.hint, context.exercise, failure.mistake.hint);
  }
  return explanation;
}

CopiesFailure explain_failure_of_copies(const std::string& build_output, const fs::path& root,
                                        const Exercise& exercise, const fs::path& copies,
                                        size_t max_lines) {
  CopiesFailure explained{compile_context(root, exercise), {}};
  std::error_code error;
  for (const auto& copy : fs::directory_iterator(copies, error))
    explained.context.copies[exercise.folder / copy.path().filename()] = copy.path();
  const std::string output =
      replace_all(build_output, copies.string() + "/", (root / exercise.folder).string() + "/");
  explained.failure = explain_compile_failure(output, explained.context, max_lines);
  return explained;
}

std::string full_compiler_output(const std::string& build_output, const fs::path& root) {
  return joined(parse(build_output, root).lines);
}

std::string compile_failure_message(const std::string& build_output, const CompileContext& context,
                                    const std::string& hint_line, bool verbose) {
  return compile_failure_message(explain_compile_failure(build_output, context), build_output,
                                 context, hint_line, verbose);
}

std::string compile_failure_message(const CompileFailure& failure, const std::string& build_output,
                                    const CompileContext& context, const std::string& hint_line,
                                    bool verbose) {
  std::string message =
      trf("\n{} does not compile yet. The compiler says:\n\n{}\n", context.exercise,
          indent_lines(verbose ? full_compiler_output(build_output, context.root) : failure.shown));
  if (!verbose && failure.lines_left_out > 0) {
    message += "  " +
               trn("({} more line of the compiler's output is left out: `course check "
                   "--verbose {}` shows it.)",
                   "({} more lines of the compiler's output are left out: `course check "
                   "--verbose {}` shows them all.)",
                   static_cast<long long>(failure.lines_left_out), failure.lines_left_out,
                   context.exercise) +
               "\n\n";
  }
  const std::string explanation = mistake_explanation(failure, context);
  if (!explanation.empty()) message += wrap(explanation, 96) + "\n";
  if (!failure.in_student_file && !failure.other_file.empty()) {
    message += wrap(failure.file.empty()
                        ? trf("The compiler reports the error inside {}, without naming a line "
                              "of yours.",
                              failure.other_file)
                        : trf("The error is in {}, a file of the course that you do not edit: it "
                              "uses your {}, so the change that broke it is there.",
                              failure.other_file, failure.file),
                    96);
  }
  std::string file = failure.file;
  if (file.empty()) {
    for (const auto& student : context.student_files) {
      if (student.extension() != ".cpp") continue;
      file += (file.empty() ? "" : ", ") + student.string();
    }
  }
  message += trf("Fix it in {}, then run `course check {}` again.\n{}\n", file, context.exercise,
                 hint_line);
  return message;
}

}  // namespace course::tool
