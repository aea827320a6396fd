// The files of one graded submission: results.json (Gradescope), feedback.md (the student's,
// in the student's language) and grade.json (the grader's own record, read back by reruns, the
// gradebook and merges).
#include "course_tool/grade_output.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/language.h"
#include "course_tool/files.h"

namespace course::tool {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

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

// A check's status as grade.json writes it (to_string), read back.
CheckStatus status_named(const std::string& name) {
  for (const CheckStatus status :
       {CheckStatus::kPassed, CheckStatus::kFailed, CheckStatus::kSkipped, CheckStatus::kNotRun}) {
    if (name == to_string(status)) return status;
  }
  return CheckStatus::kFailed;
}

}  // namespace

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
                   {"grader_failed", grade.grader_failed},
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
    grade.grader_failed = document.value("grader_failed", false);
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
        part.checks.push_back({check.at("name").get<std::string>(),
                               status_named(check.value("status", "")),
                               check.value("message", "")});
      }
      grade.parts.push_back(std::move(part));
    }
  } catch (const json::exception& e) {
    throw CourseError(fmt::format("{} is not a grade: {}", source, e.what()));
  }
  return grade;
}

void write_grade_files(const Manifest& manifest, const fs::path& folder,
                       const SubmissionGrade& grade) {
  write_atomically(folder / "results.json", gradescope_json(grade));
  write_atomically(folder / "feedback.md", feedback_markdown(manifest, grade));
  write_atomically(folder / "grade.json", grade_json(grade));  // last: it marks it done
}

}  // namespace course::tool
