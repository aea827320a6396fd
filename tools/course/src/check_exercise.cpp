#include "course_tool/check_exercise.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/language.h"
#include "course_tool/checks.h"
#include "course_tool/compile_errors.h"
#include "course_tool/files.h"
#include "course_tool/hints.h"
#include "course_tool/process.h"
#include "course_tool/status.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::N_;
using course::tr;
using course::trf;

size_t hint_count(const Course& course, const Exercise& exercise) {
  try {
    return read_hints(course.root() / readme_to_read(course, exercise)).size();
  } catch (const CourseError&) {
    return 0;
  }
}

std::string friendly_message(const std::string& raw, const fs::path& root) {
  std::string text = raw;
  const std::string prefix = root.string() + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  static const std::regex thrown(
      R"re(C\+\+ exception with description "([\s\S]*)" thrown in the test body\.?)re");
  std::smatch match;
  if (std::regex_search(text, match, thrown)) {
    text = std::string(tr("threw: ")) + match[1].str();
  }
  if (text.rfind("unknown file\n", 0) == 0) text = text.substr(13);
  return text;
}

std::string stub_list(const Exercise& exercise) {
  std::string list;
  for (const auto& file : exercise.files) {
    if (!list.empty()) list += ", ";
    list += (exercise.folder / file).string();
  }
  return list;
}

namespace {

// The hint a failure names ("(hint 2)", "(pista 2)", "hints 5 and 6": the first), or 0.
int hint_named_in(const std::string& message) {
  static const std::regex named(R"(\b(?:hints?|pistas?) (\d+)\b)", std::regex::icase);
  std::smatch match;
  return std::regex_search(message, match, named) ? std::stoi(match[1].str()) : 0;
}

}  // namespace

// The hint to read next: the one the first failure names, else the next one not shown yet.
// "Stuck? `course hint NAME 2` shows hint 2 of 6." (or the README when it has no hints).
std::string hint_line(const Course& course, const Exercise& exercise, int hints_shown,
                      const std::string& failure_message) {
  const size_t hints = hint_count(course, exercise);
  if (hints == 0) return trf("Stuck? See {}.", readme_to_read(course, exercise).string());
  const int named = hint_named_in(failure_message);
  if (named >= 1 && static_cast<size_t>(named) <= hints) {
    return trf("Stuck? `course hint {} {}` shows hint {} of {}.", exercise.name, named, named,
               hints);
  }
  return trf("Stuck? `course hint {}` shows hint {} of {}.", exercise.name,
             std::min<size_t>(hints_shown + 1, hints), hints);
}

std::string student_compile_failure(const Course& course, const Exercise& exercise,
                                    const std::string& build_output) {
  const CompileContext context = compile_context(course.root(), exercise);
  const CompileFailure failure = explain_compile_failure(build_output, context);
  const ExerciseProgress progress = course.progress.get(exercise.name);
  const std::string about =
      failure.mistake.hint > 0 ? fmt::format("(hint {})", failure.mistake.hint) : "";
  return compile_failure_message(failure, build_output, context,
                                 hint_line(course, exercise, progress.hints_shown, about),
                                 course.verbose);
}

