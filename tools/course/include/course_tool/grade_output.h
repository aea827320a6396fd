// The files of one graded submission: results.json (Gradescope's format), feedback.md (what the
// student reads) and grade.json (what the grader reads back: the gradebook, a rerun, a merge).
#pragma once

#include <filesystem>
#include <string>

#include "course_tool/grade.h"

namespace course::tool {

// results.json and feedback.md are in the student's language (grade.language), whatever this
// process speaks.
std::string gradescope_json(const SubmissionGrade& grade);
std::string feedback_markdown(const Manifest& manifest, const SubmissionGrade& grade);
std::string grade_json(const SubmissionGrade& grade);
// Each check keeps its status (a check that was skipped or did not run is not read back as one
// that failed). Throws CourseError naming `source` when `text` is not a grade.
SubmissionGrade parse_grade_json(const std::string& text, const std::string& source);

// Writes the three files into `folder`, atomically each, grade.json last: it marks the
// submission done. Throws CourseError when one cannot be written.
void write_grade_files(const Manifest& manifest, const std::filesystem::path& folder,
                       const SubmissionGrade& grade);

}  // namespace course::tool
