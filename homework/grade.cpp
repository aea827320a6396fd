// The grader of the homework: checks a metrics file written by `homework --metrics FILE`, or
// first runs the homework to write it. ctest runs it (label homework); so can you:
//   build/student/bin/homework_grade --metrics /tmp/metrics.json -- build/student/bin/homework
//   build/student/bin/homework_grade --metrics out/metrics.json     # grade an existing file
// Prints one PASS/FAIL line per requirement; exits 0 when every requirement passes, else 1.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (fmt 10+ moved it there)
#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "tools/metrics.h"

namespace {
namespace fs = std::filesystem;

// Runs `command` with "--metrics <metrics>" appended; returns its exit status (or 128 + signal).
int run_homework(std::vector<std::string> command, const fs::path& metrics) {
  command.push_back("--metrics");
  command.push_back(metrics.string());
  fmt::print("running: {}\n", fmt::join(command, " "));
  std::fflush(stdout);
  std::vector<char*> argv;
  for (std::string& argument : command) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(fmt::format("cannot fork: {}", std::strerror(errno)));
  if (child == 0) {
    ::execv(argv[0], argv.data());
    fmt::print(stderr, "homework_grade: error: cannot run '{}': {}\n", argv[0], std::strerror(errno));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Grades the homework from its metrics JSON (optionally running it first)",
               "homework_grade"};
  std::string metrics_path;
  double min_accuracy = 0.87;
  std::vector<std::string> command;
  app.add_option("--metrics", metrics_path, "The metrics JSON to grade")->required();
  app.add_option("--min-accuracy", min_accuracy, "Test accuracy needed to pass")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("command", command,
                 "After --: the homework command to run first (its --metrics is added)");
  return course::run_main(app, argc, argv, [&]() -> int {
    const fs::path metrics(metrics_path);
    if (!command.empty()) {
      fs::remove(metrics);  // a file from an earlier run must not be graded
      const int status = run_homework(command, metrics);
      if (status != 0) {
        fmt::print("FAIL  the homework ran to the end: it exited with status {}\n", status);
        fmt::print("Grade: FAILED\n");
        return 1;
      }
    }
    std::ifstream file(metrics);
    if (!file) {
      throw std::runtime_error(fmt::format(
          "cannot read '{}': run `homework --metrics {}` first", metrics.string(), metrics.string()));
    }
    nlohmann::json json;
    try {
      json = nlohmann::json::parse(file);
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(fmt::format("'{}' is not valid JSON: {}", metrics.string(), e.what()));
    }
    const auto checks = homework::tools::grade(json, min_accuracy);
    fmt::print("Grading {}:\n", metrics.string());
    int passed = 0;
    for (const auto& check : checks) {
      fmt::print("  {}  {}: {}\n", check.passed ? "PASS" : "FAIL", check.requirement, check.detail);
      passed += check.passed ? 1 : 0;
    }
    const bool ok = homework::tools::all_passed(checks);
    fmt::print("Grade: {} ({} of {} requirements)\n", ok ? "PASSED" : "FAILED", passed,
               checks.size());
    return ok ? 0 : 1;
  });
}
