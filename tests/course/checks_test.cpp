// Reading GoogleTest's JSON report per check, and the child processes that produce it.
#include "course_tool/checks.h"

#include <gtest/gtest.h>

#include "course_tool/manifest.h"
#include "course_tool/process.h"
#include "course_tool/progress.h"
#include "course_tool/student_build.h"
#include "support/temp_dir.h"

#include <fstream>

namespace {
using namespace course::tool;
namespace fs = std::filesystem;

// The shape GoogleTest 1.12 writes: one passed, one failed, one skipped, one disabled.
const char* kReport = R"({
  "tests": 4, "failures": 1, "disabled": 1, "name": "AllTests",
  "testsuites": [
    {"name": "Autograd", "tests": 4, "testsuite": [
      {"name": "CubeGradientAtTwoIsTwelve", "status": "RUN", "result": "COMPLETED",
       "classname": "Autograd"},
      {"name": "GradientsAccumulate", "status": "RUN", "result": "COMPLETED",
       "classname": "Autograd", "failures": [
         {"failure": "unknown file\nC++ exception with description \"accumulate() is not implemented yet\" thrown in the test body.", "type": ""},
         {"failure": "second failure", "type": ""}]},
      {"name": "Skipped", "status": "RUN", "result": "SKIPPED", "classname": "Autograd"},
      {"name": "DISABLED_Later", "status": "NOTRUN", "result": "SUPPRESSED",
       "classname": "Autograd"}
    ]}
  ]
})";

TEST(GTestReport, EachCheckHasItsStatusAndMessages) {
  const auto checks = parse_gtest_json(kReport, "report.json");
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_EQ(checks[0].name, "Autograd.CubeGradientAtTwoIsTwelve");
  EXPECT_EQ(checks[0].status, CheckStatus::kPassed);
  EXPECT_TRUE(checks[0].message.empty());
  EXPECT_EQ(checks[1].status, CheckStatus::kFailed);
  EXPECT_NE(checks[1].message.find("accumulate() is not implemented yet"), std::string::npos);
  EXPECT_NE(checks[1].message.find("second failure"), std::string::npos);
  EXPECT_EQ(checks[2].status, CheckStatus::kSkipped);
  EXPECT_EQ(checks[3].status, CheckStatus::kNotRun);
}

// GoogleTest escapes a message's UTF-8 byte by byte: a Spanish message reads back whole.
TEST(GTestReport, SpanishMessageReadsBackAsWritten) {
  const char* report = R"({"testsuites": [{"name": "Autograd", "testsuite": [
      {"name": "CubeGradientAtTwoIsTwelve", "result": "COMPLETED", "failures": [
        {"failure": "cube_gradient_at() todav\u00C3\u00ADa no est\u00C3\u00A1 implementada. \u00C2\u00BFNecesitas ayuda?"}]},
      {"name": "Other", "result": "COMPLETED", "failures": [{"failure": "x \u2260 y"}]}]}]})";
  const auto checks = parse_gtest_json(report, "report.json");
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].message,
            "cube_gradient_at() todavía no está implementada. ¿Necesitas ayuda?");
  EXPECT_EQ(checks[1].message, "x ≠ y");  // a real escape stays what it says
}

TEST(GTestReport, OnlyPassesCountAsPassing) {
  const auto counts = tally(parse_gtest_json(kReport, "report.json"));
  EXPECT_EQ(counts.passed, 1);
  EXPECT_EQ(counts.failed, 3);  // a skipped or disabled check proves nothing
  EXPECT_EQ(counts.total(), 4);
}

TEST(GTestReport, SomethingElseIsAnError) {
  EXPECT_THROW(parse_gtest_json("[1, 2]", "x.json"), CourseError);
  EXPECT_THROW(parse_gtest_json("not json", "x.json"), CourseError);
}

TEST(GTestReport, MissingBinaryIsReportedNotThrown) {
  course::testing::TempDir temp;
  RunOptions options;
  options.report_dir = temp.path();
  const auto run = run_gtest_binary(temp.path() / "test_missing", options);
  EXPECT_TRUE(run.crashed);
  EXPECT_TRUE(run.checks.empty());
  EXPECT_NE(run.problem.find("was it built?"), std::string::npos);
}

