// `course grade`'s parts that need no build: archives (made here, never committed), which files
// of a submission count, the gradebook and the result files. grade_class_test.cpp grades a
// class of adversarial submissions through the sandbox.
#include "course_tool/grade.h"

#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archives.h"
#include "course_tool/submission.h"
#include "fixture.h"
#include "support/temp_dir.h"

namespace {
using namespace course::tool;
using course::testing::contains;
using course::testing::copy_fixture;
using course::testing::Entry;
using course::testing::read_file;
using course::testing::TempDir;
using course::testing::write;
using course::testing::write_zip;
namespace fs = std::filesystem;

// ---- archives --------------------------------------------------------------------------------

TEST(Archive, RefusesPathsAndLinksThatLeaveTheSubmission) {
  TempDir temp;
  const fs::path zip = temp.path() / "mallory.zip";
  write_zip(zip, {{"course/a.txt", "kept", "", 0},
                  {"../escaped.txt", "out", "", 0},
                  {"course/../../escaped2.txt", "out", "", 0},
                  {(temp.path() / "absolute.txt").string(), "out", "", 0},
                  {"course/passwd", "", "/etc/passwd", 0},
                  {"course/up", "", "../../..", 0},
                  {"course/inside", "", "a.txt", 0}});
  const auto notes = extract_archive(zip, temp.path() / "x" / "into");
  EXPECT_EQ(read_file(temp.path() / "x/into/course/a.txt"), "kept");
  EXPECT_FALSE(fs::exists(temp.path() / "x/escaped.txt"));
  EXPECT_FALSE(fs::exists(temp.path() / "escaped2.txt"));
  EXPECT_FALSE(fs::exists(temp.path() / "absolute.txt"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(temp.path() / "x/into/course/passwd")));
  std::string all;
  for (const auto& note : notes) all += note + "\n";
  EXPECT_TRUE(contains(all, "refused: ../escaped.txt: a path that leaves the submission")) << all;
  EXPECT_TRUE(contains(all, "refused: course/../../escaped2.txt")) << all;
  EXPECT_TRUE(contains(all, "absolute.txt: a path that leaves")) << all;
  EXPECT_TRUE(contains(all, "refused: course/passwd: a link to /etc/passwd")) << all;
  EXPECT_TRUE(contains(all, "refused: course/up: a link to ../../..")) << all;
  EXPECT_FALSE(contains(all, "course/inside")) << "a link inside is skipped quietly:\n" << all;
}

TEST(Archive, StopsAZipBombAtTheSizeLimit) {
  TempDir temp;
  const fs::path zip = temp.path() / "bomb.zip";
  write_zip(zip, {{"course/zeros.bin", "", "", size_t{40} << 20}});
  EXPECT_LT(fs::file_size(zip), size_t{1} << 20);  // 40 MiB in well under 1 MiB
  ExtractLimits limits;
  limits.max_bytes = size_t{8} << 20;
  try {
    extract_archive(zip, temp.path() / "into", limits);
    FAIL() << "a zip bomb was extracted whole";
  } catch (const CourseError& e) {
    EXPECT_TRUE(contains(e.what(), "bomb.zip expands past 8 MiB")) << e.what();
  }
}

TEST(Archive, SaysWhenAFileIsNotAnArchive) {
  TempDir temp;
  write(temp.path() / "notes.zip", "just text");
  EXPECT_THROW(extract_archive(temp.path() / "notes.zip", temp.path() / "into"), CourseError);
}

TEST(Submission, NamesTheStudentAfterTheFolderOrArchive) {
  EXPECT_EQ(student_name("subs/alice"), "alice");
  EXPECT_EQ(student_name("subs/alice/"), "alice");
  EXPECT_EQ(student_name("subs/bob.zip"), "bob");
  EXPECT_EQ(student_name("subs/carol.tar.gz"), "carol");
}

TEST(Submission, TakesOnlyTheStudentFilesAndNotesEveryOtherChange) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const Manifest manifest = load_manifest(root);
  fs::create_directories(temp.path() / "subs/dave");
  const fs::path mine = copy_fixture(temp.path() / "subs/dave/course");
  write(mine / "exercises/01_demo/demo.cpp", "// dave's\n");
  course::testing::append_to(mine / "tests/exercises/demo_test.cpp", "// made to pass\n");
  fs::remove(mine / "exercises/02_double/double.cpp");
  fs::create_symlink(root / "exercises/03_triple/solution/triple.cpp",
                     mine / "exercises/03_triple/triple.cpp.tmp");
  fs::rename(mine / "exercises/03_triple/triple.cpp.tmp", mine / "exercises/03_triple/triple.cpp");
  const Overlay found = overlay(manifest, course_files(root), temp.path() / "subs/dave");
  EXPECT_EQ(found.root, mine);
  EXPECT_EQ(found.files.at("exercises/01_demo/demo.cpp"), mine / "exercises/01_demo/demo.cpp");
  EXPECT_TRUE(found.files.at("exercises/02_double/double.cpp").empty());
  EXPECT_TRUE(found.files.at("exercises/03_triple/triple.cpp").empty()) << "a link was followed";
  std::string all;
  for (const auto& note : found.notes) all += note + "\n";
  EXPECT_TRUE(contains(all, "ignored: tests/exercises/demo_test.cpp was modified")) << all;
  EXPECT_TRUE(contains(all, "missing: exercises/02_double/double.cpp")) << all;
  EXPECT_TRUE(contains(all, "exercises/03_triple/triple.cpp is not in the submission (a link"))
      << all;
}

