// `course grade` on a class of adversarial submissions, graded on the demo course
// (tests/course/fixture: no LibTorch, builds in seconds), and the sandbox underneath: each
// submission is built here, in the test, from the fixture's stubs and solutions: nothing hostile
// is committed. One ctest test (the class is graded once, in SetUpTestSuite).
#include "course_tool/grade.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archives.h"
#include "course_tool/sandbox.h"
#include "fixture.h"
#include "gradebook_row.h"
#include "support/temp_dir.h"

namespace {
using namespace course::tool;
using course::testing::contains;
using course::testing::copy_fixture;
using course::testing::entries_of;
using course::testing::Entry;
using course::testing::read_file;
using course::testing::TempDir;
using course::testing::write;
using course::testing::write_zip;
namespace fs = std::filesystem;

// A sandbox as `course grade` sets it up: as root, the runs become nobody.
Sandbox grading_sandbox() {
  Sandbox sandbox;
  if (::getuid() == 0) sandbox.uid = sandbox.gid = 65534;
  return sandbox;
}

SandboxLimits short_limits() {
  SandboxLimits limits;
  limits.wall_seconds = 3;
  limits.cpu_seconds = 6;
  limits.output_bytes = size_t{1} << 20;
  return limits;
}

// A folder the sandboxed user may write (as nobody when the tests run as root).
fs::path writable_folder(const fs::path& folder) {
  fs::create_directories(folder);
  fs::permissions(folder, fs::perms::all);
  return folder;
}

ProcessResult sandboxed_shell(const std::string& script, const fs::path& folder,
                              const SandboxLimits& limits = short_limits(),
                              Sandbox sandbox = grading_sandbox()) {
  return run_sandboxed(sandbox, limits, {"/bin/bash", "-c", script}, folder, {folder});
}

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = sandbox_unavailable("bwrap");
    ASSERT_TRUE(why.empty()) << "course grade needs bubblewrap (scripts/install-deps.sh): " << why;
  }
  TempDir temp;
};

TEST_F(SandboxTest, WritesOnlyInsideItsOwnFolder) {
  const fs::path own = writable_folder(temp.path() / "own");
  const fs::path outside = writable_folder(temp.path() / "outside");  // like the course: visible
  Sandbox sandbox = grading_sandbox();
  sandbox.readable.push_back(outside);
  const auto result = sandboxed_shell(
      "echo x > " + (outside / "escaped").string() + "; echo y > " + (own / "kept").string(), own,
      short_limits(), sandbox);
  EXPECT_TRUE(fs::exists(own / "kept")) << result.output;
  EXPECT_FALSE(fs::exists(outside / "escaped")) << "the sandbox wrote outside its folder";
  EXPECT_TRUE(contains(result.output, "Read-only file system")) << result.output;
}

TEST_F(SandboxTest, SeesNothingOfAHiddenFolder) {
  const fs::path own = writable_folder(temp.path() / "own");
  write(temp.path() / "others/bob/secret.txt", "bob's answer");
  fs::permissions(temp.path() / "others", fs::perms::all);
  Sandbox sandbox = grading_sandbox();
  sandbox.hidden.push_back(temp.path() / "others");
  const auto result = sandboxed_shell("cat " + (temp.path() / "others/bob/secret.txt").string(),
                                      own, short_limits(), sandbox);
  EXPECT_FALSE(result.succeeded());
  EXPECT_FALSE(contains(result.output, "bob's answer")) << result.output;
}

TEST_F(SandboxTest, HasNoNetwork) {
  // A server on this machine's loopback: a sandboxed run must not reach it.
  const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(server, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(server, 4), 0);
  socklen_t size = sizeof address;
  ::getsockname(server, reinterpret_cast<sockaddr*>(&address), &size);
  const int port = ntohs(address.sin_port);
  const fs::path own = writable_folder(temp.path() / "own");
  const auto result =
      sandboxed_shell(fmt::format("exec 3<>/dev/tcp/127.0.0.1/{} && echo CONNECTED", port), own);
  EXPECT_FALSE(contains(result.output, "CONNECTED")) << result.output;
  EXPECT_LT(::accept(server, nullptr, nullptr), 0) << "the server got a connection";
  ::close(server);
}

