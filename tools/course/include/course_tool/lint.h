// The course's structure, checked without building anything: every exercise in course.json has
// a stub, a solution/ with the same files, tests, a README with at least two hints, and every
// exercises/NN_* folder is listed in course.json.
#pragma once

#include <string>
#include <vector>

#include "course_tool/manifest.h"

namespace course::tool {

// One line per problem, each naming the file and what to do; empty when all is well.
std::vector<std::string> lint_course(const Manifest& manifest);

}  // namespace course::tool