// ---- the gradebook -----------------------------------------------------------------------------

SubmissionGrade made_up_grade(const std::string& student, int passed_demo) {
  SubmissionGrade grade;
  grade.student = student;
  PartGrade demo;
  demo.exercise = "01_demo";
  demo.points_per_check = 2;
  demo.checks = {{"Demo.A", passed_demo > 0 ? CheckStatus::kPassed : CheckStatus::kFailed, "boom"},
                 {"Demo.B", passed_demo > 1 ? CheckStatus::kPassed : CheckStatus::kFailed, "bam"}};
  grade.parts.push_back(demo);
  return grade;
}

TEST(Gradebook, FollowsTheRosterAndListsWhoSubmittedNothing) {
  TempDir temp;
  const Manifest manifest = load_manifest(copy_fixture(temp.path() / "course"));
  write(temp.path() / "roster.csv", "student,name\r\nzoe,Zoe Z\r\nalice,Alice A\r\nbob,Bob B\r\n");
  const auto roster = read_roster(temp.path() / "roster.csv");
  EXPECT_EQ(roster, (std::vector<std::string>{"zoe", "alice", "bob"}));
  const std::string csv =
      gradebook_csv(manifest, roster,
                    {made_up_grade("alice", 2), made_up_grade("zoe", 1), made_up_grade("eve", 0)});
  EXPECT_EQ(csv,
            "student,01_demo,02_double,03_triple,homework_accuracy,homework_grade,total,max_total\n"
            "zoe,2,0,0,,,2,4\n"
            "alice,4,0,0,,,4,4\n"
            "bob,0,0,0,,missing,0,\n"
            "eve,0,0,0,,,0,4\n");
}

TEST(Gradebook, ResultsJsonIsGradescopesFormatAndGradeJsonRoundTrips) {
  const SubmissionGrade grade = made_up_grade("alice", 1);
  const auto results = nlohmann::json::parse(gradescope_json(grade));
  EXPECT_EQ(results.at("score"), 2.0);
  ASSERT_EQ(results.at("tests").size(), 2u);
  EXPECT_EQ(results["tests"][0].at("name"), "01_demo: Demo.A");
  EXPECT_EQ(results["tests"][0].at("max_score"), 2.0);
  EXPECT_EQ(results["tests"][1].at("score"), 0.0);
  EXPECT_EQ(results["tests"][1].at("output"), "bam");
  const SubmissionGrade back = parse_grade_json(grade_json(grade), "grade.json");
  EXPECT_EQ(back.score(), 2.0);
  EXPECT_EQ(back.max_score(), 4.0);
  EXPECT_EQ(back.parts.at(0).checks.at(1).message, "bam");
}