namespace {

// Whether any of the student's files still has a TODO to look for.
bool todo_left(const Course& course, const Exercise& exercise) {
  for (const auto& file : exercise.files) {
    try {
      if (read_text(course.root() / exercise.folder / file).find("TODO") != std::string::npos)
        return true;
    } catch (const CourseError&) {
    }
  }
  return false;
}

// Builds `targets`, saying what it builds. Returns the build's result (printed by the caller
// when it failed).
ProcessResult build_targets(Course& course, const std::string& what,
                            const std::vector<std::string>& targets, bool first_build) {
  fmt::print(fmt::runtime(tr("Building {}{} ...\n")), what,
             first_build ? tr(" (the first build takes a minute)") : "");
  std::fflush(stdout);
  ProcessResult built = course.build.build(targets, ::isatty(STDOUT_FILENO));
  if (!built.started) throw CourseError(trf("cannot run cmake: {}", built.describe()));
  return built;
}

// Runs the exercise's GoogleTest binaries. `problems`: binaries that crashed or ran nothing.
std::vector<CheckResult> run_gtest_checks(Course& course, const Exercise& exercise,
                                          std::vector<std::string>& problems) {
  std::vector<CheckResult> checks;
  for (const auto& test : exercise.test_executables) {
    RunOptions options;
    options.report_dir = course.build.directory / "course-checks" / exercise.name;
    options.working_directory = course.build.directory;  // where ctest would run them
    options.timeout_seconds = 900;
    const BinaryRun run = run_gtest_binary(course.build.binary(test), options);
    checks.insert(checks.end(), run.checks.begin(), run.checks.end());
    if (run.crashed || run.checks.empty())
      problems.push_back(run.problem.empty() ? trf("{} ran no checks", test) : run.problem);
  }
  return checks;
}

// The exercise's ctest checks (the homework's grade: a whole training run), once every other
// check passes: what they need is built first (the homework's binary and its grader), then each
// runs. Returns false when that build fails (printed here).
bool run_ctest_checks(Course& course, const Exercise& exercise, bool rest_passes,
                      std::vector<CheckResult>& checks) {
  if (exercise.ctest_checks.empty()) return true;
  if (!rest_passes) {
    for (const auto& name : exercise.ctest_checks) {
      checks.push_back(CheckResult{name, CheckStatus::kNotRun,
                                   std::string(tr("runs once every other check passes"))});
    }
    return true;
  }
  const auto targets = exercise.ctest_check_targets();
  const bool first_build = !fs::exists(course.build.binary(exercise.executable));
  const ProcessResult built =
      build_targets(course, fmt::format("{} ({})", exercise.executable, fmt::join(targets, ", ")),
                    targets, first_build);
  if (!built.succeeded()) {
    fmt::print("{}", student_compile_failure(course, exercise, built.output));
    return false;
  }
  for (const auto& name : exercise.ctest_checks) {
    fmt::print(fmt::runtime(tr("Running {} (a full run: this can take a minute or two) ...\n")),
               name);
    std::fflush(stdout);
    checks.push_back(run_ctest_check(course.build.ctest, course.build.directory, name, 1800));
  }
  return true;
}

// What a student reads of a failure: the course's sentence, or the whole of GoogleTest's
// message with --verbose; paths relative to the checkout.
std::string failure_text(const Course& course, const CheckResult& check) {
  return course.verbose ? friendly_message(check.message, course.root())
                        : friendly_message(student_message(check), course.root());
}

// One PASS / FAIL / WAIT line per check; returns the first failure (nullptr: none). A passing
// ctest check shows its result lines (">> ...": the homework's accuracy and training time).
const CheckResult* print_checks(const Style& style, const std::vector<CheckResult>& checks) {
  // The labels in this language, as wide as the widest of them: the names line up.
  std::string pass(tr(N_("PASS"))), fail(tr(N_("FAIL"))), wait(tr(N_("WAIT")));
  const size_t width = std::max({pass.size(), fail.size(), wait.size()});
  for (std::string* label : {&pass, &fail, &wait}) label->resize(width, ' ');
  const std::string result_indent(width + 4, ' ');
  const CheckResult* first_failure = nullptr;
  for (const auto& check : checks) {
    const bool passed = check.status == CheckStatus::kPassed;
    if (check.status == CheckStatus::kNotRun) {
      fmt::print("  {}  {} {}\n", style.yellow(wait), check.name,
                 style.dim("(" + check.message + ")"));
      continue;
    }
    fmt::print("  {}  {}\n", passed ? style.green(pass) : style.red(fail), check.name);
    if (passed && !check.message.empty()) fmt::print("{}\n", indent(check.message, result_indent));
    if (!passed && !first_failure) first_failure = &check;
  }
  return first_failure;
}

// What to do next: the next exercise when everything passes, else the first failure.
void print_next_step(Course& course, const Exercise& exercise, const Tally& counts,
                     const CheckResult* first_failure, bool all_pass, const std::string& hint) {
  const Style& style = course.style;
  if (all_pass) {
    fmt::print("\n{}\n", style.green(trf("All {} checks of {} pass. Well done!", counts.total(),
                                         exercise.name)));
    fmt::print(fmt::runtime(tr("See it run: `course run {}`\n")), exercise.name);
    if (const Exercise* next = next_after(course, exercise)) {
      fmt::print(fmt::runtime(tr("Next: `course check {}` ({})\n")), next->name,
                 title_to_show(*next));
    } else {
      fmt::print("{}", tr("That was the last one: every exercise is done.\n"));
    }
    return;
  }
  fmt::print(fmt::runtime(tr("\n{} of {} checks pass.\n")), counts.passed, counts.total());
  if (first_failure) {
    fmt::print(fmt::runtime(tr("\nFirst failing check: {}\n{}\n")), style.bold(first_failure->name),
               indent(failure_text(course, *first_failure), "    ", course.verbose ? 0 : 15));
  }
  if (todo_left(course, exercise)) {
    fmt::print(fmt::runtime(tr("Edit {} (look for TODO), then run `course check {}` again.\n")),
               stub_list(exercise), exercise.name);
  } else {
    fmt::print(fmt::runtime(tr("Edit {}, then run `course check {}` again.\n")),
               stub_list(exercise), exercise.name);
  }
  fmt::print("{}\n", hint);
  if (first_failure && !course.verbose) {
    fmt::print("{}\n", style.dim(trf("(GoogleTest's own report: `course check {} --verbose`)",
                                     exercise.name)));
  }
}

}  // namespace

