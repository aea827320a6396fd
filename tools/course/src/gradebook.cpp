// The class's CSV files as RFC 4180 writes them: the roster read (quoted fields with commas,
// quotes and line ends inside, UTF-8 names, CRLF), gradebook.csv written.
#include "course_tool/gradebook.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/language.h"
#include "common/text.h"
#include "course_tool/files.h"

namespace course::tool {
namespace fs = std::filesystem;

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool row_started = false;  // something (even an empty field before a comma) is on this row
  auto end_field = [&] {
    row.push_back(trim(field));
    field.clear();
  };
  auto end_row = [&] {
    if (row_started) {
      end_field();
      rows.push_back(std::move(row));
    }
    row.clear();
    field.clear();
    row_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
      row_started = true;
    } else if (c == ',') {
      end_field();
      row_started = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
    } else {
      field += c;
      if (c != ' ' && c != '\t') row_started = true;
    }
  }
  if (quoted) throw CourseError(std::string(tr("a quoted field never ends (a \" is missing)")));
  end_row();
  return rows;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string gradebook_csv(const Manifest& manifest, const std::vector<std::string>& roster,
                          const std::vector<SubmissionGrade>& grades) {
  std::string csv = "student";
  for (const auto& exercise : manifest.exercises) csv += "," + csv_field(exercise.name);
  csv += ",homework_accuracy,homework_grade,total,max_total\n";
  std::map<std::string, const SubmissionGrade*> by_student;
  for (const auto& grade : grades) by_student[grade.student] = &grade;
  std::vector<std::string> order = roster;
  std::vector<std::string> rest;
  for (const auto& [student, grade] : by_student) {
    if (std::find(roster.begin(), roster.end(), student) == roster.end()) rest.push_back(student);
  }
  order.insert(order.end(), rest.begin(), rest.end());
  for (const auto& student : order) {
    csv += csv_field(student);
    const auto found = by_student.find(student);
    if (found == by_student.end()) {  // on the roster, nothing submitted
      for (size_t i = 0; i < manifest.exercises.size(); ++i) csv += ",0";
      csv += ",,missing,0,\n";
      continue;
    }
    const SubmissionGrade& grade = *found->second;
    std::string accuracy, verdict;
    for (const auto& exercise : manifest.exercises) {
      const auto part =
          std::find_if(grade.parts.begin(), grade.parts.end(),
                       [&](const PartGrade& p) { return p.exercise == exercise.name; });
      csv += part == grade.parts.end() ? ",0" : fmt::format(",{:g}", part->score());
      for (const auto& check : exercise.ctest_checks) {  // the homework's grade
        if (part == grade.parts.end() || !graded_by_homework_grade(exercise, check)) continue;
        if (part->accuracy) accuracy = fmt::format("{:.4f}", *part->accuracy);
        const bool passed = std::any_of(
            part->checks.begin(), part->checks.end(),
            [&](const auto& c) { return c.name == check && c.status == CheckStatus::kPassed; });
        verdict = passed ? "passed" : "failed";
      }
    }
    csv += fmt::format(",{},{},{:g},{:g}\n", accuracy, verdict, grade.score(), grade.max_score());
  }
  return csv;
}

namespace {

// The rows of a roster file. Throws CourseError naming it.
std::vector<std::vector<std::string>> roster_rows(const fs::path& file) {
  try {
    return parse_csv(read_text(file));
  } catch (const CourseError& e) {
    throw CourseError(fmt::format("{}: {}", file.string(), e.what()));
  }
}

}  // namespace

std::vector<std::string> read_roster(const fs::path& file) {
  std::vector<std::string> students;
  bool first = true;
  for (const auto& fields : roster_rows(file)) {
    const std::string& id = fields.front();
    if (first) {
      first = false;
      const std::string lower = ascii_lowercase(id);
      if (lower == "student" || lower == "id" || lower == "login" || lower == "username") continue;
    }
    if (!id.empty()) students.push_back(id);
  }
  if (students.empty())
    throw CourseError(
        fmt::format("{}: no students in it (one id per line, first column)", file.string()));
  return students;
}

std::map<std::string, Language> read_roster_languages(const fs::path& file) {
  const std::vector<std::vector<std::string>> rows = roster_rows(file);
  if (rows.empty()) return {};
  const std::vector<std::string>& header = rows.front();
  size_t column = 0;
  for (; column < header.size(); ++column) {
    const std::string name = ascii_lowercase(header[column]);
    if (column > 0 && (name == "language" || name == "lang" || name == "idioma")) break;
  }
  if (column == header.size()) return {};
  std::map<std::string, Language> languages;
  for (size_t index = 1; index < rows.size(); ++index) {
    const std::vector<std::string>& fields = rows[index];
    if (fields.front().empty() || column >= fields.size() || fields[column].empty()) continue;
    const std::string& code = fields[column];
    const std::optional<Language> language =
        code == "es" || code == "en" ? parse_language(code) : std::nullopt;
    if (!language) {
      throw CourseError(
          trf("{}, row {}: the language of {} is '{}': write es or en (or nothing: "
              "the class's, --lang)",
              file.string(), index + 1, fields.front(), code));
    }
    languages[fields.front()] = *language;
  }
  return languages;
}

}  // namespace course::tool
