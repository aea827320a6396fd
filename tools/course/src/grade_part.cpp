// One exercise of one submission: the student's files built against the grading tree (with the
// tree's own commands, in the sandbox), then its test binaries run, each check counted. A check
// that hits a limit (an endless loop, a flood of output) fails alone: the binary runs again
// without it, so the checks after it are still run and counted.
#include <algorithm>
#include <chrono>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/compile_errors.h"
#include "course_tool/files.h"
#include "course_tool/grade.h"
#include "course_tool/student_build.h"
#include "grade_internal.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

// A submission's failed compile as `course check` explains it to the student (compile_errors.h):
// the first error in the student's file, without LibTorch's header chains, and the classic
// mistake it shows; the compiler's first lines when no error is found in them.
std::string compile_failure_text(const std::string& output, const fs::path& root,
                                 const Exercise& exercise, const fs::path& copies) {
  const auto [context, failure] = explain_failure_of_copies(output, root, exercise, copies, 30);
  if (failure.shown.empty()) return compiler_errors(output, root, 30);
  const std::string explanation = mistake_explanation(failure, context);
  return failure.shown + (explanation.empty() ? "" : "\n" + explanation);
}

// Rebuilt::failed_step ("compile FILE", "archive", "link TARGET", which the mistakes audit reads
// too) as the student reads it.
std::string step_text(const std::string& step) {
  if (step.rfind("compile ", 0) == 0) return trf("compile {}", step.substr(8));
  if (step.rfind("link ", 0) == 0) return trf("link {}", step.substr(5));
  if (step == "archive") return std::string(tr("archive"));
  return step;
}

// The check GoogleTest was running when its binary was stopped: the last "[ RUN      ] NAME"
// of its output with no "[       OK ] NAME" or "[  FAILED  ] NAME" after it (GoogleTest flushes
// each of those lines). Empty when there is none.
std::string check_running_when_stopped(const std::string& output) {
  static const std::string run = "[ RUN      ] ";
  std::string running;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(run, 0) == 0) {
      running = line.substr(run.size());
    } else if (!running.empty() && (line.rfind("[       OK ] " + running, 0) == 0 ||
                                    line.rfind("[  FAILED  ] " + running, 0) == 0 ||
                                    line.rfind("[  SKIPPED ] " + running, 0) == 0)) {
      running.clear();
    }
  }
  return running;
}

// How many checks of one test binary may hit a limit, each alone, before the rest fail unrun.
constexpr size_t kMostChecksStopped = 3;

}  // namespace

std::vector<CheckResult> Grader::run_checks(const Exercise& exercise, const std::string& test,
                                            const fs::path& binary,
                                            const std::vector<std::string>& expected,
                                            const fs::path& work, const fs::path& build,
                                            const Sandbox& base) const {
  const fs::path reports = work / "reports" / exercise.name;
  make_writable(reports, base);
  const Sandbox sandbox = sandbox_for(base, {manifest_.root, options_.tree, build});
  RunOptions run;
  run.report_dir = reports;
  run.working_directory = manifest_.root;
  run.timeout_seconds = options_.checks.wall_seconds;
  run.retry_after_limit = false;  // below: the stopped check is left out, the rest run again
  run.run = [&](const std::vector<std::string>& command) {
    return run_sandboxed(sandbox, options_.checks, command, manifest_.root, {reports});
  };
  std::map<std::string, CheckResult> stopped;  // the checks that hit a limit, each alone
  BinaryRun result;
  for (;;) {
    std::vector<std::string> left_out;
    for (const auto& [name, check] : stopped) left_out.push_back(name);
    if (left_out.size() >= expected.size()) break;
    run.extra_arguments.clear();
    if (!left_out.empty()) {
      std::string filter = "--gtest_filter=-";
      for (const auto& name : left_out) filter += (filter.back() == '-' ? "" : ":") + name;
      run.extra_arguments.push_back(filter);
    }
    result = run_gtest_binary(binary, run);
    const std::string limit = limit_hit(result.process, options_.checks);
    if (limit.empty()) break;
    const std::string running = check_running_when_stopped(result.output);
    const std::string problem =
        trf("{} was stopped by {}", running.empty() ? test : running, limit);
    if (running.empty() || stopped.count(running) ||
        std::find(expected.begin(), expected.end(), running) == expected.end()) {
      // Stopped outside any check (before the first, after the last): nothing runs alone.
      for (const auto& name : expected) {
        if (!stopped.count(name)) stopped[name] = CheckResult{name, CheckStatus::kFailed, problem};
      }
      result = BinaryRun{};
      break;
    }
    stopped[running] = CheckResult{running, CheckStatus::kFailed, problem};
    // Each run after a stop costs up to the limit again: a function every check calls, looping
    // forever, would cost the limit once per check. After a few, the rest fail unrun.
    if (stopped.size() >= kMostChecksStopped) {
      const std::string why = trf(
          "not run: {} checks of {} were stopped by {}, so the others are not tried one by one",
          stopped.size(), test, limit);
      for (const auto& name : expected) {
        if (!stopped.count(name)) stopped[name] = CheckResult{name, CheckStatus::kFailed, why};
      }
      result = BinaryRun{};
      break;
    }
  }
  std::vector<CheckResult> checks;
  for (const auto& name : expected) {
    const auto found = std::find_if(result.checks.begin(), result.checks.end(),
                                    [&](const CheckResult& check) { return check.name == name; });
    if (stopped.count(name)) {
      checks.push_back(stopped.at(name));
    } else if (found != result.checks.end()) {
      checks.push_back(*found);
    } else {
      checks.push_back({name, CheckStatus::kNotRun,
                        result.problem.empty() ? std::string(tr("did not run"))
                                               : trf("did not run: {}", result.problem)});
    }
  }
  return checks;
}