CheckOutcome check_exercise(Course& course, const Exercise& exercise) {
  course.build.require_ready();
  CheckOutcome outcome;
  fmt::print("{} {}\n", course.style.bold(exercise.name),
             course.style.dim("· " + title_to_show(exercise)));
  const auto start = std::chrono::steady_clock::now();
  const bool first_build = !fs::exists(course.build.binary(exercise.test_executables.front()));
  const ProcessResult built =
      build_targets(course, exercise.name, exercise.check_targets(), first_build);
  ExerciseProgress progress = course.progress.get(exercise.name);
  progress.checked_at = now_seconds();
  if (!built.succeeded()) {
    progress.compiles = false;
    course.progress.set(exercise.name, progress);
    course.progress.save();
    // The first error in a file the student edits, the classic mistake it shows, and the file
    // to fix (compile_errors.h); with --verbose, every line of the compiler's output.
    fmt::print("{}", student_compile_failure(course, exercise, built.output));
    return outcome;
  }
  outcome.compiled = true;
  const double build_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(fmt::runtime(tr("Built in {:.1f} s.\n")), build_seconds);
  std::fflush(stdout);

  std::vector<std::string> problems;
  std::vector<CheckResult> checks = run_gtest_checks(course, exercise, problems);
  const bool rest_passes = problems.empty() && tally(checks).failed == 0 && !checks.empty();
  if (!run_ctest_checks(course, exercise, rest_passes, checks)) return outcome;
  const Tally counts = tally(checks);
  fmt::print(fmt::runtime(tr("Its {} checks:\n\n")), counts.total());
  const CheckResult* first_failure = print_checks(course.style, checks);
  for (const auto& problem : problems) fmt::print("  {}\n", course.style.yellow(problem));
  outcome.all_pass = first_failure == nullptr && problems.empty() && counts.total() > 0;

  progress.compiles = true;
  progress.passed = counts.passed;
  progress.total = counts.total();
  progress.first_failure = first_failure ? first_failure->name : "";
  course.progress.set(exercise.name, progress);
  course.progress.save();
  const std::string hint =
      hint_line(course, exercise, progress.hints_shown,
                first_failure ? student_message(*first_failure) : std::string());
  print_next_step(course, exercise, counts, first_failure, outcome.all_pass, hint);
  return outcome;
}

}  // namespace course::tool
