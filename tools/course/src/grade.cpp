#include "course_tool/grade.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/language.h"
#include "course_tool/compile_errors.h"
#include "course_tool/files.h"
#include "course_tool/student_build.h"

namespace course::tool {
namespace fs = std::filesystem;
using json = nlohmann::json;

struct Grader::Plan {
  const Exercise* exercise = nullptr;
  ExerciseRecipe recipe;
  std::vector<std::string> stub_texts;           // the instructor's stubs, per file
  std::vector<std::vector<std::string>> checks;  // per test binary: its checks
  std::vector<std::string> graded_ctest_checks;  // "homework.grade"
};

namespace {

// A grading check that the homework's grade runs: "<name>.grade" with homework_grade built.
bool graded_by_homework_grade(const Exercise& exercise, const std::string& check) {
  const std::string suffix = ".grade";
  return check.size() > suffix.size() &&
         check.compare(check.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         std::find(exercise.support_targets.begin(), exercise.support_targets.end(),
                   "homework_grade") != exercise.support_targets.end();
}

// Folders the sandboxed user must be able to write (as root the runs become `nobody`).
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

// `english` (a message of po/es.po, marked with N_) in `language`: what the student reads is in
// their language, whatever this process speaks.
std::string in_language(Language language, std::string_view english) {
  if (language == Language::kSpanish) {
    if (const auto spanish = spanish_of(english)) return std::string(*spanish);
  }
  return std::string(english);
}
template <typename... Args>
std::string format_in(Language language, std::string_view english_format, Args&&... args) {
  return fmt::format(fmt::runtime(in_language(language, english_format)),
                     std::forward<Args>(args)...);
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
  for (const auto& exercise : manifest.exercises) {
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
    plans_.push_back(std::move(plan));
  }
  course_files_ = course_files(handout_or_course(manifest.root, options.out / ".handout"));
}

Sandbox Grader::sandbox_for(const Sandbox& base, const std::vector<fs::path>& readable) const {
  Sandbox sandbox = base;
  sandbox.readable.insert(sandbox.readable.end(), readable.begin(), readable.end());
  return sandbox;
}

void Grader::refuse(SubmissionGrade& grade, const std::string& why) const {
  grade.refused = why;
  grade.parts.clear();
  for (const auto& plan : plans_) {
    PartGrade part;
    part.exercise = plan.exercise->name;
    part.points_per_check = plan.exercise->points;
    part.problem = trf("the submission could not be read: {}", why);
    for (const auto& names : plan.checks) {
      for (auto& check : all_failed(names, part.problem)) part.checks.push_back(check);
    }
    for (auto& check : all_failed(plan.graded_ctest_checks, part.problem))
      part.checks.push_back(check);
    grade.parts.push_back(std::move(part));
  }
}

SubmissionGrade Grader::grade(const fs::path& input, int slot, Language language) const {
  const auto start = std::chrono::steady_clock::now();
  SubmissionGrade grade;
  grade.student = student_name(input);
  grade.source = input.string();
  grade.seed = options_.seed;
  grade.language = language;
  const fs::path work = options_.out / grade.student / "work";
  fs::remove_all(work);
  fs::create_directories(work);
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
    for (const auto& plan : plans_) grade.parts.push_back(grade_part(plan, overlay, work, sandbox));
  } catch (const std::exception& e) {
    refuse(grade, e.what());
  }
  grade.seconds = seconds_since(start);
  return grade;
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
  std::vector<fs::path> binaries;
  auto started = std::chrono::steady_clock::now();
  if (untouched) {
    for (const auto& target : plan.recipe.targets)
      binaries.push_back(options_.tree / "bin" / target);
  } else {
    make_writable(build, base);
    const Sandbox sandbox = sandbox_for(base, {manifest_.root, options_.tree, build / "source"});
    const Rebuilt rebuilt =
        rebuild(plan.recipe, options_.tree, sources, build, ar_,
                [&](const std::string& command, const fs::path& directory) {
                  return run_sandboxed(sandbox, options_.compile, {"/bin/sh", "-c", command},
                                       directory, {build});
                });
    if (!rebuilt.failed_step.empty()) {
      const std::string limit = limit_hit(rebuilt.process, options_.compile);
      part.problem = !limit.empty()
                         ? trf("{} was stopped by {}", step_text(rebuilt.failed_step), limit)
                         : trf("{} failed:\n{}", step_text(rebuilt.failed_step),
                               compile_failure_text(rebuilt.process.output, manifest_.root,
                                                    exercise, build / "source"));
    }
    binaries = rebuilt.binaries;
  }
  part.build_seconds = seconds_since(started);
  started = std::chrono::steady_clock::now();

  for (size_t i = 0; i < exercise.test_executables.size(); ++i) {
    const std::vector<std::string>& expected = plan.checks[i];
    if (!part.problem.empty() || i >= binaries.size()) {
      for (auto& check : all_failed(expected, part.problem)) part.checks.push_back(check);
      continue;
    }
    const fs::path reports = work / "reports" / exercise.name;
    make_writable(reports, base);
    const Sandbox sandbox = sandbox_for(base, {manifest_.root, options_.tree, build});
    RunOptions run;
    run.report_dir = reports;
    run.working_directory = manifest_.root;
    run.timeout_seconds = options_.checks.wall_seconds;
    run.retry_after_limit = false;
    run.run = [&](const std::vector<std::string>& command) {
      return run_sandboxed(sandbox, options_.checks, command, manifest_.root, {reports});
    };
    const BinaryRun result = run_gtest_binary(binaries[i], run);
    const std::string limit = limit_hit(result.process, options_.checks);
    if (!limit.empty()) {
      part.problem = trf("{} was stopped by {}", exercise.test_executables[i], limit);
      for (auto& check : all_failed(expected, part.problem)) part.checks.push_back(check);
      continue;
    }
    for (const auto& name : expected) {
      const auto found = std::find_if(result.checks.begin(), result.checks.end(),
                                      [&](const CheckResult& check) { return check.name == name; });
      if (found != result.checks.end()) {
        part.checks.push_back(*found);
      } else {
        part.checks.push_back({name, CheckStatus::kNotRun,
                               result.problem.empty() ? std::string(tr("did not run"))
                                                      : trf("did not run: {}", result.problem)});
      }
    }
  }
  part.check_seconds = seconds_since(started);
  started = std::chrono::steady_clock::now();
  for (const auto& check : plan.graded_ctest_checks) {
    if (!part.problem.empty() || binaries.size() < plan.recipe.targets.size()) {
      part.checks.push_back({check, CheckStatus::kFailed, part.problem});
      continue;
    }
    part.checks.push_back(grade_homework(exercise, check, binaries.back(), work, base, part));
  }
  part.train_seconds = seconds_since(started);
  if (!untouched) {  // linked binaries weigh tens of megabytes each
    for (const auto& binary : binaries) fs::remove(binary);
  }
  return part;
}

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

// ---- what a grade is written as ---------------------------------------------------------------

std::string gradescope_json(const SubmissionGrade& grade) {
  json tests = json::array();
  for (const auto& part : grade.parts) {
    for (const auto& check : part.checks) {
      const bool passed = check.status == CheckStatus::kPassed;
      tests.push_back({{"name", part.exercise + ": " + check.name},
                       {"score", passed ? part.points_per_check : 0.0},
                       {"max_score", part.points_per_check},
                       {"status", passed ? "passed" : "failed"},
                       {"output", passed ? check.message : student_message(check)}});
    }
  }
  std::string output;
  if (!grade.refused.empty())
    output += format_in(grade.language, N_("Refused: {}\n"), grade.refused);
  for (const auto& note : grade.notes) output += note + "\n";
  json results = {{"score", grade.score()},
                  {"execution_time", grade.seconds},
                  {"output", output},
                  {"tests", tests}};
  return results.dump(2) + "\n";
}

std::string feedback_markdown(const Manifest& manifest, const SubmissionGrade& grade) {
  const Language language = grade.language;
  std::string text =
      format_in(language, N_("# Feedback for {}\n\nTotal: **{:g} of {:g} points**.\n"),
                grade.student, grade.score(), grade.max_score());
  if (!grade.refused.empty())
    text += format_in(language, N_("\nYour submission could not be graded: {}\n"), grade.refused);
  for (const auto& part : grade.parts) {
    const Tally counts = tally(part.checks);
    text += format_in(language, N_("\n## {}: {} of {} checks pass\n\n"), part.exercise,
                      counts.passed, counts.total());
    if (part.accuracy)
      text += format_in(language,
                        N_("Test accuracy, counted by the grade from your model's predictions: "
                           "{:.4f}\n\n"),
                        *part.accuracy);
    if (counts.failed == 0) {
      text += in_language(language, N_("Every check passes.\n"));
      continue;
    }
    if (!part.problem.empty()) text += fmt::format("```\n{}\n```\n\n", part.problem);
    const auto first = std::find_if(part.checks.begin(), part.checks.end(), [](const auto& check) {
      return check.status != CheckStatus::kPassed;
    });
    if (part.problem.empty() || first->message != part.problem) {
      text += format_in(language, N_("The first check that fails, `{}`:\n\n```\n{}\n```\n\n"),
                        first->name, last_lines(student_message(*first), 30));
    }
    std::string readme;
    for (const auto& exercise : manifest.exercises) {
      if (exercise.name != part.exercise) continue;
      // The student's README: README.es.md for a student who reads Spanish.
      readme = localized_readme(manifest.root / exercise.readme, language)
                   .lexically_relative(manifest.root)
                   .string();
      // The grade of a homework says what it measured, even after a check failed before it.
      for (const auto& check : part.checks) {
        const bool graded = std::find(exercise.ctest_checks.begin(), exercise.ctest_checks.end(),
                                      check.name) != exercise.ctest_checks.end();
        if (graded && check.status != CheckStatus::kPassed && &check != &*first &&
            check.message != part.problem) {
          text += format_in(language, N_("The grade, `{}`:\n\n```\n{}\n```\n\n"), check.name,
                            last_lines(check.message, 30));
        }
      }
    }
    text += format_in(language, N_("Hints: the \"Hints\" section of `{}` (or `course hint {}`).\n"),
                      readme, part.exercise);
    if (counts.passed > 0) {
      text += "\n" + in_language(language, N_("Passing:"));
      for (const auto& check : part.checks) {
        if (check.status == CheckStatus::kPassed) text += " `" + check.name + "`";
      }
      text += "\n";
    }
  }
  if (!grade.notes.empty()) {
    text += in_language(
        language, N_("\n## Notes\n\nOnly the files you edit count (course.json lists them): "
                     "the tests, the harness and the build are always the course's own.\n\n"));
    for (const auto& note : grade.notes) text += "- " + note + "\n";
  }
  return text;
}

std::string grade_json(const SubmissionGrade& grade) {
  json parts = json::array();
  for (const auto& part : grade.parts) {
    json checks = json::array();
    for (const auto& check : part.checks) {
      checks.push_back(
          {{"name", check.name}, {"status", to_string(check.status)}, {"message", check.message}});
    }
    parts.push_back({{"exercise", part.exercise},
                     {"points_per_check", part.points_per_check},
                     {"problem", part.problem},
                     {"accuracy", part.accuracy ? json(*part.accuracy) : json()},
                     {"grade_output", part.grade_output},
                     {"seconds",
                      {{"build", part.build_seconds},
                       {"checks", part.check_seconds},
                       {"train", part.train_seconds}}},
                     {"checks", checks}});
  }
  json document = {{"student", grade.student},
                   {"source", grade.source},
                   {"seed", grade.seed},
                   {"language", language_code(grade.language)},
                   {"seconds", grade.seconds},
                   {"refused", grade.refused},
                   {"notes", grade.notes},
                   {"score", grade.score()},
                   {"max_score", grade.max_score()},
                   {"parts", parts}};
  return document.dump(2) + "\n";
}

SubmissionGrade parse_grade_json(const std::string& text, const std::string& source) {
  SubmissionGrade grade;
  try {
    const json document = json::parse(text);
    grade.student = document.at("student").get<std::string>();
    grade.source = document.value("source", "");
    grade.seed = document.at("seed").get<uint64_t>();
    grade.language = parse_language(document.value("language", "en")).value_or(Language::kEnglish);
    grade.seconds = document.value("seconds", 0.0);
    grade.refused = document.value("refused", "");
    grade.notes = document.value("notes", std::vector<std::string>());
    for (const auto& item : document.at("parts")) {
      PartGrade part;
      part.exercise = item.at("exercise").get<std::string>();
      part.points_per_check = item.value("points_per_check", 1.0);
      part.problem = item.value("problem", "");
      if (item.contains("accuracy") && item["accuracy"].is_number())
        part.accuracy = item["accuracy"].get<double>();
      part.grade_output = item.value("grade_output", "");
      if (item.contains("seconds") && item["seconds"].is_object()) {
        part.build_seconds = item["seconds"].value("build", 0.0);
        part.check_seconds = item["seconds"].value("checks", 0.0);
        part.train_seconds = item["seconds"].value("train", 0.0);
      }
      for (const auto& check : item.at("checks")) {
        const std::string status = check.value("status", "");
        part.checks.push_back({check.at("name").get<std::string>(),
                               status == "passed" ? CheckStatus::kPassed : CheckStatus::kFailed,
                               check.value("message", "")});
      }
      grade.parts.push_back(std::move(part));
    }
  } catch (const json::exception& e) {
    throw CourseError(fmt::format("{} is not a grade: {}", source, e.what()));
  }
  return grade;
}

namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

std::string gradebook_csv(const Manifest& manifest, const std::vector<std::string>& roster,
                          const std::vector<SubmissionGrade>& grades) {
  std::string csv = "student";
  for (const auto& exercise : manifest.exercises) csv += "," + csv_field(exercise.name);
  csv += ",homework_accuracy,homework_grade,total,max_total\n";
  std::map<std::string, const SubmissionGrade*> by_student;
  for (const auto& grade : grades) by_student[grade.student] = &grade;
  std::vector<std::string> order = roster;
  std::vector<std::string> rest;
  for (const auto& [student, grade] : by_student) {
    if (std::find(roster.begin(), roster.end(), student) == roster.end()) rest.push_back(student);
  }
  order.insert(order.end(), rest.begin(), rest.end());
  for (const auto& student : order) {
    csv += csv_field(student);
    const auto found = by_student.find(student);
    if (found == by_student.end()) {  // on the roster, nothing submitted
      for (size_t i = 0; i < manifest.exercises.size(); ++i) csv += ",0";
      csv += ",,missing,0,\n";
      continue;
    }
    const SubmissionGrade& grade = *found->second;
    std::string accuracy, verdict;
    for (const auto& exercise : manifest.exercises) {
      const auto part =
          std::find_if(grade.parts.begin(), grade.parts.end(),
                       [&](const PartGrade& p) { return p.exercise == exercise.name; });
      csv += part == grade.parts.end() ? ",0" : fmt::format(",{:g}", part->score());
      for (const auto& check : exercise.ctest_checks) {  // the homework's grade
        if (part == grade.parts.end() || !graded_by_homework_grade(exercise, check)) continue;
        if (part->accuracy) accuracy = fmt::format("{:.4f}", *part->accuracy);
        const bool passed = std::any_of(
            part->checks.begin(), part->checks.end(),
            [&](const auto& c) { return c.name == check && c.status == CheckStatus::kPassed; });
        verdict = passed ? "passed" : "failed";
      }
    }
    csv += fmt::format(",{},{},{:g},{:g}\n", accuracy, verdict, grade.score(), grade.max_score());
  }
  return csv;
}

std::vector<std::string> read_roster(const fs::path& file) {
  std::istringstream lines(read_text(file));
  std::vector<std::string> students;
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string id = line.substr(0, line.find(','));
    if (id.size() >= 2 && id.front() == '"' && id.back() == '"') id = id.substr(1, id.size() - 2);
    if (first) {
      first = false;
      std::string lower = id;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (lower == "student" || lower == "id" || lower == "login" || lower == "username") continue;
    }
    if (!id.empty()) students.push_back(id);
  }
  if (students.empty())
    throw CourseError(
        fmt::format("{}: no students in it (one id per line, first column)", file.string()));
  return students;
}

namespace {

// One row of a CSV file: its fields, a quoted field's quotes ("" inside: one ") taken off.
std::vector<std::string> csv_row(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  for (auto& field : fields) field = trim(field);
  return fields;
}

}  // namespace

std::map<std::string, Language> read_roster_languages(const fs::path& file) {
  std::istringstream lines(read_text(file));
  std::string line;
  if (!std::getline(lines, line)) return {};
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const std::vector<std::string> header = csv_row(line);
  size_t column = 0;
  for (; column < header.size(); ++column) {
    std::string name = header[column];
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    if (column > 0 && (name == "language" || name == "lang" || name == "idioma")) break;
  }
  if (column == header.size()) return {};
  std::map<std::string, Language> languages;
  for (int row = 2; std::getline(lines, line); ++row) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::vector<std::string> fields = csv_row(line);
    if (fields.front().empty() || column >= fields.size() || fields[column].empty()) continue;
    const std::string& code = fields[column];
    const std::optional<Language> language =
        code == "es" || code == "en" ? parse_language(code) : std::nullopt;
    if (!language) {
      throw CourseError(
          trf("{}, row {}: the language of {} is '{}': write es or en (or nothing: "
              "the class's, --lang)",
              file.string(), row, fields.front(), code));
    }
    languages[fields.front()] = *language;
  }
  return languages;
}

