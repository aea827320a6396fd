// The runner's commands, one file each (src/commands/<name>.cpp); course_main.cpp parses the
// command line and calls one. Each returns the program's exit status.
#pragma once

#include <string>
#include <vector>

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

}  // namespace course::tool
