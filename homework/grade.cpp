// The grader of the homework. It runs the homework with a seed of its choosing (or takes the
// files of a finished run), checks the training its metrics file records, then loads the saved
// model into its own copy of the network and counts the test accuracy itself: nothing the
// student's code reports is taken on trust. ctest runs it (label homework); so can you:
//   build/student/bin/homework_grade --metrics /tmp/m.json --model /tmp/m.pt --
//   build/student/bin/homework build/student/bin/homework_grade --metrics out/metrics.json --model
//   out/model.pt   # a finished run
// Prints one PASS/FAIL line per requirement (--report: also as JSON); exits 0 when every
// requirement passes, else 1.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (fmt 10+ moved it there)
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "common/process.h"
#include "common/fashion_mnist.h"
#include "common/language.h"
#include "harness/data.h"
#include "harness/files.h"
#include "harness/grading.h"
#include "harness/metrics.h"

namespace {
namespace fs = std::filesystem;
namespace harness = homework::harness;
using course::N_;
using course::tr;
using course::trf;

// Runs `command` with the grade's seed and output files appended; returns its exit status (or
// 128 + signal).
int run_homework(std::vector<std::string> command, uint64_t seed, const fs::path& metrics,
                 const fs::path& model) {
  for (const std::string& argument : command) {
    for (const char* flag : {"--seed", "--metrics", "--model"}) {
      if (argument == flag || argument.rfind(std::string(flag) + "=", 0) == 0) {
        throw course::UsageError(
            trf("the homework command must not set {}: the grade sets it (use the grade's own {})",
                flag, flag));
      }
    }
  }
  for (std::string extra : {std::string("--seed"), std::to_string(seed), std::string("--metrics"),
                            metrics.string(), std::string("--model"), model.string()}) {
    command.push_back(std::move(extra));
  }
  fmt::print("{}\n", trf("running: {}", fmt::join(command, " ")));
  std::fflush(stdout);
  // Its output goes straight to ours (course/process.h runs it from this argv, no shell).
  course::ProcessOptions run;
  run.capture_output = false;
  const course::ProcessResult done = course::run_process(command, run);
  if (!done.started) {
    throw std::runtime_error(trf("cannot run '{}': {}", command.front(),
                                 done.error));
  }
  if (done.signal != 0) return 128 + done.signal;
  return done.exit_code;
}

nlohmann::json read_metrics(const fs::path& metrics) {
  std::ifstream file(metrics);
  if (!file) {
    throw std::runtime_error(trf("cannot read '{}': run `homework --metrics {}` first",
                                 metrics.string(), metrics.string()));
  }
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(trf("'{}' is not valid JSON: {}", metrics.string(), e.what()));
  }
}

// The grade's own measurement of the saved model, on the split it loads itself (`seed`: the
// one the run was trained with).
// `accuracy` receives the test accuracy it counted, when it could measure the model.
std::vector<harness::GradeCheck> measured_checks(const nlohmann::json& json, const fs::path& model,
                                                 const std::string& data_dir, uint64_t seed,
                                                 double min_accuracy, nlohmann::json& accuracy) {
  try {
    const harness::HomeworkData data = harness::load_homework_data(
        course::locate_data_dir(data_dir), json.at("val_size").get<int64_t>(), seed, torch::kCPU);
    const harness::MeasuredModel measured =
        harness::measure_model(model, data.validation, data.test);
    accuracy = measured.test_accuracy;
    return harness::grade_model(json, measured, min_accuracy);
  } catch (const nlohmann::json::exception& e) {
    return {{std::string(tr("the model is measured by the grade")), false,
             trf("the metrics lack what the split needs: {}", e.what())}};
  } catch (const std::runtime_error& e) {
    return {{std::string(tr("the model is measured by the grade")), false, e.what()}};
  }
}

// One PASS / FAIL line per requirement and the verdict; returns main()'s status. Then, after the
// marker ">> " that `course check` shows the student (tests/support/sentence.h), the result in a
// sentence: the test accuracy the grade measured and how long the training took, or the first
// requirement not met.
int print_grade(const fs::path& metrics, const std::vector<harness::GradeCheck>& checks,
                const nlohmann::json& accuracy, std::optional<double> training_seconds) {
  fmt::print("{}\n", trf("Grading {}:", metrics.string()));
  int passed = 0;
  const harness::GradeCheck* first_unmet = nullptr;
  for (const auto& check : checks) {
    fmt::print("  {}  {}: {}\n", check.passed ? "PASS" : "FAIL", check.requirement, check.detail);
    passed += check.passed ? 1 : 0;
    if (!check.passed && !first_unmet) first_unmet = &check;
  }
  const bool ok = harness::all_passed(checks);
  fmt::print("{}\n", ok ? trf("Grade: PASSED ({} of {} requirements)", passed, checks.size())
                        : trf("Grade: FAILED ({} of {} requirements)", passed, checks.size()));
  std::string result;
  if (first_unmet) {
    result = fmt::format("{}: {}", first_unmet->requirement, first_unmet->detail);
  } else if (accuracy.is_number()) {
    result = trf("test accuracy {:.4f}, measured by the grade", accuracy.get<double>());
  }
  if (training_seconds) {
    result += trf("{}the training took {:.0f} s", result.empty() ? "" : "; ", *training_seconds);
  }
  if (!result.empty()) fmt::print(">> {}\n", result);
  return ok ? 0 : 1;
}