// ---- a whole class --------------------------------------------------------------------------

GradeRun grade_class(const Manifest& manifest, const GradeOptions& options,
                     const std::vector<fs::path>& inputs,
                     const std::function<void(const SubmissionGrade&, bool)>& report,
                     const std::function<bool()>& stop_requested) {
  std::map<std::string, fs::path> seen;
  for (const auto& input : inputs) {
    const std::string student = student_name(input);
    if (student.empty() || student == "." || student == "..")
      throw CourseError(fmt::format("{}: no student name in this path", input.string()));
    if (seen.count(student)) {
      throw CourseError(fmt::format("two submissions for {}: {} and {}; keep one", student,
                                    seen.at(student).string(), input.string()));
    }
    seen[student] = input;
  }
  const std::vector<std::string> roster =
      options.roster.empty() ? std::vector<std::string>() : read_roster(options.roster);
  const std::map<std::string, Language> roster_languages =
      options.roster.empty() ? std::map<std::string, Language>()
                             : read_roster_languages(options.roster);
  auto language_of = [&](const std::string& student) {
    const auto found = roster_languages.find(student);
    return found == roster_languages.end() ? options.language : found->second;
  };
  fs::create_directories(options.out);
  const Grader grader(manifest, options);

  std::mutex lock;
  GradeRun totals;
  // The gradebook holds every student graded with this seed in `out`, from this run or before.
  auto write_gradebook = [&] {
    std::vector<SubmissionGrade> grades;
    for (const auto& folder : fs::directory_iterator(options.out)) {
      const fs::path done = folder.path() / "grade.json";
      if (!fs::is_regular_file(done)) continue;
      try {
        SubmissionGrade grade = parse_grade_json(read_text(done), done.string());
        if (grade.seed == options.seed) grades.push_back(std::move(grade));
      } catch (const CourseError&) {
        // unreadable: left out until it is graded again
      }
    }
    write_atomically(options.out / "gradebook.csv", gradebook_csv(manifest, roster, grades));
  };
  // What earlier runs finished: kept (and skipped) unless --force, another seed or another
  // language (its feedback.md would not be in the student's).
  std::vector<fs::path> to_grade;
  for (const auto& input : inputs) {
    const fs::path done = options.out / student_name(input) / "grade.json";
    if (!options.force && fs::exists(done)) {
      try {
        const SubmissionGrade earlier = parse_grade_json(read_text(done), done.string());
        if (earlier.seed == options.seed && earlier.language == language_of(earlier.student)) {
          ++totals.skipped;
          report(earlier, true);
          continue;
        }
      } catch (const CourseError&) {
        // unreadable: graded again
      }
    }
    to_grade.push_back(input);
  }
  write_gradebook();

  // The students of each language together, this process speaking theirs: the checks it starts
  // inherit it (COURSE_LANG), and so do the explanations it writes. The class's language first.
  std::vector<fs::path> group;
  Language group_language = options.language;
  std::atomic<size_t> next{0};
  auto worker = [&](int slot) {
    for (;;) {
      if (stop_requested()) return;
      const size_t index = next++;
      if (index >= group.size()) return;
      SubmissionGrade grade = grader.grade(group[index], slot, group_language);
      if (stop_requested()) return;  // interrupted halfway: not a grade
      const fs::path folder = options.out / grade.student;
      std::lock_guard<std::mutex> guard(lock);
      write_atomically(folder / "results.json", gradescope_json(grade));
      write_atomically(folder / "feedback.md", feedback_markdown(manifest, grade));
      write_atomically(folder / "grade.json", grade_json(grade));  // last: it marks it done
      fs::remove_all(folder / "work");
      ++totals.graded;
      report(grade, false);
      write_gradebook();
    }
  };
  const Language other =
      options.language == Language::kSpanish ? Language::kEnglish : Language::kSpanish;
  for (const Language language : {options.language, other}) {
    group.clear();
    for (const auto& input : to_grade) {
      if (language_of(student_name(input)) == language) group.push_back(input);
    }
    if (group.empty()) continue;
    group_language = language;
    next = 0;
    use_language(language);  // no thread runs: every worker of the last group has ended
    std::vector<std::thread> threads;
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(group.size())));
    for (int i = 0; i < jobs; ++i) threads.emplace_back(worker, i);
    for (auto& thread : threads) thread.join();
  }
  use_language(options.language);
  return totals;
}

}  // namespace course::tool
