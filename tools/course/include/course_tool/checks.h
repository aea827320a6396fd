// Running an exercise's GoogleTest binaries and reading their results per check (test case),
// from --gtest_output=json, never from the exit status alone.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "course_tool/process.h"

namespace course::tool {

enum class CheckStatus { kPassed, kFailed, kSkipped, kNotRun };
const char* to_string(CheckStatus status);

struct CheckResult {
  CheckResult() = default;
  CheckResult(std::string name, CheckStatus status, std::string message)
      : name(std::move(name)), status(status), message(std::move(message)) {}

  std::string name;  // "Autograd.CubeGradientAtTwoIsTwelve"
  CheckStatus status = CheckStatus::kFailed;
  // Every failure GoogleTest reported, its own lines and the test's file and line included
  // (empty when it passed): what `course check --verbose` shows.
  std::string message;
  std::string first_failure;  // the first of them (or the whole message when there is one)
};

// The course's sentence in one GoogleTest failure (tests/support/sentence.h), or in the output of
// a failed ctest check: the text after the marker ">> " that starts a line or an exception's
// description; else, for an untouched stub's NotImplemented (its text names `course hint`), the
// exception's description, or the line of the output that holds it. Empty when the failure
// carries no sentence of the course.
std::string course_sentence(const std::string& failure);

// What a student reads of a failed check: the course's sentence of its first failure; where it
// has none, that failure without GoogleTest's file and line, and an exception from LibTorch as
// its message and the student's function that threw (from c10's stack frames), without them.
std::string student_message(const CheckResult& check);

// The checks of one GoogleTest JSON report (--gtest_output=json:FILE), in file order.
// Throws CourseError when `json_text` is not such a report.
std::vector<CheckResult> parse_gtest_json(const std::string& json_text, const std::string& source);

struct BinaryRun {
  std::filesystem::path binary;
  std::vector<CheckResult> checks;
  bool crashed = false;   // the binary died (signal, timeout) before writing its report
  ProcessResult process;  // how its (first) run ended
  std::string problem;    // what went wrong running it, when anything did
  std::string output;     // what it printed
};

struct RunOptions {
  double timeout_seconds = 600;      // per binary run
  std::filesystem::path report_dir;  // where the JSON reports go (created)
  std::filesystem::path working_directory;
  std::vector<std::string> extra_arguments;  // e.g. --gtest_fail_fast
  // How each command runs (e.g. inside a sandbox, with its own limits); empty: run_process with
  // the timeout above.
  std::function<ProcessResult(const std::vector<std::string>& command)> run;
  // After a run that timed out or printed too much, run the checks one by one anyway (the
  // grader stops there instead: the limit ends that part).
  bool retry_after_limit = true;
};

// Runs `binary` once with --gtest_output=json and reads its checks. When it crashes or times
// out before writing the report, it lists the checks (--gtest_list_tests) and runs each alone,
// so one crashing check is reported as that check failing, not as "everything failed".
BinaryRun run_gtest_binary(const std::filesystem::path& binary, const RunOptions& options);

// The checks `binary` holds, in its order ("Suite.Test"), from --gtest_list_tests; empty when it
// cannot list them.
std::vector<std::string> list_checks(const std::filesystem::path& binary);

// Runs the ctest test called exactly `name` in `build_dir` (with `ctest`) as one check: passed
// when ctest says so. The message is the end of its output. A test ctest does not know fails.
CheckResult run_ctest_check(const std::string& ctest, const std::filesystem::path& build_dir,
                            const std::string& name, double timeout_seconds);

// The ctest next to `cmake` (same folder), else "ctest" from PATH.
std::string ctest_next_to(const std::string& cmake);

// Counts of a list of checks.
struct Tally {
  int passed = 0;
  int failed = 0;  // failed, skipped or not run: anything that is not a pass
  int total() const { return passed + failed; }
};
Tally tally(const std::vector<CheckResult>& checks);

}  // namespace course::tool
