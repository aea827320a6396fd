#include "course_tool/checks.h"

#include <optional>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/language.h"
#include "course_tool/files.h"
#include "course_tool/manifest.h"
#include "course_tool/process.h"

namespace course::tool {
namespace fs = std::filesystem;
using nlohmann::json;

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPassed:
      return "passed";
    case CheckStatus::kFailed:
      return "failed";
    case CheckStatus::kSkipped:
      return "skipped";
    case CheckStatus::kNotRun:
      return "not run";
  }
  return "?";
}

namespace {

// GoogleTest's JSON report escapes a message byte by byte: the two UTF-8 bytes of an accented
// letter (C3 AD) become "\u00C3\u00AD", two characters. When every character is below U+0100
// that is what happened: the characters are the message's bytes. Otherwise the text stays as is.
std::string bytes_of_escaped_message(const std::string& text) {
  std::string bytes;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      bytes += text[i];
    } else if ((byte == 0xC2 || byte == 0xC3) && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[++i]);
      bytes += static_cast<char>(((byte & 0x03) << 6) | (next & 0x3F));
    } else {
      return text;  // a character from U+0100 on: not escaped byte by byte
    }
  }
  return bytes;
}

}  // namespace

std::vector<CheckResult> parse_gtest_json(const std::string& json_text, const std::string& source) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::parse_error& e) {
    throw CourseError(fmt::format("{} is not a GoogleTest JSON report: {}", source, e.what()));
  }
  if (!document.is_object() || !document.contains("testsuites") ||
      !document["testsuites"].is_array())
    throw CourseError(
        fmt::format("{} is not a GoogleTest JSON report (no \"testsuites\")", source));
  std::vector<CheckResult> checks;
  for (const auto& suite : document["testsuites"]) {
    const std::string suite_name = suite.value("name", "");
    if (!suite.contains("testsuite") || !suite["testsuite"].is_array()) continue;
    for (const auto& test : suite["testsuite"]) {
      CheckResult check;
      check.name = suite_name + "." + test.value("name", "");
      std::string messages;
      if (test.contains("failures") && test["failures"].is_array()) {
        for (const auto& failure : test["failures"]) {
          const std::string text = bytes_of_escaped_message(failure.value("failure", ""));
          if (messages.empty()) check.first_failure = text;
          if (!messages.empty()) messages += "\n";
          messages += text;
        }
      }
      const std::string status = test.value("status", "RUN");
      const std::string result = test.value("result", "COMPLETED");
      if (status == "NOTRUN") {
        check.status = CheckStatus::kNotRun;
        check.message = course::tr("disabled (its name starts with DISABLED_): it proves nothing");
      } else if (!messages.empty()) {
        check.status = CheckStatus::kFailed;
        check.message = messages;
      } else if (result == "SKIPPED") {
        check.status = CheckStatus::kSkipped;
        check.message = course::tr("skipped (GTEST_SKIP): it proves nothing");
      } else if (result == "COMPLETED") {
        check.status = CheckStatus::kPassed;
      } else {
        check.status = CheckStatus::kFailed;
        check.message = course::trf("ended with result {}", result);
      }
      checks.push_back(std::move(check));
    }
  }
  return checks;
}

namespace {

// GoogleTest's text for an exception that escaped the test body: its description, or nullopt.
std::optional<std::string> thrown_description(const std::string& failure) {
  static const std::string opening = "C++ exception with description \"";
  static const std::string closing = "\" thrown in the test body.";
  const auto begin = failure.find(opening);
  if (begin == std::string::npos) return std::nullopt;
  const auto from = begin + opening.size();
  const auto end = failure.rfind(closing);
  return failure.substr(from,
                        end == std::string::npos || end < from ? std::string::npos : end - from);
}

// c10::Error's text: the message, then "Exception raised from ... (most recent call first):"
// and the stack frames. The message alone, with the first frame of the student's code (the
// exercises' and the homework's namespaces) as "(in FUNCTION)".
std::string without_stack_frames(const std::string& text) {
  const auto raised = text.find("Exception raised from ");
  if (raised == std::string::npos) return text;
  std::string message = trim(text.substr(0, raised));
  std::istringstream frames(text.substr(raised));
  std::string line;
  while (std::getline(frames, line)) {
    const auto colon = line.find(": ");
    if (line.rfind("frame #", 0) != 0 || colon == std::string::npos) continue;
    std::string function = line.substr(colon + 2);
    function = function.substr(0, function.find(" + 0x"));
    const bool student =
        (function.rfind("exercises::", 0) == 0 || function.rfind("homework::", 0) == 0) &&
        function.rfind("homework::harness::", 0) != 0;
    if (student) return message + course::trf(" (in {})", function);
  }
  return message;
}

}  // namespace

