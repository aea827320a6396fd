// Reading GoogleTest's JSON report per check, and the child processes that produce it.
#include "course_tool/checks.h"

#include <gtest/gtest.h>

#include "common/language.h"
#include "compile_outputs.h"
#include "course_tool/compile_errors.h"
#include "course_tool/manifest.h"
#include "course_tool/process.h"
#include "course_tool/progress.h"
#include "course_tool/student_build.h"
#include "support/temp_dir.h"

#include <sys/wait.h>

#include <algorithm>
#include <csignal>
#include <optional>
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

TEST(ChildProcess, WritesItsOutputToFilesAndReportsItsExit) {
  course::testing::TempDir temp;
  SpawnOptions options;
  options.stdout_file = temp.path() / "out.txt";
  options.stderr_file = temp.path() / "err.txt";
  options.environment = {{"COURSE_TEST_VALUE", "42"}};
  ChildProcess child({"sh", "-c", "echo out $COURSE_TEST_VALUE; echo err >&2; exit 4"}, options);
  const std::optional<int> status = child.wait();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 4);
  std::ifstream out(temp.path() / "out.txt"), err(temp.path() / "err.txt");
  std::string out_line, err_line;
  std::getline(out, out_line);
  std::getline(err, err_line);
  EXPECT_EQ(out_line, "out 42");
  EXPECT_EQ(err_line, "err");
}

TEST(ChildProcess, AWaitWithATimeLimitLeavesItRunningUntilASignalEndsIt) {
  ChildProcess child({"sleep", "30"});
  EXPECT_FALSE(child.wait(0.2).has_value()) << "sleep 30 ended within 0.2 s";
  child.send(SIGTERM);
  const std::optional<int> status = child.wait(10);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFSIGNALED(*status));
  EXPECT_EQ(WTERMSIG(*status), SIGTERM);
}

TEST(ChildProcess, AProgramThatCannotStartIsAnErrorNamingIt) {
  try {
    ChildProcess child({"course-no-such-program-anywhere"});
    FAIL() << "started a program that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("course-no-such-program-anywhere"), std::string::npos)
        << e.what();
  }
  course::testing::TempDir temp;
  SpawnOptions options;
  options.working_directory = temp.path() / "no_such_folder";
  EXPECT_THROW(ChildProcess({"sh", "-c", "true"}, options), std::runtime_error);
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


// ---- A failed compile as the student reads it (compile_errors.h) ------------------------------

namespace compile {
using course::testing::TempDir;
using namespace course::testing;

// A checkout with the course's real stubs' shape: the exercises' files and headers, whose lines
// the explanation may read, and READMEs with hints.
class CompileErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = temp_.path() / "course";
    write("exercises/03_mlp/mlp.h",
          "#pragma once\n"
          "#include <torch/torch.h>\n"
          "namespace exercises::mlp {\n"
          "class NetImpl : public torch::nn::Module {\n"
          " public:\n"
          "  // A comment naming torch::nn::Linear fc3; is no declaration.\n"
          "  torch::nn::Linear fc1;\n"
          "  torch::nn::Linear fc2{nullptr};\n"
          "};\n"
          "}  // namespace exercises::mlp\n");
    write("exercises/03_mlp/mlp.cpp", "#include \"mlp.h\"\n");
    write("exercises/03_mlp/main.cpp", "#include <iostream>\n#include \"mlp.h\"\n");
    write("exercises/03_mlp/README.md",
          "# 03\n\n## Hints\n\n### Hint 1\n\nUse F::relu.\n\n### Hint 2\n\n"
          "`register_module(\"fc1\", layer)` returns the layer.\n");
    write("exercises/05_dataloader/dataloader.cpp", "\n");
    write("exercises/05_dataloader/dataloader.h", "\n");
    write("exercises/05_dataloader/README.md",
          "# 05\n\n## Hints\n\n### Hint 1\n\nIndex.\n\n### Hint 2\n\nFirst Normalize.\n\n"
          "### Hint 3\n\n`dataset.size().value()`.\n");
    write("homework/homework.cpp", "\n");
    write("homework/homework.h", "  torch::nn::Linear hidden1{nullptr};\n");
    write("homework/README.md", "# Homework\n\n## Hints\n\n### Hint 1\n\n"
                                "`optimizer.zero_grad();` first.\n");
  }
  void write(const std::string& file, const std::string& text) {
    fs::create_directories((root_ / file).parent_path());
    std::ofstream(root_ / file) << text;
  }
  CompileContext context(const std::string& name, const std::string& file) {
    Exercise exercise = derive_from_name(name);
    if (name == "homework") {
      exercise.folder = "homework";
      exercise.readme = "homework/README.md";
    }
    exercise.files = {file};
    return compile_context(root_, exercise);
  }
  // The compiler's output as it came, in this checkout.
  std::string output(const char* text) const {
    std::string result = text;
    for (size_t at; (at = result.find("@ROOT@")) != std::string::npos;)
      result.replace(at, 6, root_.string());
    return result;
  }
  TempDir temp_;
  fs::path root_;
};

