// The runner's commands, one file each (src/commands/<name>.cpp); course_main.cpp parses the
// command line and calls one. Each returns the program's exit status.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "course_tool/course.h"

namespace course::tool {

int command_list(Course& course);
int command_progress(Course& course);
int command_check(Course& course, const std::string& name);
int command_hint(Course& course, const std::string& name, int level);
int command_watch(Course& course, const std::string& name, double interval, int max_checks);
// Builds the lesson executable and replaces this process with it, `args` passed on.
int command_run(Course& course, const std::string& name, const std::vector<std::string>& args);
int command_reset(Course& course, const std::string& name, bool yes, const std::string& from);

// `course grade`, for instructors: its own options, and no student build needed.
struct GradeRequest {
  CLI::App* command = nullptr;
  std::vector<std::string> submissions;
  uint64_t seed = 0;
  std::string out = "grades";
  int jobs = 1;
  std::string roster;
  bool force = false;
  std::string tree;
  double check_seconds = 300;
  double train_seconds = 600;
  size_t memory_mib = 8192;
  std::string data_dir;
  bool no_sandbox = false;
};
void add_grade_command(CLI::App& app, GradeRequest& request);
int command_grade(const GradeRequest& request);

}  // namespace course::tool
