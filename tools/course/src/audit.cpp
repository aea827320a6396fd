#include "course_tool/audit.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "course_tool/checks.h"
#include "course_tool/files.h"
#include "course_tool/process.h"
#include "course_tool/student_build.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

bool selected(const std::vector<std::string>& only, const std::string& name) {
  return only.empty() || std::find(only.begin(), only.end(), name) != only.end();
}

// The first lines of a failure message, indented, for a report.
std::string excerpt(const std::string& message, size_t max_lines = 6) {
  std::string result;
  size_t start = 0;
  for (size_t line = 0; line < max_lines && start < message.size(); ++line) {
    size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    result += "      " + message.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return result;
}

}  // namespace

namespace {

void report_offending(const CheckResult& check, bool want_pass, std::FILE* out) {
  if (want_pass) {
    fmt::print(out, "    {} {} on the reference solution:\n{}", check.name, to_string(check.status),
               excerpt(check.message));
  } else if (check.status == CheckStatus::kPassed) {
    fmt::print(out,
               "    {} PASSES on the untouched stub: a check must call the exercise's "
               "functions (so NotImplemented fails it) and assert what only a solution "
               "gives\n",
               check.name);
  } else if (check.status == CheckStatus::kFailed) {
    fmt::print(out,
               "    {} fails on the stub without a sentence of the course (tests/support/"
               "sentence.h):\n{}",
               check.name, excerpt(check.message));
  } else {
    fmt::print(out, "    {} is {} on the stub: {}\n", check.name, to_string(check.status),
               check.message);
  }
}

}  // namespace

int audit_checks(const Manifest& manifest, Expectation expectation, const AuditOptions& options,
                 std::FILE* out) {
  const bool want_pass = expectation == Expectation::kEveryCheckPasses;
  const char* what = want_pass ? "reference" : "honesty";
  int problems = 0;
  int total_checks = 0;
  for (const auto& exercise : manifest.exercises) {
    if (!selected(options.only, exercise.name)) continue;
    for (const auto& test : exercise.test_executables) {
      const auto start = std::chrono::steady_clock::now();
      RunOptions run_options;
      run_options.timeout_seconds = options.timeout_seconds;
      run_options.report_dir = options.report_dir;
      run_options.working_directory = manifest.root;
      const BinaryRun run = run_gtest_binary(options.build_dir / "bin" / test, run_options);
      const Tally counts = tally(run.checks);
      total_checks += counts.total();
      std::vector<const CheckResult*> offending;
      for (const auto& check : run.checks) {
        // On the stub, each check fails with a sentence of the course (its NotImplemented text,
        // or tests/support/sentence.h's), never with GoogleTest's lines alone.
        const bool ok = want_pass ? check.status == CheckStatus::kPassed
                                  : check.status == CheckStatus::kFailed &&
                                        !course_sentence(check.first_failure).empty();
        if (!ok) offending.push_back(&check);
      }
      const bool binary_problem = run.checks.empty() || (want_pass && !run.problem.empty());
      const bool fine = offending.empty() && !binary_problem;
      fmt::print(out, "{}: {} {:<40} {:>3} checks, {}{}  ({:.1f} s)\n", what,
                 fine ? "ok  " : "FAIL", exercise.name + " (" + test + ")", counts.total(),
                 want_pass ? fmt::format("{} pass", counts.passed)
                           : fmt::format("{} fail on the stub", counts.failed),
                 run.crashed ? ", crashed" : "", seconds_since(start));
      if (run.checks.empty()) {
        ++problems;
        fmt::print(out, "    {}: no checks ran{}\n", test,
                   run.problem.empty() ? "" : ": " + run.problem);
        if (!run.output.empty()) fmt::print(out, "{}", excerpt(run.output, 20));
      } else if (want_pass && !run.problem.empty()) {
        ++problems;
        fmt::print(out, "    {}\n", run.problem);
      }
      for (const auto* check : offending) {
        ++problems;
        report_offending(*check, want_pass, out);
      }
      std::fflush(out);
    }
    // Checks that are ctest tests of their own (the homework's grade). With the solutions,
    // ctest runs them anyway (they take a full training run), so only honesty runs them here.
    for (const auto& name : exercise.ctest_checks) {
      if (want_pass) {
        fmt::print(out, "{}: --   {:<40} run by ctest itself\n", what,
                   exercise.name + " (" + name + ")");
        continue;
      }
      const auto start = std::chrono::steady_clock::now();
      const CheckResult check = run_ctest_check(ctest_next_to(options.cmake), options.build_dir,
                                                name, options.timeout_seconds);
      ++total_checks;
      const bool ok = check.status == CheckStatus::kFailed && !course_sentence(check.message).empty();
      fmt::print(out, "{}: {} {:<40}   1 check,  {}  ({:.1f} s)\n", what, ok ? "ok  " : "FAIL",
                 exercise.name + " (" + name + ")", ok ? "fails on the stub" : "PASSES on the stub",
                 seconds_since(start));
      if (!ok) {
        ++problems;
        report_offending(check, want_pass, out);
      }
    }
  }
  if (problems == 0) {
    fmt::print(out, "{}: proved for {} checks: every one {}\n", what, total_checks,
               want_pass ? "passes on the reference solutions" : "fails on the untouched stubs");
  } else {
    fmt::print(out, "{}: {} problem(s) in {} checks\n", what, problems, total_checks);
  }
  return problems;
}