// ---- the student's language ---------------------------------------------------------------

TEST(Roster, LanguageColumnGivesEachStudentTheirs) {
  TempDir temp;
  write(temp.path() / "roster.csv",
        "student,name,language\r\nzoe,\"Zapata, Zoe\",es\r\nalice,Alice A,en\r\nbob,Bob B,\r\n");
  EXPECT_EQ(read_roster(temp.path() / "roster.csv"),
            (std::vector<std::string>{"zoe", "alice", "bob"}));
  const auto languages = read_roster_languages(temp.path() / "roster.csv");
  EXPECT_EQ(languages, (std::map<std::string, course::Language>{
                           {"zoe", course::Language::kSpanish},
                           {"alice", course::Language::kEnglish}}));  // bob: the class's
  write(temp.path() / "plain.csv", "student,name\nzoe,Zoe\n");
  EXPECT_TRUE(read_roster_languages(temp.path() / "plain.csv").empty());
  write(temp.path() / "wrong.csv", "id,idioma\nzoe,fr\n");
  try {
    read_roster_languages(temp.path() / "wrong.csv");
    FAIL() << "a language that is neither es nor en was taken";
  } catch (const CourseError& e) {
    EXPECT_TRUE(contains(e.what(), "row 2: the language of zoe is 'fr'")) << e.what();
  }
}

// ---- RFC 4180: the roster read, the gradebook written ----------------------------------------

TEST(Csv, RosterReadsQuotedCommasQuotesAndUtf8Names) {
  TempDir temp;
  write(temp.path() / "roster.csv",
        "student,name,language\r\n\"Doe, Jane\",\"Jane \"\"JD\"\" Doe\",es\r\n"
        "\"O\"\"Brien\",\"a name\non two lines\",\r\nNúñez,Ana,en\n");
  EXPECT_EQ(read_roster(temp.path() / "roster.csv"),
            (std::vector<std::string>{"Doe, Jane", "O\"Brien", "Núñez"}));
  EXPECT_EQ(read_roster_languages(temp.path() / "roster.csv"),
            (std::map<std::string, course::Language>{{"Doe, Jane", course::Language::kSpanish},
                                                     {"Núñez", course::Language::kEnglish}}));
  write(temp.path() / "open.csv", "student\n\"never closed\n");
  EXPECT_THROW(read_roster(temp.path() / "open.csv"), CourseError);
}

TEST(Csv, GradebookQuotesANameWithACommaOrAQuoteAndReadsBackTheSame) {
  TempDir temp;
  const Manifest manifest = load_manifest(copy_fixture(temp.path() / "course"));
  const std::string csv =
      gradebook_csv(manifest, {"Doe, Jane", "O\"Brien"},
                    {made_up_grade("Doe, Jane", 2), made_up_grade("O\"Brien", 1)});
  EXPECT_TRUE(contains(csv, "\n\"Doe, Jane\",4,0,0,,,4,4\n")) << csv;
  EXPECT_TRUE(contains(csv, "\n\"O\"\"Brien\",2,0,0,,,2,4\n")) << csv;
  const auto rows = parse_csv(csv);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].front(), "Doe, Jane");
  EXPECT_EQ(rows[2].front(), "O\"Brien");
  EXPECT_EQ(rows[1].size(), rows[0].size());
}