TEST_F(SandboxTest, StopsAnEndlessLoopAtTheWallTimeLimit) {
  const fs::path own = writable_folder(temp.path() / "own");
  const auto result = sandboxed_shell("while :; do :; done", own);
  EXPECT_TRUE(result.timed_out);
  EXPECT_TRUE(contains(limit_hit(result, short_limits()), "wall-time limit (3 s)"))
      << limit_hit(result, short_limits());
}

TEST_F(SandboxTest, StopsAFloodOfOutputAtTheOutputLimit) {
  const fs::path own = writable_folder(temp.path() / "own");
  const auto result = sandboxed_shell("yes 'gigabytes of output'", own);
  EXPECT_TRUE(result.output_limited);
  EXPECT_LT(result.output.size(), size_t{2} << 20);
  EXPECT_TRUE(contains(limit_hit(result, short_limits()), "output limit")) << result.describe();
}

TEST_F(SandboxTest, AForkBombHitsTheProcessLimitAndDiesWithTheRun) {
  const fs::path own = writable_folder(temp.path() / "own");
  SandboxLimits limits = short_limits();
  limits.processes = 64;
  // "sleep 29.75": a command line no other program on the machine has.
  const auto result = sandboxed_shell(
      "for i in $(seq 300); do sleep 29.75 & done; echo started; wait", own, limits);
  EXPECT_TRUE(contains(result.output, "retry") || contains(result.output, "Resource temporarily"))
      << "no fork was refused:\n"
      << result.output.substr(0, 2000);
  EXPECT_TRUE(result.timed_out);
  // Every process of the run goes with it (its PID namespace ends), once the kernel has reaped
  // them: within seconds, never at the sleeps' 30.
  bool gone = false;
  for (int attempt = 0; attempt < 50 && !gone; ++attempt) {
    gone = run_process({"pgrep", "-f", "sleep 29.75"}).exit_code == 1;  // 1: none found
    if (!gone) ::usleep(200000);
  }
  EXPECT_TRUE(gone) << "processes of the sandbox outlived it";
}

TEST_F(SandboxTest, NamesWhatIsMissingWhenBubblewrapIsNotThere) {
  const std::string why = sandbox_unavailable("no-such-bwrap");
  EXPECT_TRUE(contains(why, "apt-get install bubblewrap")) << why;
}

// ---- a class of adversarial submissions, graded in one run ------------------------------------

// Sources of 01_demo's add() that misbehave in the ways a sandbox must stop.
std::string demo_source(const std::string& body, const std::string& includes = "") {
  return "#include \"demo.h\"\n" + includes + "\nnamespace demo {\nint add(int a, int b) {\n" +
         body + "\n}\n}  // namespace demo\n";
}

