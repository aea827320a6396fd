// The class's CSV files, read and written as RFC 4180 says: the roster an instructor exports
// from the school's system (quoted fields, commas and quotes inside them, UTF-8 names, CRLF) and
// gradebook.csv (every field that needs it quoted).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/language.h"
#include "course_tool/grade.h"

namespace course::tool {

// The rows of a CSV text, each its fields: a quoted field may hold commas, line ends and quotes
// (written ""); the spaces around a field are trimmed (rosters typed by hand have them); CRLF or
// LF ends a row; empty lines are skipped. Throws CourseError when a quoted field never closes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

// One field as RFC 4180 writes it: quoted (its quotes doubled) when it holds a comma, a quote or
// a line end; as it is otherwise.
std::string csv_field(const std::string& text);

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

}  // namespace course::tool
