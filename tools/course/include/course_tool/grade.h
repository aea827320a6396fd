// `course grade`: grading a whole class. Each submission's student files (course.json's) are
// built against the instructor's tree (one build of the stubs, its precompiled header and test
// objects reused: a submission compiles only its own files), each build and run inside the
// sandbox; the checks are counted per exercise, the homework is trained with the instructor's
// seed and measured by the grade, never by the student's code. Results per student (a
// Gradescope results.json, a feedback.md the student reads, grade.json) and the class's
// gradebook.csv are written atomically: an interrupted run loses nothing, a rerun skips what
// is done.
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

struct GradeOptions {
  std::filesystem::path out = "grades";  // gradebook.csv and one folder per student
  std::filesystem::path tree;            // the instructor's build of the stubs (Ninja)
  uint64_t seed = 0;                     // the homework's training seed (not the students')
  int jobs = 1;                          // submissions graded at a time
  bool force = false;                    // regrade submissions already graded
  std::filesystem::path roster;          // CSV: student ids in the gradebook's order
  // The class's language: the feedback of a student whose roster row names no language of its
  // own (read_roster_languages) is written in it, and the checks speak it (COURSE_LANG).
  Language language = Language::kEnglish;
  Sandbox sandbox;
  SandboxLimits compile;   // each compile and link
  SandboxLimits checks;    // each test binary
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
  std::string refused;             // the whole submission could not be read: why
  std::vector<PartGrade> parts;    // in course order
  uint64_t seed = 0;
  Language language = Language::kEnglish;  // of feedback.md and of the checks' sentences
  double seconds = 0;
  double score() const;
  double max_score() const;
};

// What a grading run reads once and every submission shares: how the tree builds each
// exercise, the checks each test binary holds, the course's own files.
class Grader {
 public:
  // Throws CourseError when the tree cannot be used (not built, not Ninja, a binary missing).
  Grader(const Manifest& manifest, const GradeOptions& options);

  // Grades one submission (folder or archive) in `options.out`/<student>/work. Never throws for
  // what the submission does: every problem ends up in the grade.
  // `slot`: which of the submissions graded at the same time (0 .. jobs-1) this is.
  // `language`: the student's; this process must speak it while it grades (use_language), since
  // the checks it starts and the explanations it writes take it from there.
  SubmissionGrade grade(const std::filesystem::path& input, int slot = 0,
                        Language language = Language::kEnglish) const;

  struct Plan;  // per exercise: recipe, targets, the checks that exist

 private:
  PartGrade grade_part(const Plan& plan, const Overlay& overlay, const std::filesystem::path& work,
                       const Sandbox& sandbox) const;
  CheckResult grade_homework(const Exercise& exercise, const std::string& check,
                             const std::filesystem::path& binary, const std::filesystem::path& work,
                             const Sandbox& sandbox, PartGrade& part) const;
  Sandbox sandbox_for(const Sandbox& base,
                      const std::vector<std::filesystem::path>& readable) const;
  void refuse(SubmissionGrade& grade, const std::string& why) const;

  const Manifest& manifest_;
  const GradeOptions& options_;
  std::vector<Plan> plans_;
  std::map<std::string, std::filesystem::path> course_files_;
  std::string ar_;
};

// The files of one graded submission: results.json (Gradescope), feedback.md, grade.json. The
// first two in the student's language (grade.language), whatever this process speaks.
std::string gradescope_json(const SubmissionGrade& grade);
std::string feedback_markdown(const Manifest& manifest, const SubmissionGrade& grade);
std::string grade_json(const SubmissionGrade& grade);
SubmissionGrade parse_grade_json(const std::string& text, const std::string& source);

// gradebook.csv: one row per student (the roster's order first, then the rest sorted), one
// column per exercise, the homework's accuracy and grade, the total.
std::string gradebook_csv(const Manifest& manifest, const std::vector<std::string>& roster,
                          const std::vector<SubmissionGrade>& grades);

// The student ids of a roster CSV: the first column, a header row ("student", "id", ...)
// skipped. Throws CourseError naming the file when it cannot be read or is empty.
std::vector<std::string> read_roster(const std::filesystem::path& file);
// The language of each student whose roster row names one: a column headed "language" (or
// "lang", "idioma") holding es or en; an empty cell: the class's language. No such column: none.
// Throws CourseError naming the file and the row for a language that is neither.
std::map<std::string, Language> read_roster_languages(const std::filesystem::path& file);

struct GradeRun {
  int graded = 0;
  int skipped = 0;  // graded before (grade.json, same seed and language): --force regrades
  int failed = 0;   // the grader itself failed on them (reported)
};

// Grades every submission, `options.jobs` at a time, and writes the gradebook after each (every
// student in `options.out` graded with this seed, from this run or an earlier one). Each student
// is graded in their language (the roster's, else `options.language`): the students of one
// language, then those of the other, this process speaking theirs; it speaks
// `options.language` again when it returns.
// `report` is called (from one thread at a time) when a submission is done or skipped.
GradeRun grade_class(const Manifest& manifest, const GradeOptions& options,
                     const std::vector<std::filesystem::path>& inputs,
                     const std::function<void(const SubmissionGrade&, bool skipped)>& report,
                     const std::function<bool()>& stop_requested);

}  // namespace course::tool