// `part` in `text`, or in `text` with its lines joined (the sentences are wrapped).
bool has(const std::string& text, const std::string& part) {
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  return text.find(part) != std::string::npos || flat.find(part) != std::string::npos;
}

TEST_F(CompileErrors, StudentFilesAreTheStubsAndTheHeadersBesideThem) {
  const CompileContext mlp = context("03_mlp", "mlp.cpp");
  EXPECT_EQ(mlp.student_files,
            (std::vector<fs::path>{"exercises/03_mlp/mlp.cpp", "exercises/03_mlp/mlp.h"}));
  EXPECT_EQ(mlp.hints.size(), 2u);
  EXPECT_EQ(context("homework", "homework.cpp").student_files,
            (std::vector<fs::path>{"homework/homework.cpp", "homework/homework.h"}));
}

TEST_F(CompileErrors, AHolderWithoutNullptrIsFoundInTheHeaderThoughClangNeverNamesIt) {
  const CompileContext mlp = context("03_mlp", "mlp.cpp");
  const CompileFailure failure = explain_compile_failure(output(kHolderWithoutNullptr), mlp);
  EXPECT_TRUE(failure.in_student_file);
  EXPECT_EQ(failure.file, "exercises/03_mlp/mlp.h");
  EXPECT_EQ(failure.mistake.id, "holder_without_nullptr");
  EXPECT_EQ(failure.mistake.hint, 2);
  // The line, the message, the caret under the member; no header chain, no command, no ninja.
  EXPECT_TRUE(has(failure.shown,
                  "exercises/03_mlp/mlp.h:7:21: error: static_assert failed due to requirement "
                  "'std::is_default_constructible<torch::nn::LinearImpl>::value'"))
      << failure.shown;
  EXPECT_TRUE(has(failure.shown, "\n  torch::nn::Linear fc1;\n                    ^\n"))
      << failure.shown;
  EXPECT_TRUE(has(failure.shown, "inside LibTorch's torch/nn/pimpl.h")) << failure.shown;
  for (const std::string& noise : {std::string("In file included from"), std::string("FAILED"),
                                  std::string("clang++"), std::string("ninja"),
                                  std::string("generated"), root_.string()})
    EXPECT_FALSE(has(failure.shown, noise)) << noise << " in\n" << failure.shown;

  const std::string message =
      compile_failure_message(output(kHolderWithoutNullptr), mlp, "Stuck? hint line");
  EXPECT_TRUE(has(message, "03_mlp does not compile yet")) << message;
  EXPECT_TRUE(has(message, "`{nullptr}`")) << message;
  EXPECT_TRUE(has(message, "Hint 2 is about this: `course hint 03_mlp 2`")) << message;
  EXPECT_TRUE(has(message, "Fix it in exercises/03_mlp/mlp.h, then run `course check 03_mlp`"))
      << message;
  EXPECT_TRUE(has(message, "Stuck? hint line")) << message;
}