// A check that was skipped or did not run is no pass, and read back it is still what it was:
// not a check that failed.
TEST(GradeJson, KeepsSkippedAndNotRunChecksApartFromFailedOnes) {
  SubmissionGrade grade = made_up_grade("alice", 1);
  grade.parts[0].checks.push_back({"Demo.C", CheckStatus::kSkipped, "skipped"});
  grade.parts[0].checks.push_back({"Demo.D", CheckStatus::kNotRun, "did not run"});
  const SubmissionGrade back = parse_grade_json(grade_json(grade), "grade.json");
  const auto& checks = back.parts.at(0).checks;
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_EQ(checks[0].status, CheckStatus::kPassed);
  EXPECT_EQ(checks[1].status, CheckStatus::kFailed);
  EXPECT_EQ(checks[2].status, CheckStatus::kSkipped);
  EXPECT_EQ(checks[3].status, CheckStatus::kNotRun);
  EXPECT_EQ(back.score(), 2.0);
  EXPECT_FALSE(back.grader_failed);
}

// ---- shards ------------------------------------------------------------------------------------

TEST(Shard, SlicesCoverTheClassOnceWhateverOrderTheFilesCameIn) {
  const std::vector<fs::path> listed = {"subs/eve.zip", "subs/bob", "subs/alice", "subs/dan",
                                        "subs/carol.tar.gz"};
  std::vector<fs::path> reversed(listed.rbegin(), listed.rend());
  std::vector<std::string> all;
  for (int k = 1; k <= 2; ++k) {
    const auto slice = shard_of(listed, {k, 2});
    EXPECT_EQ(slice, shard_of(reversed, {k, 2}));
    for (const auto& input : slice) all.push_back(student_name(input));
  }
  EXPECT_EQ(all, (std::vector<std::string>{"alice", "bob", "carol", "dan", "eve"}));
  EXPECT_EQ(shard_of(listed, {3, 3}).size(), 2u);
  EXPECT_TRUE(shard_of({"subs/alice"}, {1, 2}).empty());  // one student: the last slice
  EXPECT_EQ(parse_shard("2/5").index, 2);
  EXPECT_EQ(parse_shard("2/5").count, 5);
  for (const char* wrong : {"0/2", "3/2", "2", "a/b", "1/2/3", ""})
    EXPECT_THROW(parse_shard(wrong), CourseError) << wrong;
}

// feedback.md and results.json in the student's language, whatever this process speaks.
TEST(Feedback, IsWrittenInTheStudentsLanguage) {
  TempDir temp;
  const Manifest manifest = load_manifest(copy_fixture(temp.path() / "course"));
  SubmissionGrade grade = made_up_grade("zoe", 1);
  grade.notes = {"ignorado: tests/exercises/demo_test.cpp fue modificado"};
  grade.refused = "x";
  grade.language = course::Language::kSpanish;
  const std::string spanish = feedback_markdown(manifest, grade);
  for (const char* part : {"# Retroalimentación para zoe", "Total: **2 de 4 puntos**.",
                           "No se pudo calificar tu entrega: x", "## 01_demo: pasan 1 de 2 pruebas",
                           "La primera prueba que falla, `Demo.B`:",
                           "Pistas: la sección \"Pistas\" de "
                           "`exercises/01_demo/README.es.md` (o `course hint 01_demo`).",
                           "Pasan: `Demo.A`", "## Notas", "Solo cuentan los archivos que editas"}) {
    EXPECT_TRUE(contains(spanish, part)) << part << "\n" << spanish;
  }
  for (const char* english : {"Feedback", "checks pass", "Hints:", "Passing", "Notes"})
    EXPECT_FALSE(contains(spanish, english)) << english << "\n" << spanish;
  EXPECT_TRUE(contains(gradescope_json(grade), "Rechazada: x"));
  EXPECT_EQ(parse_grade_json(grade_json(grade), "grade.json").language, course::Language::kSpanish);

  grade.language = course::Language::kEnglish;
  const std::string english = feedback_markdown(manifest, grade);
  EXPECT_TRUE(contains(english, "# Feedback for zoe")) << english;
  EXPECT_TRUE(contains(english, "`exercises/01_demo/README.md`")) << english;
  EXPECT_EQ(parse_grade_json(grade_json(grade), "grade.json").language, course::Language::kEnglish);
}

}  // namespace
