// One submission's grade: what the grader reads once (the plan of each exercise), then the
// submission read (a folder or an archive) and each exercise graded (grade_part.cpp). Whatever
// goes wrong ends up in the grade, never as an exception out of Grader::grade.
#include "course_tool/grade.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/files.h"
#include "grade_internal.h"

namespace course::tool {
namespace fs = std::filesystem;

bool graded_by_homework_grade(const Exercise& exercise, const std::string& check) {
  const std::string suffix = ".grade";
  return check.size() > suffix.size() &&
         check.compare(check.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         std::find(exercise.support_targets.begin(), exercise.support_targets.end(),
                   "homework_grade") != exercise.support_targets.end();
}

void make_writable(const fs::path& folder, const Sandbox& sandbox) {
  fs::create_directories(folder);
  if (sandbox.enabled && sandbox.uid >= 0 && ::getuid() == 0) {
    [[maybe_unused]] int ignored =
        ::chown(folder.c_str(), static_cast<uid_t>(sandbox.uid), static_cast<gid_t>(sandbox.gid));
  }
}

std::vector<CheckResult> all_failed(const std::vector<std::string>& names,
                                    const std::string& message) {
  std::vector<CheckResult> checks;
  for (const auto& name : names) checks.push_back({name, CheckStatus::kFailed, message});
  return checks;
}

namespace {

// What the students were given, to compare their submissions with: the handout that
// scripts/make-student-copy.sh makes of this commit (no solutions, the student's README and
// presets), else the course itself.
fs::path handout_or_course(const fs::path& root, const fs::path& handout) {
  const fs::path script = root / "scripts" / "make-student-copy.sh";
  if (!fs::exists(script) || !fs::exists(root / ".git")) return root;
  fs::remove_all(handout);
  ProcessOptions options;
  options.timeout_seconds = 300;
  const ProcessResult made =
      run_process({"bash", script.string(), "--no-git", handout.string()}, options);
  return made.succeeded() ? handout : root;
}

}  // namespace

double PartGrade::score() const {
  return tally(checks).passed * points_per_check;
}
double PartGrade::max_score() const {
  return static_cast<double>(checks.size()) * points_per_check;
}

double SubmissionGrade::score() const {
  double sum = 0;
  for (const auto& part : parts) sum += part.score();
  return sum;
}
double SubmissionGrade::max_score() const {
  double sum = 0;
  for (const auto& part : parts) sum += part.max_score();
  return sum;
}

Grader::Grader(const Manifest& manifest, const GradeOptions& options)
    : manifest_(manifest), options_(options), ar_(tree_archiver(options.tree)) {
  // Each exercise's plan asks the tree (Ninja's link commands, each test binary's list of
  // checks, a LibTorch start each) and the handout is made meanwhile: all at once, since they
  // wait on programs that start, not on each other. An exception reaches the caller from get().
  auto plan_of = [&](const Exercise& exercise) {
    Plan plan;
    plan.exercise = &exercise;
    std::vector<std::string> targets = exercise.test_executables;
    for (const auto& check : exercise.ctest_checks) {
      if (graded_by_homework_grade(exercise, check)) plan.graded_ctest_checks.push_back(check);
    }
    if (!plan.graded_ctest_checks.empty()) targets.push_back(exercise.executable);
    plan.recipe = read_recipe(manifest, exercise, options.tree, targets);
    for (const auto& file : exercise.files)
      plan.stub_texts.push_back(read_text(manifest.root / exercise.folder / file));
    for (const auto& test : exercise.test_executables) {
      const fs::path binary = options.tree / "bin" / test;
      std::vector<std::string> names = list_checks(binary);
      if (names.empty()) {
        throw CourseError(trf("{} lists no checks: build the grading tree first", binary.string()));
      }
      plan.checks.push_back(std::move(names));
    }
    return plan;
  };
  auto handout = std::async(std::launch::async, [&] {
    return course_files(handout_or_course(manifest.root, options.out / ".handout"));
  });
  std::vector<std::future<Plan>> plans;
  for (const auto& exercise : manifest.exercises)
    plans.push_back(std::async(std::launch::async, plan_of, std::cref(exercise)));
  for (auto& plan : plans) plans_.push_back(plan.get());
  course_files_ = handout.get();
}

Sandbox Grader::sandbox_for(const Sandbox& base, const std::vector<fs::path>& readable) const {
  Sandbox sandbox = base;
  sandbox.readable.insert(sandbox.readable.end(), readable.begin(), readable.end());
  return sandbox;
}

void Grader::zero(SubmissionGrade& grade, const std::string& why) const {
  grade.refused = why;
  grade.parts.clear();
  for (const auto& plan : plans_) {
    PartGrade part;
    part.exercise = plan.exercise->name;
    part.points_per_check = plan.exercise->points;
    part.problem = grade.grader_failed ? why : trf("the submission could not be read: {}", why);
    for (const auto& names : plan.checks) {
      for (auto& check : all_failed(names, part.problem)) part.checks.push_back(check);
    }
    for (auto& check : all_failed(plan.graded_ctest_checks, part.problem))
      part.checks.push_back(check);
    grade.parts.push_back(std::move(part));
  }
}

SubmissionGrade Grader::grade(const fs::path& input, int slot, Language language,
                              int parts_at_a_time) const {
  const auto start = std::chrono::steady_clock::now();
  SubmissionGrade grade;
  grade.student = student_name(input);
  grade.source = input.string();
  grade.seed = options_.seed;
  grade.language = language;
  const fs::path work = options_.out / grade.student / "work";
  try {  // the grader's own folder: a problem here is the grader's, not the submission's
    fs::remove_all(work);
    fs::create_directories(work);
  } catch (const std::exception& e) {
    grade.grader_failed = true;
    zero(grade, trf("the grader failed on this submission: {}", e.what()));
    grade.seconds = seconds_since(start);
    return grade;
  }
  try {
    fs::path folder = input;
    if (fs::is_regular_file(input)) {
      folder = work / "submission";
      grade.notes = extract_archive(input, folder, options_.extract);
    } else if (!fs::is_directory(input)) {
      throw CourseError(trf("{} is neither a folder nor an archive", input.string()));
    }
    const Overlay overlay = tool::overlay(manifest_, course_files_, folder);
    grade.notes.insert(grade.notes.end(), overlay.notes.begin(), overlay.notes.end());
    // Each submission graded at the same time runs as a user of its own: the process limit
    // counts per user, so a fork bomb starves only itself.
    Sandbox sandbox = options_.sandbox;
    if (sandbox.uid >= 0) sandbox.uid += slot;
    if (sandbox.gid >= 0) sandbox.gid += slot;
    // With a core to spare, the parts that train (the homework) start first, beside the
    // others; each part has folders of its own. The grade lists them in the course's order.
    std::vector<std::future<PartGrade>> beside(plans_.size());
    for (size_t i = 0; i < plans_.size() && parts_at_a_time > 1; ++i) {
      if (plans_[i].graded_ctest_checks.empty()) continue;
      beside[i] = std::async(std::launch::async, [&, i] {
        return grade_part(plans_[i], overlay, work, sandbox);
      });
    }
    std::vector<PartGrade> parts(plans_.size());
    for (size_t i = 0; i < plans_.size(); ++i) {
      if (!beside[i].valid()) parts[i] = grade_part(plans_[i], overlay, work, sandbox);
    }
    for (size_t i = 0; i < plans_.size(); ++i) {
      if (beside[i].valid()) parts[i] = beside[i].get();
    }
    grade.parts = std::move(parts);
  } catch (const fs::filesystem_error& e) {  // the grader's folders (a full disk): its problem
    grade.grader_failed = true;
    zero(grade, trf("the grader failed on this submission: {}", e.what()));
  } catch (const std::exception& e) {
    zero(grade, e.what());
  }
  grade.seconds = seconds_since(start);
  return grade;
}

}  // namespace course::tool