TEST_F(CompileErrors, AnErrorInsideLibTorchIsFollowedBackToTheStudentsLine) {
  const CompileFailure failure =
      explain_compile_failure(output(kReluPassedAsTensor), context("03_mlp", "mlp.cpp"));
  EXPECT_EQ(failure.file, "exercises/03_mlp/mlp.cpp");
  EXPECT_EQ(failure.mistake.id, "module_as_tensor");
  EXPECT_EQ(failure.mistake.hint, 1);  // "Use F::relu."
  const std::string expected =
      "exercises/03_mlp/mlp.cpp:18:13: error: no viable conversion from 'torch::nn::ReLU' to "
      "'const at::Tensor'\n"
      "  return fc2(relu);  // functional: ReLU has no parameters, so it needs no member\n"
      "            ^\n"
      "(the compiler reports it inside LibTorch's torch/nn/pimpl-inl.h:58:53, reached from this "
      "line)\n";
  EXPECT_EQ(failure.shown, expected);
  EXPECT_GT(failure.lines_left_out, 30u);
}

TEST_F(CompileErrors, LongTypesAreCutAndTheLinesLeftOutCounted) {
  const CompileContext dataloader = context("05_dataloader", "dataloader.cpp");
  const CompileFailure failure = explain_compile_failure(output(kStackBeforeNormalize), dataloader);
  EXPECT_EQ(failure.file, "exercises/05_dataloader/dataloader.cpp");
  EXPECT_EQ(failure.mistake.id, "stack_before_normalize");
  EXPECT_EQ(failure.mistake.hint, 2);
  EXPECT_TRUE(has(failure.shown,
                  "dataloader.cpp:19:10: error: no viable conversion from returned value of type "
                  "'MapDataset<MapDataset<[...], Stack<>>, Normalize<>>' to function return type "
                  "'MapDataset<MapDataset<[...], Normalize<>>, Stack<>>'"))
      << failure.shown;
  EXPECT_EQ(failure.shown.find("map.h"), std::string::npos) << failure.shown;
  EXPECT_EQ(failure.lines_left_out, 19u);  // 22 lines of the compiler's, 3 shown
  const std::string message = compile_failure_message(output(kStackBeforeNormalize), dataloader, "");
  EXPECT_TRUE(has(message, "(19 more lines of the compiler's output are left out: `course check "
                           "--verbose 05_dataloader` shows them all.)"))
      << message;
  EXPECT_TRUE(has(message, "Normalize is mapped first and Stack last")) << message;
  // --verbose: every line of the compiler's, the paths still relative, the commands still out.
  const std::string verbose =
      compile_failure_message(output(kStackBeforeNormalize), dataloader, "", true);
  EXPECT_TRUE(has(verbose, "torch/csrc/api/include/torch/data/datasets/map.h:109:48")) << verbose;
  EXPECT_FALSE(has(verbose, "left out")) << verbose;
  EXPECT_FALSE(has(verbose, root_.string())) << verbose;
  EXPECT_EQ(full_compiler_output(output(kStackBeforeNormalize), root_).find("generated"),
            std::string::npos);
}

