// The homework's grade: the student's code trains with the instructor's seed (in the sandbox,
// the only place it runs), then homework_grade, without the student's code, loads the saved
// weights into its own network and counts the accuracy itself.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/language.h"
#include "course_tool/files.h"
#include "course_tool/grade.h"
#include "grade_internal.h"

namespace course::tool {
namespace fs = std::filesystem;
using json = nlohmann::json;

CheckResult Grader::grade_homework(const Exercise& exercise, const std::string& check,
                                   const fs::path& binary, const fs::path& work,
                                   const Sandbox& base, PartGrade& part) const {
  const fs::path run = work / exercise.name;
  make_writable(run, base);
  const fs::path metrics = run / "metrics.json";
  const fs::path model = run / "model.pt";
  const std::string seed = std::to_string(options_.seed);
  std::vector<std::string> data;
  if (!options_.data_dir.empty()) data = {"--data-dir", options_.data_dir};

  // The student's code runs here, and only here: training with the instructor's seed.
  std::vector<std::string> train = {binary.string(),  "--seed",  seed,           "--metrics",
                                    metrics.string(), "--model", model.string(), "--quiet"};
  train.insert(train.end(), data.begin(), data.end());
  const Sandbox sandbox = sandbox_for(base, {manifest_.root, options_.tree, binary.parent_path()});
  const ProcessResult trained = run_sandboxed(sandbox, options_.homework, train, run, {run});
  if (!trained.succeeded()) {
    const std::string limit = limit_hit(trained, options_.homework);
    part.problem = !limit.empty() ? trf("the training was stopped by {}", limit)
                                  : trf("the training did not run to the end ({}):\n{}",
                                        trained.describe(), last_lines(trained.output, 15));
    return {check, CheckStatus::kFailed, part.problem};
  }

  // The grade runs without the student's code: it loads the saved weights into its own network
  // and counts the accuracy itself. Whatever the training left in the folder is not its report.
  const fs::path report = run / "grade.json";
  fs::remove_all(report);
  std::vector<std::string> measure = {(options_.tree / "bin" / "homework_grade").string(),
                                      "--seed",
                                      seed,
                                      "--metrics",
                                      metrics.string(),
                                      "--model",
                                      model.string(),
                                      "--report",
                                      report.string()};
  measure.insert(measure.end(), data.begin(), data.end());
  const ProcessResult graded = run_sandboxed(sandbox_for(base, {manifest_.root, options_.tree}),
                                             options_.checks, measure, run, {run});
  part.grade_output = last_lines(graded.output, 20);
  json verdict;
  try {
    verdict = json::parse(read_text(report));
  } catch (const std::exception&) {
    return {check, CheckStatus::kFailed,
            trf("the grade did not finish ({}):\n{}", graded.describe(), part.grade_output)};
  }
  if (verdict.value("test_accuracy", json()).is_number())
    part.accuracy = verdict["test_accuracy"].get<double>();
  std::string failures;
  for (const auto& requirement : verdict.value("requirements", json::array())) {
    if (!requirement.value("passed", false)) {
      failures += fmt::format("{}  {}: {}\n", tr(N_("FAIL")), requirement.value("requirement", ""),
                              requirement.value("detail", ""));
    }
  }
  const bool passed = verdict.value("passed", false) && graded.succeeded();
  return {check, passed ? CheckStatus::kPassed : CheckStatus::kFailed,
          passed ? "" : trf("the grade's requirements not met:\n{}", failures)};
}

}  // namespace course::tool