// The same, as JSON for a program (course grade): {"passed", "test_accuracy", "requirements"}.
void write_report(const fs::path& file, const std::vector<harness::GradeCheck>& checks,
                  const nlohmann::json& accuracy) {
  nlohmann::json report = {{"passed", harness::all_passed(checks)},
                           {"test_accuracy", accuracy},
                           {"requirements", nlohmann::json::array()}};
  for (const auto& check : checks) {
    report["requirements"].push_back(
        {{"requirement", check.requirement}, {"passed", check.passed}, {"detail", check.detail}});
  }
  harness::write_file_atomically(file, report.dump(2) + "\n");
}

}  // namespace

int main(int argc, char** argv) {
  // The descriptions are marked N_: course::run_main translates them (course::localize_cli).
  CLI::App app{N_("Grades the homework from its metrics JSON (optionally running it first)"),
               "homework_grade"};
  std::string metrics_path;
  std::string model_path;
  std::string data_dir;
  uint64_t seed = 42;
  double min_accuracy = 0.87;
  std::string report_path;
  std::vector<std::string> command;
  app.add_option("--report", report_path,
                 N_("Also write the requirements as JSON here (passed, test_accuracy, "
                    "requirements)"));
  app.add_option("--metrics", metrics_path, N_("The metrics JSON to grade (written by the run)"))
      ->required();
  app.add_option("--model", model_path, N_("The trained model to grade (written by the run)"))
      ->required();
  CLI::Option* seed_option =
      app.add_option("--seed", seed,
                     N_("Seed the homework is run with (graders: pick one the students never saw)"))
          ->capture_default_str();
  app.add_option("--data-dir", data_dir,
                 N_("Directory with the four Fashion-MNIST IDX files (default: searched like the "
                    "homework does)"));
  app.add_option("--min-accuracy", min_accuracy, N_("Test accuracy needed to pass"))
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("command", command,
                 N_("After --: the homework command to run first (--seed, --metrics and --model "
                    "are added)"));
  return course::run_main(app, argc, argv, [&]() -> int {
    const fs::path metrics(metrics_path);
    const fs::path model(model_path);
    std::optional<double> training_seconds;
    if (!command.empty()) {
      fs::remove(metrics);  // files from an earlier run must not be graded
      fs::remove(model);
      const auto start = std::chrono::steady_clock::now();
      const int status = run_homework(command, seed, metrics, model);
      training_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (status != 0) {
        fmt::print("FAIL  {}\n",
                   trf("the homework ran to the end: it exited with status {}", status));
        fmt::print("{}\n", tr("Grade: FAILED"));
        fmt::print(">> {}\n", trf("the homework did not run to the end (exit status {}): run it "
                                  "yourself to see why, `course run homework`",
                                  status));
        return 1;
      }
    }
    const nlohmann::json json = read_metrics(metrics);
    std::vector<harness::GradeCheck> checks = harness::grade(json);
    // The seed of the run: the grade's own when it ran the homework (or was given one).
    const bool seed_chosen = !command.empty() || seed_option->count() > 0;
    const bool has_seed = json.contains("seed") && json.at("seed").is_number_unsigned();
    if (seed_chosen) {
      checks.push_back({trf("trained with the grade's seed {}", seed),
                        has_seed && json.at("seed") == seed,
                        has_seed ? trf("the run used seed {}", json.at("seed").dump())
                                 : std::string(tr("the metrics hold no seed"))});
    }
    const uint64_t split_seed = seed_chosen || !has_seed ? seed : json.at("seed").get<uint64_t>();
    nlohmann::json accuracy;  // null until the model is measured
    for (auto& check : measured_checks(json, model, data_dir, split_seed, min_accuracy, accuracy)) {
      checks.push_back(std::move(check));
    }
    if (!report_path.empty()) write_report(report_path, checks, accuracy);
    return print_grade(metrics, checks, accuracy, training_seconds);
  });
}