class GradeClass : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new TempDir();
    const fs::path top = temp_->path();
    fs::permissions(top, fs::perms::all);  // the sandboxed user (nobody) reads the course
    root_ = copy_fixture(top / "course");
    const fs::path subs = top / "subs";
    fs::create_directories(subs);
    const fs::path outside = writable_folder(top / "outside");

    auto submission = [&](const std::string& student) { return copy_fixture(subs / student); };
    auto solve = [&](const fs::path& folder) {
      fs::copy_file(folder / "exercises/01_demo/solution/demo.cpp",
                    folder / "exercises/01_demo/demo.cpp", fs::copy_options::overwrite_existing);
      fs::copy_file(folder / "exercises/02_double/solution/double.cpp",
                    folder / "exercises/02_double/double.cpp",
                    fs::copy_options::overwrite_existing);
      fs::copy_file(folder / "exercises/03_triple/solution/triple.cpp",
                    folder / "exercises/03_triple/triple.cpp",
                    fs::copy_options::overwrite_existing);
    };
    solve(submission("correct"));
    submission("stubs");
    const fs::path cheat = submission("edits_a_test");
    write(cheat / "tests/exercises/demo_test.cpp",
          "#include <gtest/gtest.h>\nTEST(Demo, AddsSmallNumbers) {}\nTEST(Demo, "
          "AddsNegativeNumbers) {}\n");
    // Each of these solves 02 and 03; its 01_demo misbehaves.
    auto misbehaving = [&](const std::string& student, const std::string& source) {
      const fs::path folder = submission(student);
      solve(folder);
      write(folder / "exercises/01_demo/demo.cpp", source);
    };
    // A student who reads Spanish (the roster says so): the checks run with COURSE_LANG=es.
    misbehaving("en_espanol",
                demo_source("const char* language = std::getenv(\"COURSE_LANG\");\n"
                            "throw std::runtime_error(std::string(\"COURSE_LANG=\") + "
                            "(language ? language : \"unset\"));",
                            "#include <cstdlib>\n#include <string>"));
    misbehaving("endless_loop", demo_source("volatile long spin = 0;\nfor (;;) ++spin;"));
    // Loops forever in one check only (the negative numbers): that check fails, the other counts.
    misbehaving("loops_on_negatives",
                demo_source("volatile long spin = 0;\nif (a < 0) for (;;) ++spin;\nreturn a + b;"));
    misbehaving("fork_bomb", demo_source("for (;;) ::fork();", "#include <unistd.h>"));
    misbehaving("writes_outside",
                demo_source("std::ofstream(\"" + (outside / "escaped").string() +
                                "\") << \"x\";\nstd::ofstream(\"" + (root_ / "escaped").string() +
                                "\") << \"x\";\nreturn a + b;",
                            "#include <fstream>"));
    server_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(server_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(server_, 4);
    socklen_t size = sizeof address;
    ::getsockname(server_, reinterpret_cast<sockaddr*>(&address), &size);
    // Connected, it would answer wrong: the score shows whether the network was there.
    misbehaving(
        "opens_a_socket",
        demo_source(
            fmt::format("int s = ::socket(AF_INET, SOCK_STREAM, 0);\n"
                        "sockaddr_in to{{}}; to.sin_family = AF_INET; to.sin_port = htons({});\n"
                        "to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);\n"
                        "if (::connect(s, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) "
                        "return -1;\nreturn a + b;",
                        ntohs(address.sin_port)),
            "#include <arpa/inet.h>\n#include <netinet/in.h>\n#include <sys/socket.h>"));
    misbehaving("prints_gigabytes",
                demo_source("static char line[1 << 16] = {'x'};\nfor (;;) std::fwrite(line, 1, "
                            "sizeof line, stdout);",
                            "#include <cstdio>"));
    // Archives: the correct one with entries that climb out, and a zip bomb.
    std::vector<Entry> entries = entries_of(subs / "correct", "course/");
    entries.push_back({"../../climbed.txt", "out", "", 0});
    entries.push_back({"course/link", "", "/etc/passwd", 0});
    write_zip(subs / "zip_slip.zip", entries);
    entries = entries_of(subs / "correct", "course/");
    entries.push_back({"course/zeros.bin", "", "", size_t{300} << 20});
    write_zip(subs / "zip_bomb.zip", entries);

    // The roster's language column: es for one student, empty (the class's: English) for another.
    write(top / "roster.csv", "student,language\nen_espanol,es\ncorrect,\n");
    std::vector<std::string> arguments = {
        "--seed",       "7", "--out",    (top / "grades").string(),    "--jobs", "2",
        "--check-time", "4", "--roster", (top / "roster.csv").string()};
    for (const char* student :
         {"correct", "stubs", "edits_a_test", "en_espanol", "endless_loop", "loops_on_negatives",
          "fork_bomb", "writes_outside", "opens_a_socket", "prints_gigabytes"})
      arguments.push_back((subs / student).string());
    arguments.push_back((subs / "zip_slip.zip").string());
    arguments.push_back((subs / "zip_bomb.zip").string());
    run_ = new ProcessResult(course::testing::run_course_grade(root_, arguments));
    grades_ = top / "grades";
    outside_ = outside;
  }
  static void TearDownTestSuite() {
    ::close(server_);
    delete run_;
    delete temp_;
  }

  void SetUp() override { ASSERT_TRUE(run_->succeeded()) << run_->output; }

  static std::map<std::string, std::string> row(const std::string& student) {
    return course::testing::gradebook_row(grades_ / "gradebook.csv", student);
  }
  static std::string feedback(const std::string& student) {
    return read_file(grades_ / student / "feedback.md");
  }

  static TempDir* temp_;
  static fs::path root_, grades_, outside_;

 public:
  static fs::path temp_path() { return temp_->path(); }
  static int server_;
  static ProcessResult* run_;
};
TempDir* GradeClass::temp_ = nullptr;
fs::path GradeClass::root_, GradeClass::grades_, GradeClass::outside_;
int GradeClass::server_ = -1;
ProcessResult* GradeClass::run_ = nullptr;

