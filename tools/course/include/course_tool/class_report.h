// The class report of a grading run: grades/report.html, one self-contained page (inline SVG
// charts, no script, no file beside it) that an instructor reads at a glance, and the same figures
// in grades/report.csv:
//   - the distribution of the total scores;
//   - each exercise's pass rate (students with every check) and each check's pass rate;
//   - the homework's test accuracy, as a histogram with the 0.87 line;
//   - the class's most common mistakes: each student's first failing check of each exercise (what
//     the student read), matched against the catalogue of classic mistakes (tests/mistakes/) as
//     the mistakes audit matches it, and counted ("zero_grad forgotten: 7 students").
// A sentence the student read in Spanish is matched through po/es.po's English of it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "course_tool/grade.h"
#include "course_tool/manifest.h"
#include "course_tool/mistakes.h"

namespace course::tool {

// One catalogued mistake and the students whose first failing check named it.
struct MistakeCount {
  const Mistake* mistake = nullptr;
  std::vector<std::string> students;
};

struct ClassFigures {
  size_t students = 0;
  std::vector<double> score_fractions;  // each student's score / max, in [0, 1]
  struct Rate {
    std::string name;  // "03_mlp" or "03_mlp: Net.ForwardIsFc2ReluFc1"
    size_t passed = 0;
    size_t total = 0;
  };
  std::vector<Rate> exercises;     // students with every check of it passing
  std::vector<Rate> checks;        // every check of the course, in course order
  std::vector<double> accuracies;  // the homework's, of those who have one
  double accuracy_threshold = 0.87;
  std::vector<MistakeCount> mistakes;   // most students first; only those with one at least
  size_t first_failures = 0;            // first failing checks in all (one per student and part)
  size_t first_failures_unmatched = 0;  // of them, those no catalogue entry names
};

// The English of a sentence read in Spanish, through the catalogue: the Spanish of a message
// with its placeholders' text put back into its English. The sentence itself when no message of
// the catalogue gives it (already English, or not the course's).
std::string english_of_sentence(const std::string& sentence);

ClassFigures class_figures(const Manifest& manifest, const std::vector<SubmissionGrade>& grades,
                           const std::vector<Mistake>& catalogue);

std::string class_report_html(const ClassFigures& figures);
std::string class_report_csv(const ClassFigures& figures);

// The course's catalogue of classic mistakes (<root>/tests/mistakes; none when the checkout has
// none), read once per grading run.
std::vector<Mistake> course_catalogue(const Manifest& manifest);

// Writes `out`/report.html and `out`/report.csv (atomically) for `grades`, the mistakes matched
// against `catalogue`.
void write_class_report(const Manifest& manifest, const std::vector<SubmissionGrade>& grades,
                        const std::vector<Mistake>& catalogue, const std::filesystem::path& out);

}  // namespace course::tool