// What a student reads of a failure: the course's sentence (tests/support/sentence.h), never
// GoogleTest's "Value of / Actual / Expected" lines or c10's stack frames.
TEST(StudentMessage, IsTheSentenceAfterTheMarkerOfTheFirstFailure) {
  CheckResult check{"Mlp.CountsParameters", CheckStatus::kFailed, ""};
  check.first_failure =
      "/course/tests/exercises/mlp_test.cpp:40\nExpected equality of these values:\n  total\n"
      "    Which is: 0\n  kParameterCount\n    Which is: 266610\n>> the model has 0 parameters, "
      "expected 266610: register each layer with register_module (hint 2)";
  check.message = check.first_failure + "\n/course/tests/exercises/mlp_test.cpp:41\n>> again";
  EXPECT_EQ(student_message(check),
            "the model has 0 parameters, expected 266610: register each layer with "
            "register_module (hint 2)");
  EXPECT_EQ(course_sentence(check.first_failure), student_message(check));
}

TEST(StudentMessage, AnExceptionCarriesTheSentenceOfExplainThrowOrOfTheStub) {
  EXPECT_EQ(course_sentence("unknown file\nC++ exception with description \">> Net() threw: a "
                            "layer used before it is created (hint 2) (LibTorch said: Accessing "
                            "empty ModuleHolder)\" thrown in the test body."),
            "Net() threw: a layer used before it is created (hint 2) (LibTorch said: Accessing "
            "empty ModuleHolder)");
  EXPECT_EQ(course_sentence("unknown file\nC++ exception with description \"add() is not "
                            "implemented yet: write it in exercises/01_demo/ (look for TODO). "
                            "Stuck? `course hint 01_demo`\" thrown in the test body."),
            "add() is not implemented yet: write it in exercises/01_demo/ (look for TODO). "
            "Stuck? `course hint 01_demo`");
  // A ctest check's output: the line of the stub's NotImplemented.
  EXPECT_EQ(course_sentence("demo lesson\nTODO: add() is not implemented yet. Stuck? "
                            "`course hint 01_demo`\n"),
            "TODO: add() is not implemented yet. Stuck? `course hint 01_demo`");
  // GoogleTest's lines alone carry no sentence.
  EXPECT_EQ(course_sentence("a_test.cpp:3\nValue of: ok\n  Actual: false\nExpected: true"), "");
}

TEST(StudentMessage, ALibTorchErrorIsItsMessageAndTheStudentsFunctionWithoutTheFrames) {
  CheckResult check{"Mlp.Forward", CheckStatus::kFailed, ""};
  check.first_failure =
      "unknown file\nC++ exception with description \"Accessing empty ModuleHolder\n"
      "Exception raised from get at /usr/include/torch/csrc/api/include/torch/nn/pimpl.h:144 "
      "(most recent call first):\nframe #0: c10::Error::Error(c10::SourceLocation, std::string) "
      "+ 0x3e (0x7f in /lib/libc10.so)\nframe #1: torch::nn::ModuleHolder<torch::nn::LinearImpl>"
      "::get() + 0x5a (0x55 in test_03_mlp)\nframe #2: exercises::mlp::NetImpl::forward(at::Tensor) "
      "+ 0x22 (0x55 in test_03_mlp)\nframe #3: main + 0x1 (0x55 in test_03_mlp)\n\" thrown in the "
      "test body.";
  EXPECT_EQ(student_message(check),
            "threw: Accessing empty ModuleHolder (in exercises::mlp::NetImpl::forward(at::Tensor))");
}

TEST(StudentMessage, WithoutASentenceIsTheFailureWithoutItsFileAndLine) {
  CheckResult check{"A.B", CheckStatus::kFailed, ""};
  check.first_failure = "/course/tests/a_test.cpp:12\nValue of: ok\n  Actual: false";
  EXPECT_EQ(student_message(check), "Value of: ok\n  Actual: false");
}

TEST(Process, CapturesOutputAndExitStatus) {
  const auto result = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(result.started);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.output, "out\nerr\n");
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.describe(), "exit status 3");
}

TEST(Process, RunsInTheGivenFolderWithExtraEnvironment) {
  course::testing::TempDir temp;
  ProcessOptions options;
  options.working_directory = temp.path();
  options.environment = {{"COURSE_TEST_VALUE", "42"}};
  const auto result = run_process({"sh", "-c", "pwd; echo $COURSE_TEST_VALUE"}, options);
  EXPECT_EQ(result.output, fs::canonical(temp.path()).string() + "\n42\n");
}