TEST_F(GradeClass, ACorrectSubmissionGetsFullMarks) {
  const auto values = row("correct");
  EXPECT_EQ(values.at("01_demo"), "2");
  EXPECT_EQ(values.at("02_double"), "1");
  EXPECT_EQ(values.at("03_triple"), "1");
  EXPECT_EQ(values.at("total"), "4");
  EXPECT_EQ(values.at("max_total"), "4");
  const auto results = nlohmann::json::parse(read_file(grades_ / "correct/results.json"));
  EXPECT_EQ(results.at("score"), 4.0);
  EXPECT_EQ(results.at("tests").size(), 4u);
}

TEST_F(GradeClass, TheClassReportCountsWhatTheGradebookHolds) {
  // From the gradebook: how many students have every check of 01_demo (the correct one's score).
  std::ifstream gradebook(grades_ / "gradebook.csv");
  std::string header, line;
  std::getline(gradebook, header);
  const std::string full = row("correct").at("01_demo");
  int students = 0, full_marks = 0;
  while (std::getline(gradebook, line)) {
    ++students;
    full_marks += row(line.substr(0, line.find(','))).at("01_demo") == full;
  }
  const std::string csv = read_file(grades_ / "report.csv");
  EXPECT_TRUE(contains(csv, fmt::format("exercise_passed,01_demo,{},{}\n", full_marks, students)))
      << csv;
  const std::string html = read_file(grades_ / "report.html");
  EXPECT_TRUE(contains(html, "<svg")) << "no chart in report.html";
  EXPECT_TRUE(contains(html, "01_demo: Demo.AddsNegativeNumbers")) << "no row per check";
}

TEST_F(GradeClass, TheUntouchedStubsGetZero) {
  EXPECT_EQ(row("stubs").at("total"), "0");
  EXPECT_TRUE(contains(feedback("stubs"), "add() is not implemented yet")) << feedback("stubs");
}

TEST_F(GradeClass, AnEditedTestIsIgnoredAndGradedAsTheStub) {
  EXPECT_EQ(row("edits_a_test").at("total"), "0");
  EXPECT_TRUE(
      contains(feedback("edits_a_test"), "ignored: tests/exercises/demo_test.cpp was modified"))
      << feedback("edits_a_test");
}

// The roster's language column: that student's feedback.md is Spanish, the checks' sentences in
// it too (the checks ran with COURSE_LANG=es), and the README it names is README.es.md; the
// others stay in the class's language.
TEST_F(GradeClass, AStudentWhoReadsSpanishGetsFeedbackInSpanish) {
  EXPECT_EQ(row("en_espanol").at("total"), "2");
  const std::string text = feedback("en_espanol");
  for (const char* part :
       {"# Retroalimentación para en_espanol", "Total: **2 de 4 puntos**.",
        "## 01_demo: pasan 0 de 2 pruebas", "La primera prueba que falla, `Demo.AddsSmallNumbers`",
        "lanzó: COURSE_LANG=es",
        "Pistas: la sección \"Pistas\" de `exercises/01_demo/README.es.md`",
        "## 02_double: pasan 1 de 1 pruebas", "Pasan todas las pruebas."}) {
    EXPECT_TRUE(contains(text, part)) << part << "\n" << text;
  }
  for (const char* english : {"Feedback", "checks pass", "Hints", "threw", "Every check"})
    EXPECT_FALSE(contains(text, english)) << english << "\n" << text;
  const auto results = nlohmann::json::parse(read_file(grades_ / "en_espanol/results.json"));
  EXPECT_EQ(results.at("tests").at(0).at("output"), "lanzó: COURSE_LANG=es");
  EXPECT_TRUE(contains(feedback("correct"), "# Feedback for correct")) << feedback("correct");
  EXPECT_TRUE(contains(feedback("stubs"),
                       "Hints: the \"Hints\" section of "
                       "`exercises/01_demo/README.md`"))
      << feedback("stubs");
}

// `--lang es`: the class's language, for every student the roster names no language for.
TEST_F(GradeClass, TheClassLanguageFlagWritesEveryFeedbackInIt) {
  const fs::path out = temp_->path() / "grades_es";
  const auto run = course::testing::run_course_grade(
      root_, {"--seed", "7", "--lang", "es", "--out", out.string(),
              (temp_->path() / "subs/stubs").string()});
  ASSERT_TRUE(run.succeeded()) << run.output;
  const std::string text = read_file(out / "stubs/feedback.md");
  EXPECT_TRUE(contains(text, "# Retroalimentación para stubs")) << text;
  EXPECT_TRUE(contains(text, "## 03_triple: pasan 0 de 1 pruebas")) << text;
}

