// `course grade` (the course_grade tool), for instructors: its options, and no student build
// needed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace course::tool {

struct GradeRequest {
  std::vector<std::string> submissions;
  uint64_t seed = 0;
  bool seed_given = false;  // --seed is required, except with --merge
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
  std::string language;  // --lang: "es" or "en"; empty: the instructor's
  std::string shard;     // --shard K/N: the K-th of N slices of the submissions; empty: all
  std::vector<std::string> merge;  // --merge OUT...: join these shards' outputs into --out
};
void add_grade_options(CLI::App& grade, GradeRequest& request);
int command_grade(const GradeRequest& request);

}  // namespace course::tool