namespace {

// Whether the tree was configured before from this course with every one of these -D settings:
// the configure step can then be left out (a few seconds of every grading run), since the build
// runs CMake again by itself when a CMakeLists.txt or course.json changed.
bool configured_alike(const fs::path& build_dir, const fs::path& root,
                      const std::vector<std::string>& arguments) {
  if (!fs::exists(build_dir / "CMakeCache.txt")) return false;
  const auto cache = read_cmake_cache(build_dir / "CMakeCache.txt");
  const auto home = cache.find("CMAKE_HOME_DIRECTORY");
  if (home == cache.end() || !same_path(home->second, root)) return false;
  for (const auto& argument : arguments) {
    if (argument.rfind("-D", 0) != 0) return false;  // -G and the like: let CMake judge
    const auto equals = argument.find('=');
    if (equals == std::string::npos) return false;
    std::string name = argument.substr(2, equals - 2);
    name = name.substr(0, name.find(':'));  // -DNAME:TYPE=VALUE
    const auto entry = cache.find(name);
    if (entry == cache.end() || entry->second != argument.substr(equals + 1)) return false;
  }
  return true;
}

}  // namespace

bool build_student_tree(const Manifest& manifest, const StudentTree& tree,
                        const std::vector<std::string>& only, std::FILE* out) {
  std::vector<std::string> settings;
  if (!tree.generator.empty() && !fs::exists(tree.build_dir / "CMakeCache.txt")) {
    settings.insert(settings.end(), {"-G", tree.generator});
  }
  // The students' files at -O0 (cmake/Course.cmake): each submission and each catalogued
  // mistake compiles them again, and nothing else of the tree.
  settings.insert(settings.end(), {"-DCOURSE_USE_SOLUTIONS=OFF", "-DCOURSE_BUILD_TESTS=ON",
                                   "-DCOURSE_BUILD_BENCHMARKS=OFF",
                                   "-DCOURSE_STUDENT_FILES_UNOPTIMIZED=ON"});
  settings.insert(settings.end(), tree.cache_arguments.begin(), tree.cache_arguments.end());
  auto start = std::chrono::steady_clock::now();
  if (!configured_alike(tree.build_dir, manifest.root, settings)) {
    std::vector<std::string> configure = {tree.cmake, "-S", manifest.root.string(), "-B",
                                          tree.build_dir.string()};
    configure.insert(configure.end(), settings.begin(), settings.end());
    ProcessResult configured = run_process(configure);
    if (!configured.succeeded()) {
      fmt::print(out, "{}: the student tree does not configure ({}):\n{}\n", tree.label,
                 configured.describe(), configured.output);
      return false;
    }
    fmt::print(out, "{}: configured {} with the stubs ({:.1f} s)\n", tree.label,
               tree.build_dir.string(), seconds_since(start));
    std::fflush(out);
  }

  std::vector<std::string> build = {tree.cmake, "--build", tree.build_dir.string()};
  const int jobs = tree.jobs > 0
                       ? tree.jobs
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  build.insert(build.end(), {"--parallel", std::to_string(jobs), "--target"});
  size_t targets = 0;
  // Only what the checks run: the stub's library and test binaries, and for a ctest check its
  // executable and support targets. (The lesson executables link the same stub functions the
  // tests call; the student build compiles them.) Saves about a fifth of the build.
  for (const auto& exercise : manifest.exercises) {
    if (!selected(only, exercise.name)) continue;
    std::vector<std::string> needed = exercise.check_targets();
    if (!exercise.ctest_checks.empty()) {
      const auto more = exercise.ctest_check_targets();
      needed.insert(needed.end(), more.begin(), more.end());
    }
    build.insert(build.end(), needed.begin(), needed.end());
    targets += needed.size();
  }
  start = std::chrono::steady_clock::now();
  ProcessResult built = run_process(build);
  if (!built.succeeded()) {
    fmt::print(out,
               "{}: the untouched stubs do not build ({}); every stub must compile:\n{}\n",
               tree.label, built.describe(), compiler_errors(built.output, manifest.root, 80));
    return false;
  }
  fmt::print(out, "{}: built {} targets from the stubs with {} jobs ({:.1f} s)\n", tree.label, targets,
             jobs, seconds_since(start));
  return true;
}

}  // namespace course::tool