TEST_F(GradeClass, AnEndlessLoopHitsTheTimeLimitAndOnlyItsPartIsLost) {
  const auto values = row("endless_loop");
  EXPECT_EQ(values.at("01_demo"), "0");
  EXPECT_EQ(values.at("02_double"), "1");
  EXPECT_EQ(values.at("03_triple"), "1");
  EXPECT_TRUE(contains(feedback("endless_loop"), "was stopped by the wall-time limit (4 s)"))
      << feedback("endless_loop");
}

// One function that loops forever costs the checks that call it, not the whole exercise: the
// check that hit the limit fails alone, the binary runs again without it, the others count.
TEST_F(GradeClass, ACheckThatLoopsForeverFailsAloneAndTheOthersAreCounted) {
  const auto values = row("loops_on_negatives");
  EXPECT_EQ(values.at("01_demo"), "1") << feedback("loops_on_negatives");
  EXPECT_EQ(values.at("total"), "3");
  const std::string text = feedback("loops_on_negatives");
  EXPECT_TRUE(contains(text, "Demo.AddsNegativeNumbers was stopped by the wall-time limit (4 s)"))
      << text;
  EXPECT_TRUE(contains(text, "Passing: `Demo.AddsSmallNumbers`")) << text;
}

TEST_F(GradeClass, AForkBombIsStoppedAndOnlyItsPartIsLost) {
  const auto values = row("fork_bomb");
  EXPECT_EQ(values.at("01_demo"), "0");
  EXPECT_EQ(values.at("02_double"), "1") << feedback("fork_bomb");
  EXPECT_TRUE(contains(feedback("fork_bomb"), "was stopped by the")) << feedback("fork_bomb");
}

TEST_F(GradeClass, WritingOutsideItsFolderFailsAndChangesNothing) {
  EXPECT_EQ(row("writes_outside").at("total"), "4");
  EXPECT_FALSE(fs::exists(outside_ / "escaped"));
  EXPECT_FALSE(fs::exists(root_ / "escaped"));
}

TEST_F(GradeClass, ASocketReachesNoNetwork) {
  EXPECT_EQ(row("opens_a_socket").at("total"), "4") << "connect() succeeded in the sandbox?\n"
                                                    << feedback("opens_a_socket");
  EXPECT_LT(::accept(server_, nullptr, nullptr), 0) << "the server got a connection";
}

TEST_F(GradeClass, GigabytesOfOutputHitTheOutputLimit) {
  const auto values = row("prints_gigabytes");
  EXPECT_EQ(values.at("01_demo"), "0");
  EXPECT_EQ(values.at("02_double"), "1");
  EXPECT_TRUE(contains(feedback("prints_gigabytes"), "was stopped by the output limit"))
      << feedback("prints_gigabytes");
}

TEST_F(GradeClass, AZipThatClimbsOutIsGradedWithoutTheEntriesThatLeave) {
  EXPECT_EQ(row("zip_slip").at("total"), "4");
  EXPECT_FALSE(fs::exists(temp_->path() / "climbed.txt"));
  const std::string text = feedback("zip_slip");
  EXPECT_TRUE(contains(text, "refused: ../../climbed.txt: a path that leaves the submission"))
      << text;
  EXPECT_TRUE(contains(text, "refused: course/link: a link to /etc/passwd")) << text;
}

TEST_F(GradeClass, AZipBombIsRefusedWithItsReason) {
  EXPECT_EQ(row("zip_bomb").at("total"), "0");
  EXPECT_TRUE(contains(feedback("zip_bomb"), "zip_bomb.zip expands past 256 MiB"))
      << feedback("zip_bomb");
}

TEST_F(GradeClass, ARerunSkipsWhatIsGradedAndForceGradesAgain) {
  const auto again = course::testing::run_course_grade(
      root_, {"--seed", "7", "--out", grades_.string(), (temp_->path() / "subs/correct").string(),
              (temp_->path() / "subs/stubs").string()});
  EXPECT_TRUE(again.succeeded()) << again.output;
  EXPECT_TRUE(contains(again.output, "graded 0, skipped 2")) << again.output;
  const auto forced =
      course::testing::run_course_grade(root_, {"--seed", "7", "--force", "--out", grades_.string(),
                                                (temp_->path() / "subs/stubs").string()});
  EXPECT_TRUE(contains(forced.output, "graded 1, skipped 0")) << forced.output;
  // The gradebook still holds every student graded before.
  EXPECT_EQ(row("correct").at("total"), "4");
}

