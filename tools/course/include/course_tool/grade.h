// `course grade`: grading a whole class. Each submission's student files (course.json's) are
// built against the instructor's tree (one build of the stubs, its precompiled header and test
// objects reused: a submission compiles only its own files), each build and run inside the
// sandbox; the checks are counted per exercise, the homework is trained with the instructor's
// seed and measured by the grade, never by the student's code. Results per student (a
// Gradescope results.json, a feedback.md the student reads, grade.json) and the class's
// gradebook.csv are written atomically: an interrupted run loses nothing, a rerun skips what
// is done.
//
// The grader in parts, each a file of its own (tools/course/src/):
//   grade.cpp             what a grade is (this header's types), and one submission's grade
//   grade_part.cpp        building one exercise of a submission and running its checks
//   grade_homework.cpp    the homework: trained with the instructor's seed, measured by the grade
//   grade_output.cpp      results.json, feedback.md and grade.json (course_tool/grade_output.h)
//   gradebook.cpp         RFC 4180 CSV: the roster read, gradebook.csv written
//                         (course_tool/gradebook.h)
//   grade_class.cpp       the class: submissions graded `jobs` at a time, shards, merging
//                         (course_tool/grade_class.h)
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/language.h"
#include "course_tool/checks.h"
#include "course_tool/manifest.h"
#include "course_tool/recipe.h"
#include "course_tool/sandbox.h"
#include "course_tool/submission.h"

namespace course::tool {

// A slice of the class, for grading on several machines at once (`--shard K/N`): the K-th of N
// slices (1 <= K <= N) of the submissions sorted by student name. {1, 1}: the whole class.
struct Shard {
  int index = 1;
  int count = 1;
};

struct GradeOptions {
  std::filesystem::path out = "grades";  // gradebook.csv and one folder per student
  std::filesystem::path tree;            // the instructor's build of the stubs (Ninja)
  uint64_t seed = 0;                     // the homework's training seed (not the students')
  int jobs = 1;                          // submissions graded at a time
  bool force = false;                    // regrade submissions already graded
  std::filesystem::path roster;          // CSV: student ids in the gradebook's order
  Shard shard;                           // which slice of the submissions this run grades
  // The class's language: the feedback of a student whose roster row names no language of its
  // own (read_roster_languages) is written in it, and the checks speak it (COURSE_LANG).
  Language language = Language::kEnglish;
  Sandbox sandbox;
  SandboxLimits compile;   // each compile and link
  SandboxLimits checks;    // each run of a test binary
  SandboxLimits homework;  // the homework's training run
  ExtractLimits extract;
  std::string data_dir;  // passed to the homework and its grade (empty: searched)
};

// One exercise (or the homework) of one submission.
struct PartGrade {
  std::string exercise;
  double points_per_check = 1;
  std::vector<CheckResult> checks;  // every check that exists, passed or not
  std::string problem;              // why it got nothing (does not compile, a limit), if so
  std::optional<double> accuracy;   // the homework: the test accuracy the grade counted
  std::string grade_output;         // the homework: the grade's PASS / FAIL lines
  double build_seconds = 0;         // where its time went: compiling and linking,
  double check_seconds = 0;         // running the test binaries,
  double train_seconds = 0;         // the homework's training and the grade's measurement
  double score() const;
  double max_score() const;
};

struct SubmissionGrade {
  std::string student;
  std::string source;              // the folder or archive, as given
  std::vector<std::string> notes;  // refused, ignored and missing files
  std::string refused;             // the whole submission could not be graded: why
  // The grader itself failed on it (a full disk, a folder it could not remove), not the
  // submission: zero with the reason in `refused`, and graded again by the next run.
  bool grader_failed = false;
  std::vector<PartGrade> parts;  // in course order
  uint64_t seed = 0;
  Language language = Language::kEnglish;  // of feedback.md and of the checks' sentences
  double seconds = 0;
  double score() const;
  double max_score() const;
};

// A grading check that the homework's grade runs: "<name>.grade", with homework_grade built.
bool graded_by_homework_grade(const Exercise& exercise, const std::string& check);

// What a grading run reads once and every submission shares: how the tree builds each
// exercise, the checks each test binary holds, the course's own files.
class Grader {
 public:
  // Throws CourseError when the tree cannot be used (not built, not Ninja, a binary missing).
  Grader(const Manifest& manifest, const GradeOptions& options);

  // Grades one submission (folder or archive) in `options.out`/<student>/work. Never throws:
  // what the submission does, and what goes wrong in the grader itself, end up in the grade.
  // `slot`: which of the submissions graded at the same time (0 .. jobs-1) this is.
  // `language`: the student's; this process must speak it while it grades (use_language), since
  // the checks it starts and the explanations it writes take it from there.
  // `parts_at_a_time`: the cores this submission may use; with two or more, the homework's
  // training (the longest part) runs beside the exercises' compiles and checks.
  SubmissionGrade grade(const std::filesystem::path& input, int slot = 0,
                        Language language = Language::kEnglish, int parts_at_a_time = 1) const;

  // Zero for every check of `grade`, with `why` as the reason (`grade.refused`).
  void zero(SubmissionGrade& grade, const std::string& why) const;

  struct Plan;  // per exercise: recipe, targets, the checks that exist

 private:
  PartGrade grade_part(const Plan& plan, const Overlay& overlay, const std::filesystem::path& work,
                       const Sandbox& sandbox) const;
  std::vector<CheckResult> run_checks(const Exercise& exercise, const std::string& test,
                                      const std::filesystem::path& binary,
                                      const std::vector<std::string>& expected,
                                      const std::filesystem::path& work,
                                      const std::filesystem::path& build,
                                      const Sandbox& base) const;
  CheckResult grade_homework(const Exercise& exercise, const std::string& check,
                             const std::filesystem::path& binary, const std::filesystem::path& work,
                             const Sandbox& sandbox, PartGrade& part) const;
  Sandbox sandbox_for(const Sandbox& base,
                      const std::vector<std::filesystem::path>& readable) const;

  const Manifest& manifest_;
  const GradeOptions& options_;
  std::vector<Plan> plans_;
  std::map<std::string, std::filesystem::path> course_files_;
  std::string ar_;
};

}  // namespace course::tool

// The rest of the grader's interface, apart by what it does.
#include "course_tool/grade_class.h"
#include "course_tool/grade_output.h"
#include "course_tool/gradebook.h"
