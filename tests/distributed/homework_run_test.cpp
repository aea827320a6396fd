// The homework itself on 2 processes (`homework --nproc 2`, Gloo on loopback): it must reach the
// grade's test accuracy (>= 0.87), print one result, write one metrics file and one checkpoint
// (rank 0 alone), and end with the same parameters on both ranks. A whole training run, so
// ctest runs it alone (RUN_SERIAL) and only with the solutions.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reliability/process.h"
#include "support/temp_dir.h"
#include "common/fashion_mnist.h"
#include "harness/data.h"
#include "harness/grading.h"
#include "harness/metrics.h"

namespace {

namespace fs = std::filesystem;
using course::testing::ProcessResult;
using nlohmann::json;

size_t count_of(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

TEST(DistributedHomework, TwoProcessesReachTheGradeAndReportOnce) {
  course::testing::TempDir dir;
  const fs::path out = dir.path() / "out";
  fs::create_directories(out);
  const ProcessResult result = course::testing::run_process(
      {HOMEWORK, "--nproc", "2", "--seed", "42", "--quiet", "--max-epochs", HOMEWORK_EPOCHS,
       "--metrics", (out / "metrics.json").string(), "--checkpoint", (out / "best.pt").string(),
       "--model", (out / "model.pt").string()},
      dir.path(), dir.path(), std::chrono::seconds(900),
      {{"RANK", ""}, {"WORLD_SIZE", ""}, {"MASTER_ADDR", ""}, {"MASTER_PORT", ""}});
  SCOPED_TRACE("stdout: " + result.out + "\nstderr: " + result.err);
  ASSERT_TRUE(result.exited) << "killed by signal " << result.signal;
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_EQ(count_of(result.out, "test accuracy"), 1u) << "one result for the whole run";

  std::ifstream file(out / "metrics.json");
  const json metrics = json::parse(file);
  SCOPED_TRACE("metrics: " + metrics.dump());
  // The homework's own grade: complete and consistent metrics, and the saved model measured
  // by the grade itself (best weights, accuracy >= 0.87).
  for (const auto& check : homework::harness::grade(metrics)) {
    EXPECT_TRUE(check.passed) << check.requirement << ": " << check.detail;
  }
  const homework::harness::HomeworkData data =
      homework::harness::load_homework_data(course::locate_data_dir(), 5000, 42, torch::kCPU);
  const homework::harness::MeasuredModel measured =
      homework::harness::measure_model(out / "model.pt", data.validation, data.test);
  for (const auto& check : homework::harness::grade_model(metrics, measured, 0.87)) {
    EXPECT_TRUE(check.passed) << check.requirement << ": " << check.detail;
  }
  EXPECT_EQ(metrics.at("world_size"), 2);
  const json& distributed = metrics.at("distributed");
  EXPECT_EQ(distributed.at("backend"), "gloo");
  EXPECT_EQ(distributed.at("allreduce"), "flat");
  EXPECT_EQ(distributed.at("floats_per_step"), 266610 + 1);  // the gradients and the stop flag
  EXPECT_EQ(distributed.at("allreduce_calls_per_step"), 1.0);
  EXPECT_EQ(distributed.at("parameters_identical"), true);
  // 27500 examples per rank and epoch at batch 32: 860 steps per epoch.
  EXPECT_EQ(distributed.at("steps"), 860 * metrics.at("epochs").get<int64_t>());
  // Rank 0 alone wrote, atomically: no second file, no temporary left over.
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(out)) files.push_back(entry.path().filename());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"best.pt", "metrics.json", "model.pt"}));
}

}  // namespace
