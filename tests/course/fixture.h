// The demo course of tests/course/fixture/ (no LibTorch, builds in seconds), copied into a
// temporary folder, and the `course` / `course_grade` / `course_audit` binaries run on it as a
// student or an instructor would.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "course_tool/process.h"

namespace course::testing {

namespace fs = std::filesystem;

inline fs::path copy_fixture(const fs::path& destination) {
  fs::copy(COURSE_FIXTURE_DIR, destination, fs::copy_options::recursive);
  return destination;
}

inline std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void append_to(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::app) << text;
}

// Configures `build` from the fixture in `root` with the stubs or the solutions.
inline tool::ProcessResult configure_fixture(const fs::path& root, const fs::path& build,
                                             bool solutions) {
  return tool::run_process({COURSE_CMAKE, "-S", root.string(), "-B", build.string(), "-G",
                            COURSE_GENERATOR, "-DCMAKE_CXX_COMPILER=" COURSE_CXX_COMPILER,
                            std::string("-DCOURSE_USE_SOLUTIONS=") + (solutions ? "ON" : "OFF")});
}

inline tool::ProcessResult build_fixture(const fs::path& build) {
  return tool::run_process({COURSE_CMAKE, "--build", build.string()});
}

using Environment = std::vector<std::pair<std::string, std::string>>;

// `BINARY ARGS...` in the folder `where`, without colours, output captured (no terminal). In
// English (COURSE_LANG=en, whatever the locale of the machine running the tests) unless
// `environment` says otherwise: its variables replace these (an empty value: as if unset).
inline tool::ProcessResult run_tool(const std::string& binary, const fs::path& where,
                                    std::vector<std::string> arguments,
                                    const Environment& environment = {}) {
  arguments.insert(arguments.begin(), binary);
  tool::ProcessOptions options;
  options.working_directory = where;
  options.timeout_seconds = 300;
  options.environment = {{"NO_COLOR", "1"}, {"COURSE_LANG", "en"}};
  for (const auto& [name, value] : environment) {
    bool replaced = false;
    for (auto& item : options.environment) {
      if (item.first == name) {
        item.second = value;
        replaced = true;
      }
    }
    if (!replaced) options.environment.emplace_back(name, value);
  }
  return tool::run_process(arguments, options);
}

// `course ARGS...`: the students' runner, as above.
inline tool::ProcessResult run_course(const fs::path& where, std::vector<std::string> arguments,
                                      const Environment& environment = {}) {
  return run_tool(COURSE_BINARY, where, std::move(arguments), environment);
}

#ifdef COURSE_GRADE_BINARY
// `course grade ARGS...`: the instructors' course_grade, as above.
inline tool::ProcessResult run_course_grade(const fs::path& where,
                                            std::vector<std::string> arguments) {
  return run_tool(COURSE_GRADE_BINARY, where, std::move(arguments));
}
#endif

// A Spanish-speaking student's shell: LANG=es_ES.UTF-8, nothing above it.
inline const Environment kSpanishLocale = {
    {"COURSE_LANG", ""}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}, {"LANG", "es_ES.UTF-8"}};

#ifdef COURSE_AUDIT_BINARY
inline tool::ProcessResult audit(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), COURSE_AUDIT_BINARY);
  tool::ProcessOptions options;
  options.timeout_seconds = 300;
  options.environment = {{"COURSE_LANG", "en"}};  // the messages the tests expect
  return tool::run_process(arguments, options);
}
#endif

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace course::testing
