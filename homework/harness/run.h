// The harness's steps around the student's fit(), in the order homework/main.cpp calls them.
// Students can skip this folder: nothing in it is part of the homework.
//   prepare_worker()            which rank this process is; ranks other than 0 stay silent
//   require_finished_homework() lists the TODO parts still to write, before any slow work
//   TrainingMonitor             the Observer fit() reports to: progress bar, the line per epoch,
//                               checkpoints, Ctrl-C, the train loss averaged over the ranks
//   test_model()                the test accuracy, counted by the harness from the predictions
//   write_results()             metrics JSON, model file, plot, the final lines
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/progress.h"
#include "harness/batches.h"
#include "harness/distributed.h"
#include "harness/metrics.h"
#include "harness/options.h"
#include "homework.h"

namespace homework::harness {

// Where this process stands among the ranks (one process: rank 0 of 1). A rank other than 0
// prints nothing and writes no file but the checkpoint it resumes from. Then checks the output
// paths, so a wrong one fails now and not after the training.
WorkerConfig prepare_worker(Options& options, const DistributedOptions& distributed);

// Calls each part of homework.cpp once on tiny inputs and, if some still end in
// course::not_implemented(), prints the list and throws.
void require_finished_homework();

// The Observer the harness hands to fit(). It never does part of the training: it shows, logs,
// saves and relays Ctrl-C. Its records (with each epoch's seconds and, with several ranks, the
// train loss averaged over them) are what the metrics file holds.
class TrainingMonitor : public homework::Observer {
 public:
  // Installs the Ctrl-C handler (removed again by the destructor). `model` and `optimizer` are
  // what the checkpoint saves; `batches` gives the epoch's size for the progress bar.
  TrainingMonitor(const Options& options, DataParallel& group, torch::nn::Module& model,
                  torch::optim::Optimizer& optimizer, const Batches& batches);
  ~TrainingMonitor() override;
  TrainingMonitor(const TrainingMonitor&) = delete;
  TrainingMonitor& operator=(const TrainingMonitor&) = delete;

  // --resume: loads the checkpoint into the model and the optimizer, and returns the history it
  // holds (its last epoch is its best) for FitOptions::resumed.
  homework::History resume(const torch::Device& device);
  // The Ctrl-C flag that DistributedModel carries to the other ranks.
  static bool interrupted_here();
  // Set once the model is wrapped: then a Ctrl-C on any rank stops every rank.
  void follow(const DistributedModel& replicated) { replicated_ = &replicated; }

  bool on_batch(int64_t batches_done, double running_loss) override;
  void on_epoch(const homework::EpochResult& result) override;
  bool stop_requested() const override;

  const std::vector<EpochRecord>& records() const { return records_; }
  int64_t resumed_from() const { return resumed_from_; }
  bool interrupted() const { return stop_requested(); }

 private:
  const Options& options_;
  DataParallel& group_;
  torch::nn::Module& model_;
  torch::optim::Optimizer& optimizer_;
  const Batches& batches_;
  const DistributedModel* replicated_ = nullptr;
  std::vector<EpochRecord> records_;
  int64_t resumed_from_ = 0;
  std::chrono::steady_clock::time_point epoch_start_;
  bool show_progress_;     // on a terminal, and not --quiet: nothing to format otherwise
  int64_t bar_epoch_ = 0;  // the epoch the progress bar shows; 0 before the first batch
  std::unique_ptr<course::ProgressBar> bar_;
};

// How the restored model does on the test set, counted by the harness from the model's own
// predictions; and what the student's evaluate() reports for the same images.
struct TestResult {
  double accuracy = 0.0;  // the harness's count
  double loss = 0.0;
  torch::Tensor predictions;       // int64 [N]
  torch::Tensor confusion;         // int64 [10, 10]
  double reported_accuracy = 0.0;  // evaluate(model, test).accuracy
  // |reported - counted| within rounding (half an example).
  bool evaluate_agrees() const;
};
TestResult test_model(homework::Mlp& model, const Examples& test);

// The metrics JSON (--metrics), the model's weights (--model), the SVG (--plot), and the lines
// a run ends with. Rank 0 only.
void write_results(const Options& options, const homework::History& history,
                   const TrainingMonitor& monitor, const TestResult& test, homework::Mlp& model,
                   const DataParallel& group, const torch::Device& device,
                   std::chrono::steady_clock::time_point start);

}  // namespace homework::harness
