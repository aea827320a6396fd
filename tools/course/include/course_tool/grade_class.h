// Grading a whole class: the submissions graded `jobs` at a time, each written as it finishes;
// one slice of them on each of several machines (shards), and the slices' outputs merged into
// one gradebook.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "course_tool/grade.h"

namespace course::tool {

struct GradeRun {
  int graded = 0;
  int skipped = 0;  // graded before (grade.json, same seed and language): --force regrades
  int failed = 0;   // the grader itself failed on them: zero with the reason, graded again next run
  // Why the run stopped before the end (empty: it did not). Every grade finished before that
  // is on disk (each student's grade.json), and the next run grades only the rest.
  std::string stopped;
  std::vector<std::string> warnings;  // what went wrong without costing a grade
};

// Parses "K/N" (1 <= K <= N). Throws CourseError saying what it takes.
Shard parse_shard(const std::string& text);

// The inputs of `shard`: the submissions sorted by student name, cut into `shard.count` slices
// of sizes that differ by one at most, the `shard.index`-th of them. Stable: the same class
// gives every machine the same slices, whatever order the shell listed the files in.
std::vector<std::filesystem::path> shard_of(const std::vector<std::filesystem::path>& inputs,
                                            const Shard& shard);

// Grades every submission of `options.shard`, `options.jobs` at a time, and writes the
// gradebook after each (every student in `options.out` graded with this seed, from this run or
// an earlier one). Each student is graded in their language (the roster's, else
// `options.language`): the students of one language, then those of the other, this process
// speaking theirs; it speaks `options.language` again when it returns.
// A problem with one submission, the grader's own included, is that submission's zero with its
// reason (GradeRun::failed); a problem that stops the run (the gradebook cannot be written)
// leaves what was finished on disk and is returned in GradeRun::stopped.
// `report` is called (from one thread at a time) when a submission is done or skipped.
GradeRun grade_class(const Manifest& manifest, const GradeOptions& options,
                     const std::vector<std::filesystem::path>& inputs,
                     const std::function<void(const SubmissionGrade&, bool skipped)>& report,
                     const std::function<bool()>& stop_requested);

struct Merged {
  int students = 0;
  uint64_t seed = 0;
};

// Joins the outputs of several shards (each a --out folder) into `out`: every student's folder
// copied there (unless it is there already) and one gradebook.csv of them all, in the roster's
// order. Throws CourseError for a student graded in two of them, or grades of different seeds.
Merged merge_grades(const Manifest& manifest, const std::vector<std::filesystem::path>& shards,
                    const std::filesystem::path& out, const std::filesystem::path& roster);

}  // namespace course::tool
