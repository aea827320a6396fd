// Ctrl-C during the homework's training: the run must end cleanly after the current batch (exit
// status 130, like a shell's 128 + SIGINT), keep the best checkpoint loadable, write valid
// metrics for the epochs it finished, leave no temporary file, and `--resume` must go on from
// the checkpoint and finish.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/fashion_mnist.h"
#include "homework.h"
#include "process.h"
#include "support/temp_dir.h"
#include "harness/checkpoint.h"
#include "harness/data.h"

namespace course {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::Process;
using testing::ProcessResult;

constexpr auto kLimit = std::chrono::seconds(600);  // generous: sanitizer builds are slow

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);  // throws on invalid JSON, failing the test with the reason
}

std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// The flags both runs share (a resumed run must match the checkpoint's seed, batch, lr, split).
std::vector<std::string> homework_command(const fs::path& dir, const std::string& metrics,
                                          int64_t max_epochs) {
  return {HOMEWORK,
          "--seed",
          "7",
          "--quiet",
          "--max-epochs",
          std::to_string(max_epochs),
          "--patience",
          "1000",
          "--checkpoint",
          (dir / "best.pt").string(),
          "--metrics",
          (dir / metrics).string()};
}

// The metrics of a run must hang together, whatever made it stop.
void expect_consistent(const json& metrics) {
  ASSERT_TRUE(metrics.contains("history")) << metrics.dump();
  const int64_t epochs = metrics.at("epochs");
  EXPECT_GE(epochs, 1);
  EXPECT_EQ(metrics.at("history").size(), static_cast<size_t>(epochs));
  const int64_t best = metrics.at("best_epoch");
  EXPECT_GE(best, 1);
  EXPECT_LE(best, epochs);
  double lowest = 1e300;
  for (const json& record : metrics.at("history"))
    lowest = std::min(lowest, record.at("val_loss").get<double>());
  EXPECT_DOUBLE_EQ(metrics.at("best_val_loss").get<double>(), lowest);
  EXPECT_EQ(metrics.at("parameters"), 266610);
  EXPECT_GT(metrics.at("test_accuracy").get<double>(), 0.7);  // one epoch already gives ~0.8
}

TEST(Interrupt, CtrlCKeepsTheBestCheckpointAndMetricsThenResumeFinishes) {
  testing::TempDir dir;
  const fs::path logs = dir.path() / "logs";
  const fs::path out = dir.path() / "out";
  fs::create_directories(logs);
  fs::create_directories(out);

  // 1. Train "for ever" (1000 epochs, patience 1000); Ctrl-C once the first best checkpoint is
  //    there, i.e. during epoch 2 or right before it.
  json interrupted;
  {
    Process homework(homework_command(out, "metrics.json", 1000), dir.path(), logs);
    const auto deadline = std::chrono::steady_clock::now() + kLimit;
    while (!fs::exists(out / "best.pt") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(fs::exists(out / "best.pt")) << "no checkpoint after the first epoch";
    homework.send(SIGINT);
    const ProcessResult result = homework.wait(kLimit);
    SCOPED_TRACE("stdout: " + result.out + "\nstderr: " + result.err);
    ASSERT_TRUE(result.exited) << "killed by signal " << result.signal;
    EXPECT_EQ(result.exit_code, 130);
    EXPECT_NE(result.err.find("Ctrl-C"), std::string::npos);
    EXPECT_NE(result.out.find("interrupted"), std::string::npos);
    // No temporary file of the atomic writes left next to the results.
    EXPECT_EQ(listing(out), (std::vector<std::string>{"best.pt", "metrics.json"}));
    interrupted = read_json(out / "metrics.json");
  }
  SCOPED_TRACE("metrics of the interrupted run: " + interrupted.dump());
  EXPECT_EQ(interrupted.at("stopped"), "interrupted");
  expect_consistent(interrupted);
  const int64_t best_epoch = interrupted.at("best_epoch");

  // 2. The checkpoint loads into a fresh model and gives the test accuracy the run reported
  //    (the run tested the best weights, which are the checkpoint's).
  {
    homework::Mlp model;
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
    const homework::harness::CheckpointInfo info =
        homework::harness::load_checkpoint(out / "best.pt", *model, optimizer, torch::kCPU);
    EXPECT_EQ(info.epoch, best_epoch);
    EXPECT_EQ(info.history.size(), static_cast<size_t>(best_epoch));
    const homework::harness::HomeworkData data = homework::harness::load_homework_data(
        locate_data_dir(""), interrupted.at("val_size").get<int64_t>(), 7, torch::kCPU);
    const homework::Evaluation test = homework::evaluate(model, data.test.images, data.test.labels);
    EXPECT_NEAR(test.accuracy, interrupted.at("test_accuracy").get<double>(), 1e-9);
  }

  // 3. --resume goes on from the checkpoint's epoch and finishes one epoch later.
  {
    std::vector<std::string> command = homework_command(out, "resumed.json", best_epoch + 1);
    command.push_back("--resume");
    const ProcessResult result = testing::run_process(command, dir.path(), logs, kLimit);
    SCOPED_TRACE("stdout: " + result.out + "\nstderr: " + result.err);
    ASSERT_TRUE(result.exited) << "killed by signal " << result.signal;
    ASSERT_EQ(result.exit_code, 0);
    EXPECT_TRUE(result.err.empty());
  }
  const json resumed = read_json(out / "resumed.json");
  SCOPED_TRACE("metrics of the resumed run: " + resumed.dump());
  EXPECT_EQ(resumed.at("stopped"), "max_epochs");
  EXPECT_EQ(resumed.at("resumed_from_epoch"), best_epoch);
  EXPECT_EQ(resumed.at("epochs"), best_epoch + 1);
  expect_consistent(resumed);
  // The epochs before the checkpoint are the interrupted run's, recorded once.
  for (int64_t epoch = 0; epoch < best_epoch; ++epoch) {
    EXPECT_EQ(resumed.at("history").at(epoch).at("val_loss"),
              interrupted.at("history").at(epoch).at("val_loss"));
  }
  EXPECT_EQ(listing(out), (std::vector<std::string>{"best.pt", "metrics.json", "resumed.json"}));
}

}  // namespace
}  // namespace course