TEST(Process, TimeoutKillsTheWholeGroup) {
  ProcessOptions options;
  options.timeout_seconds = 0.5;
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_process({"sh", "-c", "sleep 30 & sleep 30"}, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(seconds, 10.0);
  EXPECT_EQ(result.describe(1), "timed out after 1 s");
}

TEST(Process, SignalIsReported) {
  const auto result = run_process({"sh", "-c", "kill -SEGV $$"});
  EXPECT_EQ(result.signal, 11);
  EXPECT_NE(result.describe().find("signal 11"), std::string::npos);
}

TEST(Process, MissingProgramDoesNotStart) {
  const auto result = run_process({"course-no-such-program-anywhere"});
  EXPECT_FALSE(result.started);
  EXPECT_NE(result.error.find("not found"), std::string::npos);
  EXPECT_FALSE(find_program("course-no-such-program-anywhere").has_value());
  EXPECT_TRUE(find_program("sh").has_value());
}

TEST(Progress, RoundTripsThroughItsFile) {
  course::testing::TempDir temp;
  const fs::path file = progress_file(temp.path());
  {
    ProgressCache cache(file);
    ExerciseProgress progress;
    progress.passed = 9;
    progress.total = 9;
    progress.checked_at = 1700000000;
    progress.hints_shown = 2;
    cache.set("02_autograd", progress);
    ExerciseProgress failing;
    failing.passed = 1;
    failing.total = 4;
    failing.checked_at = 1700000001;
    failing.first_failure = "Mlp.ParameterCount";
    cache.set("03_mlp", failing);
    ASSERT_TRUE(cache.save());
  }
  ProgressCache cache(file);
  EXPECT_TRUE(cache.get("02_autograd").done());
  EXPECT_EQ(cache.get("02_autograd").hints_shown, 2);
  EXPECT_FALSE(cache.get("03_mlp").done());
  EXPECT_EQ(cache.get("03_mlp").first_failure, "Mlp.ParameterCount");
  EXPECT_FALSE(cache.get("04_training_loop").checked());
  cache.forget("02_autograd");
  EXPECT_FALSE(cache.get("02_autograd").checked());
}

TEST(Progress, DamagedFileIsAnEmptyCache) {
  course::testing::TempDir temp;
  const fs::path file = progress_file(temp.path());
  fs::create_directories(file.parent_path());
  std::ofstream(file) << "{ damaged";
  ProgressCache cache(file);
  EXPECT_FALSE(cache.get("01_tensors").checked());
  EXPECT_TRUE(cache.save());  // and it heals on the next write
}

TEST(Progress, CompileErrorIsNeverDone) {
  ExerciseProgress progress;
  progress.passed = progress.total = 3;
  progress.checked_at = 1;
  EXPECT_TRUE(progress.done());
  progress.compiles = false;
  EXPECT_FALSE(progress.done());
}

TEST(StudentBuild, ReadsTheCMakeCache) {
  course::testing::TempDir temp;
  std::ofstream(temp.path() / "CMakeCache.txt")
      << "# comment\n//help text\nCMAKE_COMMAND:INTERNAL=/usr/bin/cmake\n"
         "COURSE_USE_SOLUTIONS:BOOL=OFF\nCMAKE_MAKE_PROGRAM:FILEPATH=/usr/bin/ninja\n";
  const auto cache = read_cmake_cache(temp.path() / "CMakeCache.txt");
  EXPECT_EQ(cache.at("CMAKE_COMMAND"), "/usr/bin/cmake");
  EXPECT_EQ(cache.at("COURSE_USE_SOLUTIONS"), "OFF");
  EXPECT_EQ(cache.size(), 3u);
}

TEST(StudentBuild, CompilerErrorsDropTheCommandAndShortenPaths) {
  const std::string output =
      "[1/3] Building CXX object a.o\n"
      "FAILED: exercises/CMakeFiles/x.dir/autograd.cpp.o\n"
      "/usr/bin/c++ -I/course/include -O2 -o x.o -c /course/exercises/02_autograd/autograd.cpp\n"
      "/course/exercises/02_autograd/autograd.cpp:12:3: error: 'y' was not declared\n"
      "   12 |   y = 1;\n"
      "ninja: build stopped: subcommand failed.\n";
  EXPECT_EQ(compiler_errors(output, "/course"),
            "exercises/02_autograd/autograd.cpp:12:3: error: 'y' was not declared\n"
            "   12 |   y = 1;\n");
}

}  // namespace