// ---- nothing lost on a bad day -----------------------------------------------------------------
// Each runs `course grade` again on a few of the class's submissions, in a grades folder of its
// own, with the grading tree the class built.

fs::path subs(const std::string& student) {
  return GradeClass::temp_path() / "subs" / student;
}

// A write that fails (here: feedback.md cannot be written, a folder is in its place; a full
// disk alike) is that submission's zero with the reason; the others are graded, and the next
// run grades it again.
TEST_F(GradeClass, AWriteThatFailsIsThatSubmissionsZeroAndTheRunGoesOn) {
  const fs::path out = temp_->path() / "grades_write_fails";
  fs::create_directories(out / "correct/feedback.md/in_the_way");
  const std::vector<std::string> arguments = {"--seed",
                                              "7",
                                              "--jobs",
                                              "1",
                                              "--out",
                                              out.string(),
                                              subs("correct").string(),
                                              subs("stubs").string()};
  const auto run = course::testing::run_course_grade(root_, arguments);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "graded 1, skipped 0")) << run.output;
  EXPECT_TRUE(contains(run.output, "the grader failed on 1 submission(s)")) << run.output;
  const auto gradebook = out / "gradebook.csv";
  EXPECT_EQ(course::testing::gradebook_row(gradebook, "correct").at("total"), "0");
  EXPECT_EQ(course::testing::gradebook_row(gradebook, "stubs").at("total"), "0");
  const auto grade = nlohmann::json::parse(read_file(out / "correct/grade.json"));
  EXPECT_TRUE(grade.at("grader_failed").get<bool>());
  EXPECT_TRUE(contains(grade.at("refused"), "the grader failed on this submission: cannot write"))
      << grade.dump(2);
  EXPECT_TRUE(contains(grade.at("refused"), "feedback.md")) << grade.dump(2);

  fs::remove_all(out / "correct/feedback.md");  // the disk has room again
  const auto again = course::testing::run_course_grade(root_, arguments);
  EXPECT_TRUE(again.succeeded()) << again.output;
  EXPECT_TRUE(contains(again.output, "graded 1, skipped 1")) << again.output;
  EXPECT_EQ(course::testing::gradebook_row(gradebook, "correct").at("total"), "4");
}

// A folder the grader cannot remove (an immutable file left in the work folder of an earlier
// run; as another user than root, one without write permission): that submission's zero with
// the reason, the others graded, no crash.
TEST_F(GradeClass, AWorkFolderThatCannotBeRemovedIsThatSubmissionsZeroAndTheRunGoesOn) {
  const fs::path out = temp_->path() / "grades_stuck";
  const fs::path stuck = out / "correct/work/stuck";
  write(stuck / "file", "left by an earlier run");
  const bool root = ::getuid() == 0;
  if (root) {
    if (!run_process({"chattr", "+i", (stuck / "file").string()}).succeeded())
      GTEST_SKIP() << "chattr +i does not work here: no folder root cannot remove";
  } else {
    fs::permissions(stuck, fs::perms::owner_read | fs::perms::owner_exec);
  }
  const auto run =
      course::testing::run_course_grade(root_, {"--seed", "7", "--jobs", "2", "--out", out.string(),
                                                subs("correct").string(), subs("stubs").string()});
  if (root) run_process({"chattr", "-i", (stuck / "file").string()});
  fs::permissions(stuck, fs::perms::owner_all);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "the grader failed on 1 submission(s)")) << run.output;
  EXPECT_TRUE(contains(run.output, "warning: cannot remove")) << run.output;
  const auto gradebook = out / "gradebook.csv";
  EXPECT_EQ(course::testing::gradebook_row(gradebook, "correct").at("total"), "0");
  EXPECT_EQ(course::testing::gradebook_row(gradebook, "stubs").at("max_total"), "4");
  EXPECT_TRUE(
      contains(read_file(out / "correct/feedback.md"), "the grader failed on this submission"))
      << read_file(out / "correct/feedback.md");
}