std::string course_sentence(const std::string& failure) {
  static const std::string marker = ">> ";
  const std::optional<std::string> thrown = thrown_description(failure);
  if (thrown && thrown->rfind(marker, 0) == 0) return trim(thrown->substr(marker.size()));
  const auto at = failure.rfind(marker, 0) == 0 ? 0 : failure.find("\n" + marker);
  if (at != std::string::npos) {
    return trim(failure.substr(at == 0 ? marker.size() : at + 1 + marker.size()));
  }
  if (thrown && thrown->find("`course hint ") != std::string::npos) return trim(*thrown);
  // A program's output (a ctest check: a lesson that printed its stub's NotImplemented).
  std::istringstream lines(failure);
  for (std::string line; std::getline(lines, line);) {
    if (!thrown && line.find("`course hint ") != std::string::npos) return trim(line);
  }
  return "";
}

std::string student_message(const CheckResult& check) {
  const std::string& failure = check.first_failure.empty() ? check.message : check.first_failure;
  const std::string sentence = course_sentence(failure);
  if (!sentence.empty()) return sentence;
  if (const auto thrown = thrown_description(failure)) {
    return std::string(course::tr("threw: ")) + without_stack_frames(*thrown);
  }
  // GoogleTest's first line is the test's file and line ("unknown file" for an exception).
  const auto newline = failure.find('\n');
  const std::string first = failure.substr(0, newline);
  const bool location =
      first == "unknown file" || (first.find(':') != std::string::npos &&
                                  first.find_last_not_of("0123456789") == first.rfind(':'));
  return trim(location && newline != std::string::npos ? failure.substr(newline + 1) : failure);
}

Tally tally(const std::vector<CheckResult>& checks) {
  Tally counts;
  for (const auto& check : checks) {
    if (check.status == CheckStatus::kPassed)
      ++counts.passed;
    else
      ++counts.failed;
  }
  return counts;
}

namespace {

// The names printed by --gtest_list_tests: "Suite.\n  Test1\n  Test2  # GetParam() = ...".
std::vector<std::string> parse_test_list(const std::string& listing) {
  std::vector<std::string> names;
  std::istringstream lines(listing);
  std::string line, suite;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const auto comment = line.find("  #");
    if (comment != std::string::npos) line = line.substr(0, comment);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line[0] != ' ') {
      suite = line;  // ends with '.'
      if (!suite.empty() && suite.back() == '.') suite.pop_back();
    } else if (!suite.empty()) {
      names.push_back(suite + "." + line.substr(line.find_first_not_of(' ')));
    }
  }
  return names;
}

}  // namespace

std::vector<std::string> list_checks(const fs::path& binary) {
  ProcessOptions options;
  options.timeout_seconds = 120;
  options.environment = {{"GTEST_COLOR", "no"}};
  const ProcessResult listing = run_process({binary.string(), "--gtest_list_tests"}, options);
  if (!listing.succeeded()) return {};
  return parse_test_list(listing.output);
}

std::string ctest_next_to(const std::string& cmake) {
  const fs::path sibling = fs::path(cmake).parent_path() / "ctest";
  if (fs::path(cmake).has_parent_path() && fs::exists(sibling)) return sibling.string();
  return "ctest";
}

