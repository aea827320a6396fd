// The class report (course_tool/class_report.h): its figures from a small class of grades made
// here, the page's charts, the most common mistakes matched in English and in Spanish, and the
// page parsed as XML (XHTML with inline SVG) by Python's own parser.
#include "course_tool/class_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/files.h"
#include "course_tool/process.h"
#include "support/scoped_environment.h"
#include "support/temp_dir.h"

namespace {
using namespace course::tool;
using course::testing::ScopedEnvironment;
using course::testing::TempDir;
namespace fs = std::filesystem;

// The English of the zero_grad check's sentence (tests/exercises/training_loop_test.cpp).
constexpr const char* kZeroGradFormat =
    "after train_step {}'s gradient is off by up to {:.6g} from this batch's own gradient (it held "
    "a stale 100 before the step): call optimizer.zero_grad() before loss.backward(), or every "
    "step adds to the last gradients (hint 2)";

std::string zero_grad_sentence() {
  return fmt::format(fmt::runtime(std::string(course::tr(kZeroGradFormat))), "fc1.weight", 100.0);
}

Mistake zero_grad_mistake() {
  Mistake mistake;
  mistake.exercise = "04_training_loop";
  mistake.name = "zero_grad_forgotten";
  mistake.description = "train_step never calls optimizer.zero_grad()";
  mistake.message = {"zero_grad", "hint 2"};
  return mistake;
}

Manifest two_exercise_manifest() {
  Manifest manifest;
  manifest.root = "/nowhere";
  for (const char* name : {"04_training_loop", "homework"}) {
    Exercise exercise;
    exercise.name = name;
    manifest.exercises.push_back(exercise);
  }
  return manifest;
}

// A student: the loop's two checks (the first passing or failing with `sentence`), the homework's
// one check with its accuracy.
SubmissionGrade student(const std::string& name, const std::string& sentence, double accuracy) {
  SubmissionGrade grade;
  grade.student = name;
  PartGrade loop;
  loop.exercise = "04_training_loop";
  loop.checks.emplace_back("TrainingLoop.ZerosTheGradient",
                           sentence.empty() ? CheckStatus::kPassed : CheckStatus::kFailed,
                           sentence.empty() ? "" : "file.cpp:1: Failure\n>> " + sentence);
  loop.checks.emplace_back("TrainingLoop.StepsTheOptimizer", CheckStatus::kPassed, "");
  PartGrade homework;
  homework.exercise = "homework";
  homework.accuracy = accuracy;
  homework.checks.emplace_back("homework.grade",
                               accuracy >= 0.87 ? CheckStatus::kPassed : CheckStatus::kFailed,
                               accuracy >= 0.87 ? "" : ">> test accuracy below 0.87");
  grade.parts = {loop, homework};
  return grade;
}

TEST(ClassReport, ASpanishSentenceIsReadThroughTheCataloguesEnglish) {
  ScopedEnvironment spanish({{"COURSE_LANG", "es"}});
  const std::string read = zero_grad_sentence();
  ASSERT_EQ(read.find("hint 2"), std::string::npos) << "the sentence should be Spanish: " << read;
  EXPECT_EQ(english_of_sentence(read), fmt::format(kZeroGradFormat, "fc1.weight", 100.0));
  EXPECT_EQ(english_of_sentence("not a sentence of the course"), "not a sentence of the course");
}

TEST(ClassReport, CountsEachCatalogueMistakeOncePerStudentInEitherLanguage) {
  std::string english, spanish;
  {
    ScopedEnvironment language({{"COURSE_LANG", "en"}});
    english = zero_grad_sentence();
  }
  {
    ScopedEnvironment language({{"COURSE_LANG", "es"}});
    spanish = zero_grad_sentence();
  }
  ASSERT_NE(english, spanish);
  const std::vector<SubmissionGrade> grades = {
      student("ana", english, 0.88), student("bo", spanish, 0.86), student("cy", "", 0.90),
      student("di", "the loss is not a number (hint 4)", 0.91)};
  const std::vector<Mistake> catalogue = {zero_grad_mistake()};
  const ClassFigures figures = class_figures(two_exercise_manifest(), grades, catalogue);
  EXPECT_EQ(figures.students, 4u);
  ASSERT_EQ(figures.mistakes.size(), 1u);
  EXPECT_EQ(figures.mistakes[0].students, (std::vector<std::string>{"ana", "bo"}));
  // Four first failures: ana, bo, di in the loop, bo's homework; di's and bo's homework unnamed.
  EXPECT_EQ(figures.first_failures, 4u);
  EXPECT_EQ(figures.first_failures_unmatched, 2u);
  ASSERT_EQ(figures.exercises.size(), 2u);
  EXPECT_EQ(figures.exercises[0].name, "04_training_loop");
  EXPECT_EQ(figures.exercises[0].passed, 1u);  // only cy passes every check of the loop
  EXPECT_EQ(figures.exercises[1].passed, 3u);  // all but bo reach 0.87
  EXPECT_EQ(figures.accuracies.size(), 4u);
  EXPECT_EQ(figures.checks.size(), 3u);
}

TEST(ClassReport, ThePageIsWellFormedAndDrawsWhatItCounts) {
  ScopedEnvironment language({{"COURSE_LANG", "en"}});
  const std::vector<SubmissionGrade> grades = {student("ana", zero_grad_sentence(), 0.88),
                                               student("bo", zero_grad_sentence(), 0.86),
                                               student("cy", "", 0.90)};
  const std::vector<Mistake> catalogue = {zero_grad_mistake()};
  const ClassFigures figures = class_figures(two_exercise_manifest(), grades, catalogue);
  const std::string html = class_report_html(figures);
  EXPECT_NE(html.find("<tr data-entry=\"04_training_loop/zero_grad_forgotten\"><td "
                      "class=\"number\">2</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("class=\"threshold\""), std::string::npos) << "no 0.87 line";
  EXPECT_NE(html.find("data-value=\"0.87\""), std::string::npos);

  // Parsed by a real XML parser: every SVG, its bars and their counts.
  TempDir temp;
  const fs::path page = temp.path() / "report.html";
  write_atomically(page, html);
  const char* script = R"(
import sys, xml.etree.ElementTree as ET
svg = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
charts = root.findall(".//" + svg + "svg")
bars = [r for r in root.iter(svg + "rect") if r.get("class") == "bar"]
print(len(charts), sum(int(r.get("data-count")) for r in bars),
      len(root.findall(".//" + svg + "line")))
)";
  ProcessOptions options;
  options.timeout_seconds = 60;
  const ProcessResult parsed = run_process({"python3", "-c", script, page.string()}, options);
  ASSERT_TRUE(parsed.succeeded()) << parsed.output;
  // Four charts (scores, exercises, accuracy, checks); the two histograms count 3 students each;
  // one threshold line.
  EXPECT_EQ(parsed.output, "4 6 1\n");

  const std::string csv = class_report_csv(figures);
  EXPECT_NE(csv.find("mistake,04_training_loop/zero_grad_forgotten,2,3\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("exercise_passed,homework,2,3\n"), std::string::npos) << csv;
}

}  // namespace
