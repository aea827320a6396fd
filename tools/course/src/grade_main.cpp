// course_grade: an instructor grades a whole class of submissions in a sandbox (the options and
// the work: commands/grade.cpp, course_tool/grade.h). From a checkout, `course grade ...` runs it
// (tools/course/bin/course builds it with the instructors' preset).
//
//   course_grade --seed 9137 --jobs 2 --roster roster.csv --out grades submissions/*
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/grade.h"
#include "common/cli_language.h"
#include "common/text.h"

int main(int argc, char** argv) {
  CLI::App app{
      course::N_(
          "Instructors: grade every submission (folders or .zip/.tar.gz) in a sandbox; writes "
          "gradebook.csv and, per student, results.json (Gradescope) and feedback.md"),
      "course grade"};
  course::tool::GradeRequest request;
  course::tool::add_grade_options(app, request);
  course::localize_cli(app);  // --help and CLI11's errors in the instructor's language
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return course::tool::command_grade(request);
  } catch (const std::exception& e) {
    fmt::print(stderr, "course grade: error: {}\n", course::first_line(e.what()));
    return 1;
  }
}
