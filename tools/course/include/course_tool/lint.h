// The course's structure, checked without building anything: every exercise in course.json has
// a stub, a solution/ with the same files, tests, a README with at least two hints, and every
// exercises/NN_* folder is listed in course.json; every README.md (each exercise's and the top
// one) has its Spanish README.es.md with the same structure.
#pragma once

#include <string>
#include <vector>

#include "course_tool/manifest.h"

namespace course::tool {

// One line per problem, each naming the file and what to do; empty when all is well.
std::vector<std::string> lint_course(const Manifest& manifest);

// The parts of `markdown` a student reads: without the instructors-only regions
// (<!-- instructors --> ... <!-- /instructors -->, left out of the students' copy).
std::string student_part(const std::string& markdown);

// Whether the Spanish translation `spanish` has the structure of `english` (both Markdown, the
// English one's instructors-only regions left out): the same headings at the same levels in the
// same order, the same hints, the same tables with as many rows, the same code blocks (code stays
// English). One line per difference found, naming the files (`english_name`, `spanish_name`)
// and the lines; empty when they match.
std::vector<std::string> compare_translation(const std::string& english, const std::string& spanish,
                                             const std::string& english_name,
                                             const std::string& spanish_name);

}  // namespace course::tool