PartGrade Grader::grade_part(const Plan& plan, const Overlay& overlay, const fs::path& work,
                             const Sandbox& base) const {
  const Exercise& exercise = *plan.exercise;
  PartGrade part;
  part.exercise = exercise.name;
  part.points_per_check = exercise.points;
  const fs::path build = work / "build" / exercise.name;
  fs::create_directories(build);

  // The student's files, copied where the sandbox can read them; identical to the stubs, the
  // tree's own binaries are graded and nothing is compiled.
  std::vector<fs::path> sources;
  bool untouched = true;
  for (size_t i = 0; i < exercise.files.size(); ++i) {
    const std::string name = (exercise.folder / exercise.files[i]).string();
    const fs::path theirs = overlay.files.count(name) ? overlay.files.at(name) : fs::path();
    if (theirs.empty()) {
      sources.push_back(plan.recipe.sources[i].stub);
      continue;
    }
    const std::string text = read_text(theirs);
    untouched &= text == plan.stub_texts[i];
    sources.push_back(build / "source" / exercise.files[i]);
    write_atomically(sources.back(), text);
  }
  std::map<std::string, fs::path> binaries;  // by target name
  auto started = std::chrono::steady_clock::now();
  if (untouched) {
    for (const auto& target : plan.recipe.targets)
      binaries[target] = options_.tree / "bin" / target;
  } else {
    make_writable(build, base);
    const Sandbox sandbox = sandbox_for(base, {manifest_.root, options_.tree, build / "source"});
    const Rebuilt rebuilt =
        rebuild(plan.recipe, options_.tree, sources, build, ar_,
                [&](const std::string& command, const fs::path& directory) {
                  return run_sandboxed(sandbox, options_.compile, shell_command(command), directory,
                                       {build});
                });
    if (!rebuilt.failed_step.empty()) {
      const std::string limit = limit_hit(rebuilt.process, options_.compile);
      part.problem = !limit.empty()
                         ? trf("{} was stopped by {}", step_text(rebuilt.failed_step), limit)
                         : trf("{} failed:\n{}", step_text(rebuilt.failed_step),
                               compile_failure_text(rebuilt.process.output, manifest_.root,
                                                    exercise, build / "source"));
    }
    for (const auto& binary : rebuilt.binaries) binaries[binary.filename().string()] = binary;
  }
  part.build_seconds = seconds_since(started);
  started = std::chrono::steady_clock::now();

  for (size_t i = 0; i < exercise.test_executables.size(); ++i) {
    const std::vector<std::string>& expected = plan.checks[i];
    const auto binary = binaries.find(exercise.test_executables[i]);
    if (!part.problem.empty() || binary == binaries.end()) {
      for (auto& check : all_failed(expected, part.problem)) part.checks.push_back(check);
      continue;
    }
    for (auto& check : run_checks(exercise, exercise.test_executables[i], binary->second, expected,
                                  work, build, base))
      part.checks.push_back(std::move(check));
  }
  part.check_seconds = seconds_since(started);
  started = std::chrono::steady_clock::now();
  // The homework's own binary, by its name (never by its place among the targets).
  const auto homework = binaries.find(exercise.executable);
  for (const auto& check : plan.graded_ctest_checks) {
    if (!part.problem.empty() || homework == binaries.end()) {
      part.checks.push_back({check, CheckStatus::kFailed, part.problem});
      continue;
    }
    part.checks.push_back(grade_homework(exercise, check, homework->second, work, base, part));
  }
  part.train_seconds = seconds_since(started);
  if (!untouched) {  // linked binaries weigh tens of megabytes each
    for (const auto& [target, binary] : binaries) fs::remove(binary);
  }
  return part;
}

}  // namespace course::tool