CheckResult run_ctest_check(const std::string& ctest, const fs::path& build_dir,
                            const std::string& name, double timeout_seconds) {
  std::string pattern = "^";
  for (char c : name) {
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) pattern += '\\';
    pattern += c;
  }
  pattern += "$";
  ProcessOptions options;
  options.timeout_seconds = timeout_seconds + 60;
  // -V: the test's output whether it passes or not, each line after "<test number>: ".
  const ProcessResult result =
      run_process({ctest, "--test-dir", build_dir.string(), "-R", pattern, "-V", "--no-tests=error",
                   "--timeout", fmt::format("{:.0f}", timeout_seconds)},
                  options);
  std::string output;
  static const std::regex numbered(R"(^\d+: (.*)$)");
  std::istringstream lines(result.output);
  std::smatch match;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, match, numbered)) output += match[1].str() + "\n";
  }
  CheckResult check{name, CheckStatus::kFailed, {}};
  if (result.succeeded()) {
    check.status = CheckStatus::kPassed;
    // What the test says of its result for the student (">> " lines: the homework's accuracy).
    std::istringstream said(output);
    for (std::string line; std::getline(said, line);) {
      if (line.rfind(">> ", 0) == 0)
        check.message += (check.message.empty() ? "" : "\n") + line.substr(3);
    }
  } else if (!result.started) {
    check.message = course::trf("cannot run ctest: {}", result.describe());
  } else {
    check.message = last_lines(output.empty() ? result.output : output, 25);
    if (result.timed_out) check.message += "\n" + std::string(course::tr("(timed out)"));
  }
  return check;
}

BinaryRun run_gtest_binary(const fs::path& binary, const RunOptions& options) {
  BinaryRun run;
  run.binary = binary;
  if (!fs::exists(binary)) {
    run.crashed = true;
    run.problem = course::trf("{} does not exist (was it built?)", binary.string());
    return run;
  }
  fs::create_directories(options.report_dir);
  const fs::path report = options.report_dir / (binary.filename().string() + ".json");
  fs::remove(report);
  ProcessOptions process;
  process.timeout_seconds = options.timeout_seconds;
  process.working_directory = options.working_directory;
  process.environment = {{"GTEST_COLOR", "no"}};
  auto execute = [&](const std::vector<std::string>& command, const ProcessOptions& how) {
    return options.run ? options.run(command) : run_process(command, how);
  };
  std::vector<std::string> command = {binary.string(), "--gtest_output=json:" + report.string()};
  command.insert(command.end(), options.extra_arguments.begin(), options.extra_arguments.end());
  ProcessResult result = execute(command, process);
  run.process = result;
  run.output = result.output;
  if (!result.started) {
    run.crashed = true;
    run.problem = result.describe();
    return run;
  }
  if (!result.timed_out && result.signal == 0 && fs::exists(report)) {
    run.checks = parse_gtest_json(read_text(report), report.string());
    if (result.exit_code != 0 && tally(run.checks).failed == 0) {
      run.problem = course::trf("{} ended with {} although every check passed",
                                binary.filename().string(), result.describe());
    }
    return run;
  }

  // It died before writing the report: run each check alone to see which one kills it.
  run.crashed = true;
  run.problem =
      fmt::format("{} {}", binary.filename().string(), result.describe(options.timeout_seconds));
  if (!options.retry_after_limit && (result.timed_out || result.output_limited)) return run;
  ProcessOptions listing_options = process;
  listing_options.timeout_seconds = 120;
  ProcessResult listing = execute({binary.string(), "--gtest_list_tests"}, listing_options);
  if (!listing.succeeded()) return run;
  for (const auto& name : parse_test_list(listing.output)) {
    fs::remove(report);
    ProcessResult single = execute(
        {binary.string(), "--gtest_filter=" + name, "--gtest_output=json:" + report.string()},
        process);
    if (!options.retry_after_limit && (single.timed_out || single.output_limited)) {
      run.process = single;
      run.checks.push_back(CheckResult{name, CheckStatus::kFailed, single.describe()});
      return run;
    }
    std::vector<CheckResult> found;
    if (!single.timed_out && single.signal == 0 && fs::exists(report)) {
      try {
        found = parse_gtest_json(read_text(report), report.string());
      } catch (const CourseError&) {
        found.clear();
      }
    }
    if (found.size() == 1) {
      run.checks.push_back(found.front());
    } else {
      run.checks.push_back(CheckResult{
          name, CheckStatus::kFailed,
          course::trf("the check crashed: {}\n{}", single.describe(options.timeout_seconds),
                      last_lines(single.output, 15))});
    }
  }
  return run;
}

}  // namespace course::tool
