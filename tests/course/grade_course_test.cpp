// `course grade` on the real course, homework included: three submissions made here from the
// student handout (scripts/make-student-copy.sh), graded with a seed of the instructor's in the
// honesty audit's tree of stubs (ctest runs this after it). The correct one gets full marks and
// the test accuracy the grade counts; the untouched stubs get nothing; a homework whose
// evaluate() inflates its accuracy is caught by the grade, which reports the real accuracy.
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "course_tool/files.h"
#include "course_tool/process.h"
#include "gradebook_row.h"
#include "support/temp_dir.h"

namespace {
using namespace course::tool;
using course::testing::TempDir;
namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const fs::path kRoot = COURSE_ROOT;
const fs::path kTree = COURSE_GRADING_TREE;

class GradeCourse : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new TempDir();
    const fs::path top = temp_->path();
    fs::permissions(top, fs::perms::all);  // the sandboxed users read the submissions' copies
    const fs::path handout = top / "handout";
    ProcessOptions quiet;
    quiet.timeout_seconds = 300;
    const auto made = run_process(
        {"bash", (kRoot / "scripts/make-student-copy.sh").string(), "--no-git", handout.string()},
        quiet);
    ASSERT_TRUE(made.succeeded()) << made.output;

    auto submission = [&](const std::string& student) {
      const fs::path folder = top / "subs" / student;
      fs::create_directories(folder.parent_path());
      fs::copy(handout, folder, fs::copy_options::recursive);
      return folder;
    };
    submission("stubs");
    const fs::path correct = submission("correct");
    for (const char* file : {"exercises/01_tensors/tensors.cpp", "exercises/02_autograd/autograd.cpp",
                             "exercises/03_mlp/mlp.cpp", "exercises/04_training_loop/training_loop.cpp",
                             "exercises/05_dataloader/dataloader.cpp",
                             "exercises/06_torchscript/torchscript.cpp", "homework/homework.cpp"}) {
      const fs::path solution = kRoot / fs::path(file).parent_path() / "solution" /
                                fs::path(file).filename();
      fs::copy_file(solution, correct / file, fs::copy_options::overwrite_existing);
    }
    // The homework solved, except that evaluate() reports 5 points more accuracy than the
    // predictions give.
    const fs::path inflates = submission("inflates_accuracy");
    const std::string honest =
        "result.accuracy = result.predictions.eq(labels).to(torch::kDouble).mean().item<double>();";
    std::string text = read_text(kRoot / "homework/solution/homework.cpp");
    ASSERT_NE(text.find(honest), std::string::npos) << "the solution's evaluate() changed";
    text.replace(text.find(honest), honest.size(),
                 "result.accuracy = std::min(1.0, 0.05 + result.predictions.eq(labels)"
                 ".to(torch::kDouble).mean().item<double>());");
    write_atomically(inflates / "homework/homework.cpp", text);

    ProcessOptions options;
    options.working_directory = kRoot;
    options.timeout_seconds = 1200;
    grades_ = top / "grades";
    run_ = new ProcessResult(run_process(
        {COURSE_GRADE_BINARY, "--seed", "9137", "--tree", kTree.string(), "--out",
         grades_.string(), "--jobs", "2", (top / "subs/correct").string(),
         (top / "subs/stubs").string(), (top / "subs/inflates_accuracy").string()},
        options));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete temp_;
  }
  void SetUp() override { ASSERT_TRUE(run_ && run_->succeeded()) << (run_ ? run_->output : ""); }

  static std::map<std::string, std::string> row(const std::string& student) {
    return course::testing::gradebook_row(grades_ / "gradebook.csv", student);
  }
  static std::string feedback(const std::string& student) {
    return read_text(grades_ / student / "feedback.md");
  }

  static TempDir* temp_;
  static fs::path grades_;
  static ProcessResult* run_;
};
TempDir* GradeCourse::temp_ = nullptr;
fs::path GradeCourse::grades_;
ProcessResult* GradeCourse::run_ = nullptr;

TEST_F(GradeCourse, TheSolutionsGetFullMarksAndTheHomeworkPasses) {
  const auto values = row("correct");
  EXPECT_EQ(values.at("total"), values.at("max_total")) << feedback("correct");
  EXPECT_EQ(values.at("homework_grade"), "passed") << feedback("correct");
  EXPECT_GE(std::stod(values.at("homework_accuracy")), 0.87);
}

TEST_F(GradeCourse, TheUntouchedStubsGetNothing) {
  const auto values = row("stubs");
  EXPECT_EQ(values.at("total"), "0") << feedback("stubs");
  EXPECT_EQ(values.at("homework_grade"), "failed");
  EXPECT_TRUE(contains(feedback("stubs"), "is not implemented yet")) << feedback("stubs");
}

TEST_F(GradeCourse, AnEvaluateThatInflatesTheAccuracyIsCaught) {
  const auto values = row("inflates_accuracy");
  EXPECT_EQ(values.at("homework_grade"), "failed") << feedback("inflates_accuracy");
  const std::string text = feedback("inflates_accuracy");
  EXPECT_TRUE(contains(text, "evaluate()")) << text;
  // The gradebook holds what the grade counted, not what evaluate() said.
  EXPECT_LT(std::stod(values.at("homework_accuracy")), 0.95);
  EXPECT_NEAR(std::stod(values.at("homework_accuracy")),
              std::stod(row("correct").at("homework_accuracy")), 0.02);
}

}  // namespace
