// The catalogue of mistakes: reading an entry, applying it to a solution, and the verdict on
// the checks it ran (tests/mistakes/ and `course_audit mistakes`).
#include "course_tool/mistakes.h"

#include <gtest/gtest.h>

#include "course_tool/manifest.h"
#include "fixture.h"
#include "support/temp_dir.h"

namespace {
using namespace course::tool;
using course::testing::contains;

const char* kEntry =
    "# a comment\n"
    "mistake: train_step never calls zero_grad\n"
    "message: zero_grad\n"
    "message: Hint 2\n"
    "--- find\n"
    "  optimizer.zero_grad();\n"
    "--- replace\n"
    "--- end\n"
    "--- find\n"
    "  return loss;\n"
    "--- replace\n"
    "  return loss * 2;\n"
    "--- end\n";

const char* kSolution =
    "double step() {\n"
    "  optimizer.zero_grad();\n"
    "  loss.backward();\n"
    "  return loss;\n"
    "}\n";

TEST(Mistakes, ParsesDescriptionPhrasesAndEdits) {
  const Mistake mistake = parse_mistake(kEntry, "no_zero_grad.mistake");
  EXPECT_EQ(mistake.description, "train_step never calls zero_grad");
  EXPECT_EQ(mistake.message, (std::vector<std::string>{"zero_grad", "Hint 2"}));
  ASSERT_EQ(mistake.edits.size(), 2u);
  EXPECT_EQ(mistake.edits[0].find, "  optimizer.zero_grad();\n");
  EXPECT_EQ(mistake.edits[0].replace, "");
  EXPECT_EQ(mistake.edits[1].replace, "  return loss * 2;\n");
}

TEST(Mistakes, AppliesEveryEditOnce) {
  const Mistake mistake = parse_mistake(kEntry, "no_zero_grad.mistake");
  EXPECT_EQ(apply_mistake(mistake, kSolution),
            "double step() {\n  loss.backward();\n  return loss * 2;\n}\n");
}

TEST(Mistakes, AnEditWhoseTextIsNotInTheSolutionExactlyOnceIsAnError) {
  const Mistake mistake = parse_mistake(kEntry, "no_zero_grad.mistake");
  try {
    apply_mistake(mistake, "double step() { return 0; }\n");
    FAIL() << "a missing text must be an error";
  } catch (const CourseError& e) {
    EXPECT_TRUE(contains(e.what(), "0 times")) << e.what();
  }
  EXPECT_THROW(apply_mistake(mistake, std::string(kSolution) + kSolution), CourseError);
}

TEST(Mistakes, RejectsEntriesThatProveNothingOrDoNotParse) {
  EXPECT_THROW(parse_mistake("message: x\n--- find\na\n--- replace\n--- end\n", "f"), CourseError)
      << "no description";
  EXPECT_THROW(parse_mistake("mistake: m\n--- find\na\n--- replace\n--- end\n", "f"), CourseError)
      << "no phrase for the message";
  EXPECT_THROW(parse_mistake("mistake: m\nmessage: x\n", "f"), CourseError) << "no edit";
  EXPECT_THROW(parse_mistake("mistake: m\nmessage: x\n--- find\na\n--- replace\n", "f"),
               CourseError)
      << "a block left open";
  EXPECT_THROW(parse_mistake("mistake: m\nmessage: x\nwhat is this\n", "f"), CourseError);
}

CheckResult check(const std::string& name, CheckStatus status, const std::string& message = "") {
  return CheckResult{name, status, message};
}

TEST(Mistakes, CaughtWhenTheFirstFailingCheckNamesItCaseInsensitively) {
  const Mistake mistake = parse_mistake(kEntry, "f");
  EXPECT_EQ(
      judge_mistake(mistake, {check("A.Passes", CheckStatus::kPassed),
                              check("A.Fails", CheckStatus::kFailed,
                                    "a_test.cpp:12\nValue of: fresh\n  Actual: false\n>> stale "
                                    "gradient: call optimizer.zero_grad() first (hint 2)"),
                              check("A.AlsoFails", CheckStatus::kFailed, "whatever")}),
      "");
}

TEST(Mistakes, NotCaughtWhenEveryCheckPasses) {
  const Mistake mistake = parse_mistake(kEntry, "f");
  const std::string verdict = judge_mistake(
      mistake, {check("A.One", CheckStatus::kPassed), check("A.Two", CheckStatus::kPassed)});
  EXPECT_TRUE(contains(verdict, "CAUGHT BY NO CHECK")) << verdict;
  EXPECT_TRUE(contains(judge_mistake(mistake, {}), "no checks ran"));
}

TEST(Mistakes, OnlyTheFirstFailingChecksMessageCounts) {
  const Mistake mistake = parse_mistake(kEntry, "f");
  const std::string verdict =
      judge_mistake(mistake, {check("A.First", CheckStatus::kFailed, "\n>> expected 12, got 24"),
                              check("A.Second", CheckStatus::kFailed, ">> call zero_grad (hint 2)")});
  EXPECT_TRUE(contains(verdict, "caught by A.First")) << verdict;
  EXPECT_TRUE(contains(verdict, "\"zero_grad\", \"Hint 2\"")) << verdict;
}

// What the student reads is the course's sentence: phrases found only in GoogleTest's lines, or a
// failure with no sentence at all (a LibTorch exception), do not count.
TEST(Mistakes, OnlyTheCoursesSentenceCounts) {
  const Mistake mistake = parse_mistake(kEntry, "f");
  std::string verdict = judge_mistake(
      mistake, {check("A.First", CheckStatus::kFailed,
                      "a_test.cpp:12\nValue of: zero_grad_called (hint 2)\n  Actual: false")});
  EXPECT_TRUE(contains(verdict, "carries no sentence of the course")) << verdict;
  verdict = judge_mistake(
      mistake, {check("A.First", CheckStatus::kFailed,
                      "unknown file\nC++ exception with description \"zero_grad (hint 2)\nException "
                      "raised from f at a.h:1\" thrown in the test body.")});
  EXPECT_TRUE(contains(verdict, "carries no sentence of the course")) << verdict;
  verdict = judge_mistake(
      mistake, {check("A.First", CheckStatus::kFailed,
                      "a_test.cpp:12\nValue of: zero_grad (hint 2)\n>> the gradient is stale")});
  EXPECT_TRUE(contains(verdict, "its sentence does not say \"zero_grad\", \"Hint 2\"")) << verdict;
}

const char* kCompileEntry =
    "mistake: a layer member without {nullptr}\n"
    "kind: compile\n"
    "message: {nullptr}\n"
    "--- find\n"
    "  return a;\n"
    "--- replace\n"
    "  return b;\n"
    "--- end\n"
    "file: mlp.h\n"
    "--- find\n"
    "  torch::nn::Linear fc1{nullptr};\n"
    "--- replace\n"
    "  torch::nn::Linear fc1;\n"
    "--- end\n";

TEST(Mistakes, ACompileEntryMayEditTheHeaderToo) {
  const Mistake mistake = parse_mistake(kCompileEntry, "holder.mistake");
  EXPECT_EQ(mistake.kind, MistakeKind::kCompile);
  EXPECT_EQ(parse_mistake(kEntry, "f").kind, MistakeKind::kCheck);
  ASSERT_EQ(mistake.edits.size(), 2u);
  EXPECT_EQ(mistake.edits[0].file, "");  // before any `file:`: the exercise's first file
  EXPECT_EQ(mistake.edits[1].file, "mlp.h");
  EXPECT_EQ(edited_files(mistake, "mlp.cpp"), (std::vector<std::string>{"mlp.cpp", "mlp.h"}));
  EXPECT_EQ(apply_mistake(mistake, "{\n  return a;\n}\n", "mlp.cpp", "mlp.cpp"),
            "{\n  return b;\n}\n");
  EXPECT_EQ(apply_mistake(mistake, "  torch::nn::Linear fc1{nullptr};\n", "mlp.h", "mlp.cpp"),
            "  torch::nn::Linear fc1;\n");
  // Edits of two files cannot be applied to one text.
  EXPECT_THROW(apply_mistake(mistake, "  return a;\n"), CourseError);
  EXPECT_THROW(parse_mistake("mistake: m\nkind: typo\nmessage: x\n--- find\na\n--- replace\n"
                             "--- end\n",
                             "f"),
               CourseError);
}

TEST(Mistakes, ACompileEntryNeedsTheExplanationAndTheFileToFix) {
  const Mistake mistake = parse_mistake(kCompileEntry, "holder.mistake");
  const std::vector<std::string> edited = {"exercises/03_mlp/mlp.cpp", "exercises/03_mlp/mlp.h"};
  EXPECT_EQ(judge_compile_mistake(mistake, "Declare it with `{NULLPTR}`.", "exercises/03_mlp/mlp.h",
                                  edited, "shown"),
            "");
  std::string verdict = judge_compile_mistake(mistake, "", "exercises/03_mlp/mlp.h", edited,
                                              "mlp.h:7:21: error: something else");
  EXPECT_TRUE(contains(verdict, "recognises no classic mistake")) << verdict;
  EXPECT_TRUE(contains(verdict, "something else")) << verdict;
  verdict = judge_compile_mistake(mistake, "Use ->.", "exercises/03_mlp/mlp.h", edited, "");
  EXPECT_TRUE(contains(verdict, "does not say \"{nullptr}\"")) << verdict;
  verdict = judge_compile_mistake(mistake, "`{nullptr}`", "exercises/03_mlp/main.cpp", edited, "");
  EXPECT_TRUE(contains(verdict, "\"Fix it in exercises/03_mlp/main.cpp\"")) << verdict;
}

TEST(Mistakes, LoadsTheCatalogueByExerciseAndName) {
  course::testing::TempDir temp;
  const auto root = temp.path() / "mistakes";
  std::filesystem::create_directories(root / "02_b");
  std::filesystem::create_directories(root / "01_a");
  std::ofstream(root / "02_b" / "z.mistake") << kEntry;
  std::ofstream(root / "01_a" / "y.mistake") << kEntry;
  std::ofstream(root / "01_a" / "x.mistake") << kEntry;
  std::ofstream(root / "01_a" / "notes.txt") << "not an entry";
  const auto catalogue = load_catalogue(root);
  ASSERT_EQ(catalogue.size(), 3u);
  EXPECT_EQ(catalogue[0].exercise + "/" + catalogue[0].name, "01_a/x");
  EXPECT_EQ(catalogue[1].exercise + "/" + catalogue[1].name, "01_a/y");
  EXPECT_EQ(catalogue[2].exercise + "/" + catalogue[2].name, "02_b/z");
}

}  // namespace