// An error that stops the run (the gradebook cannot be written) stops it cleanly: what was
// finished is on disk, and the run says so.
TEST_F(GradeClass, AnErrorThatStopsTheRunLeavesEveryFinishedGradeOnDiskAndSaysSo) {
  const fs::path out = temp_->path() / "grades_stopped";
  fs::create_directories(out / "gradebook.csv/in_the_way");
  const auto run =
      course::testing::run_course_grade(root_, {"--seed", "7", "--jobs", "1", "--out", out.string(),
                                                subs("stubs").string(), subs("correct").string()});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_TRUE(contains(run.output, "course grade stopped: cannot write")) << run.output;
  EXPECT_TRUE(contains(run.output, "The 1 grade(s) finished before are on disk in " + out.string()))
      << run.output;
  // By student name: correct first, graded and written; stubs never started.
  EXPECT_EQ(nlohmann::json::parse(read_file(out / "correct/grade.json")).at("score"), 4.0);
  EXPECT_FALSE(fs::exists(out / "stubs/grade.json"));
}

// The checkout reached through a symbolic link (macOS's /tmp, a cluster's home folder): CMake
// records the paths as the shell spells them, the grader finds them all the same.
TEST_F(GradeClass, ACheckoutReachedThroughASymbolicLinkGrades) {
  const fs::path real = copy_fixture(temp_->path() / "linked_course");
  const fs::path link = temp_->path() / "course_link";
  fs::create_directory_symlink(real, link);
  const auto run = course::testing::run_tool(
      COURSE_GRADE_BINARY, link,
      {"--seed", "7", "--out", (temp_->path() / "grades_link").string(), subs("correct").string()},
      {{"PWD", link.string()}});
  ASSERT_TRUE(run.succeeded()) << run.output;
  EXPECT_TRUE(contains(read_file(real / "build/grading/compile_commands.json"), link.string()))
      << "the tree was not configured through the link: this test proves nothing";
  EXPECT_EQ(course::testing::gradebook_row(temp_->path() / "grades_link/gradebook.csv", "correct")
                .at("total"),
            "4");
}

// ---- past one machine
// ----------------------------------------------------------------------------

// A class graded in two shards (as two machines of a job array would), the shards merged: the
// gradebook of one run, byte for byte, the roster's missing student included.
TEST_F(GradeClass, TwoShardsMergedGiveTheGradebookOfOneRun) {
  const fs::path top = temp_->path();
  write(top / "roster_shards.csv", "student,language\nen_espanol,es\ncorrect,\nabsent,\n");
  std::vector<std::string> students;
  for (const char* student : {"stubs", "correct", "edits_a_test", "en_espanol"})
    students.push_back(subs(student).string());
  auto grade = [&](const std::string& out, const std::vector<std::string>& more) {
    std::vector<std::string> arguments = {"--seed",   "7",
                                          "--jobs",   "2",
                                          "--roster", (top / "roster_shards.csv").string(),
                                          "--out",    (top / out).string()};
    arguments.insert(arguments.end(), more.begin(), more.end());
    arguments.insert(arguments.end(), students.begin(), students.end());
    return course::testing::run_course_grade(root_, arguments);
  };
  for (const auto& run : {grade("shards_one", {}), grade("shards_1", {"--shard", "1/2"}),
                          grade("shards_2", {"--shard", "2/2"})})
    ASSERT_TRUE(run.succeeded()) << run.output;
  EXPECT_TRUE(fs::exists(top / "shards_1/correct/grade.json"));
  EXPECT_FALSE(fs::exists(top / "shards_1/stubs/grade.json")) << "both shards graded stubs";
  const auto merged = course::testing::run_course_grade(
      root_, {"--merge", (top / "shards_1").string(), (top / "shards_2").string(), "--roster",
              (top / "roster_shards.csv").string(), "--out", (top / "shards_merged").string()});
  ASSERT_TRUE(merged.succeeded()) << merged.output;
  EXPECT_TRUE(contains(merged.output, "merged 4 students of 2 shards (seed 7)")) << merged.output;
  const std::string one = read_file(top / "shards_one/gradebook.csv");
  EXPECT_TRUE(contains(one, "\nabsent,0,0,0,,missing,0,\n")) << one;
  EXPECT_EQ(read_file(top / "shards_merged/gradebook.csv"), one);
  EXPECT_EQ(read_file(top / "shards_merged/en_espanol/feedback.md"),
            read_file(top / "shards_one/en_espanol/feedback.md"));
}

}  // namespace