TEST_F(CompileErrors, AnErrorInAFileTheStudentDoesNotEditNamesTheHeaderItUses) {
  const CompileContext mlp = context("03_mlp", "mlp.cpp");
  const CompileFailure failure = explain_compile_failure(output(kHeaderChangedTestAndMainFail), mlp);
  EXPECT_FALSE(failure.in_student_file);
  EXPECT_EQ(failure.other_file, "tests/exercises/mlp_test.cpp");
  EXPECT_EQ(failure.file, "exercises/03_mlp/mlp.h");
  EXPECT_TRUE(has(failure.shown, "tests/exercises/mlp_test.cpp:117:38: error: no matching function "
                                 "for call to 'make_sequential'\n"))
      << failure.shown;
  EXPECT_TRUE(has(failure.shown, "exercises/03_mlp/mlp.h:40:23: note: candidate function not "
                                 "viable: requires 3 arguments, but 0 were provided\n"))
      << failure.shown;
  const std::string message = compile_failure_message(output(kHeaderChangedTestAndMainFail), mlp, "");
  EXPECT_TRUE(has(message, "The error is in tests/exercises/mlp_test.cpp, a file of the course that "
                           "you do not edit: it uses your exercises/03_mlp/mlp.h"))
      << message;
  EXPECT_TRUE(has(message, "Fix it in exercises/03_mlp/mlp.h,")) << message;

  // A file of the course whose error names no student file: the student file it includes.
  const std::string main_only =
      "FAILED: exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o \n"
      "/usr/bin/clang++ -O3 -o exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o -c " +
      (root_ / "exercises/03_mlp/main.cpp").string() + "\n" + (root_ / "exercises/03_mlp/main.cpp").string() +
      ":86:74: error: no member named 'count_parameters' in namespace 'exercises::mlp'\n"
      "      fmt::print(\"parameters: {}\\n\", ex::count_parameters(*net));\n"
      "                                         ~~~~^\n"
      "1 error generated.\n"
      "ninja: build stopped: subcommand failed.\n";
  const CompileFailure other = explain_compile_failure(main_only, mlp);
  EXPECT_EQ(other.other_file, "exercises/03_mlp/main.cpp");
  EXPECT_EQ(other.file, "exercises/03_mlp/mlp.h");  // main.cpp's #include "mlp.h"
  EXPECT_TRUE(other.mistake.id.empty());
}

TEST_F(CompileErrors, TheFirstErrorInAStudentFileComesBeforeTheLessonsErrors) {
  const CompileContext mlp = context("03_mlp", "mlp.cpp");
  const CompileFailure failure = explain_compile_failure(output(kTorchModuleDeleted), mlp);
  EXPECT_TRUE(failure.in_student_file);
  EXPECT_EQ(failure.file, "exercises/03_mlp/mlp.h");
  EXPECT_EQ(failure.shown,
            "exercises/03_mlp/mlp.h:51:25: error: unknown type name 'Net'\n"
            "void copy_weights(const Net& from, torch::nn::Sequential& to);\n"
            "                        ^\n");
  EXPECT_EQ(failure.mistake.id, "module_without_torch_module");  // NetImpl is in mlp.h
  EXPECT_GT(failure.lines_left_out, 20u);
}

TEST_F(CompileErrors, TheClassicMistakesAreRecognised) {
  struct Case {
    const char* output;
    const char* exercise;
    const char* file;
    const char* id;
    std::string location;
  };
  const std::vector<Case> cases = {
      {kDotForArrow, "homework", "homework.cpp", "dot_for_arrow", "homework/homework.cpp:23:34"},
      {kZeroGradNotCalled, "homework", "homework.cpp", "member_function_not_called",
       "homework/homework.cpp:33:15"},
      {kItemWithoutType, "04_training_loop", "training_loop.cpp", "item_without_type",
       "exercises/04_training_loop/training_loop.cpp:40:10"},
      {kSizeIsOptional, "05_dataloader", "dataloader.cpp", "optional_size",
       "exercises/05_dataloader/dataloader.cpp:26:16"},
      {kZerosWithoutBraces, "01_tensors", "tensors.cpp", "sizes_without_braces",
       "exercises/01_tensors/tensors.cpp:15:10"},
      {kReluTypeAsValue, "03_mlp", "mlp.cpp", "module_type_as_value",
       "exercises/03_mlp/mlp.cpp:35:54"},
      {kMemberWithParentheses, "03_mlp", "mlp.cpp", "member_constructed_with_parentheses",
       "exercises/03_mlp/mlp.h:33:25"},
  };
  for (const auto& c : cases) {
    const CompileFailure failure = explain_compile_failure(output(c.output), context(c.exercise, c.file));
    EXPECT_EQ(failure.mistake.id, c.id) << failure.shown;
    EXPECT_TRUE(failure.in_student_file) << failure.shown;
    EXPECT_EQ(failure.shown.rfind(c.location + ": error: ", 0), 0u) << failure.shown;
  }
  // A hint is named only when the exercise has one about it.
  const CompileFailure zero_grad =
      explain_compile_failure(output(kZeroGradNotCalled), context("homework", "homework.cpp"));
  EXPECT_EQ(zero_grad.mistake.hint, 1);
  const CompileFailure size =
      explain_compile_failure(output(kSizeIsOptional), context("05_dataloader", "dataloader.cpp"));
  EXPECT_EQ(size.mistake.hint, 3);
  const CompileFailure arrow =
      explain_compile_failure(output(kDotForArrow), context("homework", "homework.cpp"));
  EXPECT_EQ(arrow.mistake.hint, 0);
  EXPECT_FALSE(has(mistake_explanation(arrow, context("homework", "homework.cpp")), "Hint"));
}

TEST_F(CompileErrors, AnUnknownErrorIsShownWithoutAnExplanation) {
  const CompileContext mlp = context("03_mlp", "mlp.cpp");
  const std::string text = (root_ / "exercises/03_mlp/mlp.cpp").string() +
                           ":9:3: error: use of undeclared identifier 'y'\n  y = 1;\n  ^\n"
                           "1 error generated.\n";
  const CompileFailure failure = explain_compile_failure(text, mlp);
  EXPECT_EQ(failure.shown,
            "exercises/03_mlp/mlp.cpp:9:3: error: use of undeclared identifier 'y'\n  y = 1;\n  ^\n");
  EXPECT_TRUE(failure.mistake.id.empty());
  EXPECT_EQ(failure.lines_left_out, 0u);
  const std::string message = compile_failure_message(text, mlp, "");
  EXPECT_FALSE(has(message, "left out")) << message;
  EXPECT_TRUE(has(message, "Fix it in exercises/03_mlp/mlp.cpp,")) << message;
  // No compiler diagnostic at all (a linker's error): its last lines, the stubs to fix.
  const std::string linker =
      "FAILED: bin/ex03_mlp \n/usr/bin/clang++ -O3 x.o -o bin/ex03_mlp\n"
      "ld.lld: error: undefined symbol: exercises::mlp::make_sequential(long, long, long)\n"
      "clang: error: linker command failed with exit code 1 (use -v to see invocation)\n";
  const CompileFailure linked = explain_compile_failure(linker, mlp);
  EXPECT_TRUE(has(linked.shown, "undefined symbol")) << linked.shown;
  EXPECT_TRUE(has(compile_failure_message(linker, mlp, ""), "Fix it in exercises/03_mlp/mlp.cpp,"));
}

TEST_F(CompileErrors, TheStudentReadsItInSpanish) {
  for (const auto& known : known_compile_mistakes()) {
    EXPECT_TRUE(course::spanish_of(known.sentence).has_value())
        << known.id << ": add the Spanish of \"" << known.sentence << "\" to po/es.po";
  }
  const auto previous = course::current_language();
  course::use_language(course::Language::kSpanish);
  const std::string message = compile_failure_message(
      output(kHolderWithoutNullptr), context("03_mlp", "mlp.cpp"), "¿Necesitas ayuda?");
  course::use_language(previous);
  EXPECT_TRUE(has(message, "03_mlp todavía no compila")) << message;
  EXPECT_TRUE(has(message, "dentro de torch/nn/pimpl.h:44:5 de LibTorch")) << message;
  EXPECT_TRUE(has(message, "más de la salida del compilador")) << message;
  EXPECT_TRUE(has(message, "decláralo con `{nullptr}`")) << message;
  EXPECT_TRUE(has(message, "La pista 2 trata de esto")) << message;
  EXPECT_TRUE(has(message, "Corrígelo en exercises/03_mlp/mlp.h")) << message;
  for (const char* english : {"Fix it", "Hint", "reports it", "left out"})
    EXPECT_FALSE(has(message, english)) << english << " in\n" << message;
}

}  // namespace compile

}  // namespace
