#include "harness/run.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <functional>
#include <optional>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "common/fashion_mnist.h"
#include "common/language.h"
#include "common/lesson.h"
#include "common/progress.h"
#include "harness/checkpoint.h"
#include "harness/files.h"
#include "harness/grading.h"
#include "harness/report.h"

namespace homework::harness {
namespace {

using course::tr;
using course::trf;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Ctrl-C: the first one asks the training to stop after the current batch; the handler then
// steps aside, so a second Ctrl-C ends the program at once. What it says is translated before
// the handler is installed: a signal handler may only write() what is ready.
volatile std::sig_atomic_t ctrl_c = 0;
std::string_view interrupt_message;

extern "C" void on_interrupt(int) {
  ctrl_c = 1;
  [[maybe_unused]] ssize_t ignored =
      ::write(STDERR_FILENO, interrupt_message.data(), interrupt_message.size());
  std::signal(SIGINT, SIG_DFL);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The flags a resumed run must share with the run that wrote the checkpoint.
json resume_config(const Options& options) {
  return {{"seed", options.common.seed},
          {"batch_size", options.batch_size},
          {"lr", options.lr},
          {"val_size", options.val_size}};
}

// The confusion matrix as rows of counts.
json confusion_json(const torch::Tensor& confusion) {
  const auto counts = confusion.accessor<int64_t, 2>();
  json rows = json::array();
  for (int64_t row = 0; row < counts.size(0); ++row) {
    json cells = json::array();
    for (int64_t col = 0; col < counts.size(1); ++col) cells.push_back(counts[row][col]);
    rows.push_back(cells);
  }
  return rows;
}

// Why the run ended, from what fit() returned and what the monitor saw.
enum class Ending { EarlyStopping, MaxEpochs, Interrupted, Unexplained };

Ending ending(const homework::History& history, const TrainingMonitor& monitor,
              const Options& options) {
  if (monitor.interrupted()) return Ending::Interrupted;
  const int64_t epochs = static_cast<int64_t>(history.epochs.size());
  if (epochs - history.best_epoch >= std::max<int64_t>(options.patience, 1)) {
    return Ending::EarlyStopping;
  }
  if (epochs == options.max_epochs) return Ending::MaxEpochs;
  return Ending::Unexplained;
}

// The class names as the student reads them (the metrics file keeps the English ones).
ClassNames translated_class_names() {
  ClassNames names;
  for (int64_t c = 0; c < course::kNumClasses; ++c) names[c] = tr(course::class_names()[c]);
  return names;
}

const char* ending_name(Ending value) {
  switch (value) {
    case Ending::EarlyStopping:
      return "early_stopping";
    case Ending::MaxEpochs:
      return "max_epochs";
    case Ending::Interrupted:
      return "interrupted";
    case Ending::Unexplained:
      break;
  }
  return "unexplained";
}

}  // namespace

WorkerConfig prepare_worker(Options& options, const DistributedOptions& distributed) {
  const WorkerConfig worker = resolve_worker_config(distributed);
  if (worker.rank != 0) {  // rank 0 speaks and writes for the whole run
    options.quiet = true;
    options.metrics.clear();
    options.plot.clear();
    options.model.clear();
    if (!options.resume) options.checkpoint.clear();
  }
  options.common.device = worker_device(options.common.device, worker);
  check_paths(options);
  return worker;
}

void require_finished_homework() {
  std::vector<std::string> missing;
  auto probe = [&](const std::string& part, const std::function<void()>& body) {
    try {
      body();
    } catch (const course::NotImplemented&) {
      missing.push_back(std::string(course::tr(part)));
    }
  };
  std::optional<homework::Mlp> model;
  probe(course::N_("TODO 1a  MlpImpl::MlpImpl (the three layers)"),
        [&] { model = homework::Mlp(); });
  if (!model) {
    missing.push_back(
        std::string(course::tr("TODO 1b-5  forward, make_optimizer, train_one_epoch, evaluate, fit "
                               "(checked once 1a runs)")));
  } else {
    const torch::Tensor images = torch::zeros({2, course::kImagePixels});
    const torch::Tensor labels = torch::zeros({2}, torch::kLong);
    homework::Observer quiet;
    probe("TODO 1b  MlpImpl::forward", [&] { (*model)->forward(images); });
    probe("TODO 2   make_optimizer", [&] { homework::make_optimizer(*model, 1e-3); });
    probe("TODO 3   train_one_epoch", [&] {
      torch::optim::SGD unchanged((*model)->parameters(), torch::optim::SGDOptions(0.0));
      homework::train_one_epoch(*model, unchanged, Batches(images, labels, 2, 0), quiet);
    });
    probe("TODO 4   evaluate", [&] { homework::evaluate(*model, images, labels); });
    probe("TODO 5   fit", [&] {
      torch::optim::SGD unchanged((*model)->parameters(), torch::optim::SGDOptions(0.0));
      Batches batches(images, labels, 2, 0);
      homework::fit(*model, unchanged, batches, {images, labels}, {0, 1, {}}, quiet);
    });
  }
  if (missing.empty()) return;
  fmt::print("{}", course::tr("The homework is not finished yet. Still to write in "
                              "homework/homework.cpp:\n"));
  for (const std::string& part : missing) fmt::print("  [ ] {}\n", part);
  fmt::print("{}", course::tr("The task and the hints: homework/README.md (or `course hint "
                              "homework`). Rebuild with `cmake --build --preset student`, then "
                              "run build/student/bin/homework again.\n"));
  throw std::runtime_error(
      course::trn("{} part of homework/homework.cpp is not written yet (listed above)",
                  "{} parts of homework/homework.cpp are not written yet (listed above)",
                  missing.size(), missing.size()));
}

// ------------------------------------------------------------------------------ the monitor

TrainingMonitor::TrainingMonitor(const Options& options, DataParallel& group,
                                 torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                                 const Batches& batches)
    : options_(options),
      group_(group),
      model_(model),
      optimizer_(optimizer),
      batches_(batches),
      epoch_start_(Clock::now()),
      show_progress_(!options.quiet && course::progress_enabled()) {
  ctrl_c = 0;
  static const std::string message =
      "\n" +
      std::string(tr("Ctrl-C: stopping after this batch, keeping the best checkpoint "
                     "(Ctrl-C again quits at once)")) +
      "\n";
  interrupt_message = message;
  std::signal(SIGINT, on_interrupt);
}

TrainingMonitor::~TrainingMonitor() {
  std::signal(SIGINT, SIG_DFL);
}

bool TrainingMonitor::interrupted_here() {
  return ctrl_c != 0;
}

homework::History TrainingMonitor::resume(const torch::Device& device) {
  const CheckpointInfo info = load_checkpoint(options_.checkpoint, model_, optimizer_, device);
  if (info.config != resume_config(options_)) {
    throw course::UsageError(
        trf("--resume: '{}' was written with {}, this run has {}; use the same flags or another "
            "--checkpoint",
            options_.checkpoint, info.config.dump(), resume_config(options_).dump()));
  }
  records_ = history_from_json(info.history);
  resumed_from_ = info.epoch;
  homework::History history;
  for (const EpochRecord& record : records_) {
    history.epochs.push_back(
        {record.epoch, record.train_loss, record.val_loss, record.val_accuracy, record.improved});
    if (record.improved) {
      history.best_epoch = record.epoch;
      history.best_val_loss = record.val_loss;
    }
  }
  if (!options_.quiet) {
    fmt::print("{}\n", trf("resumed from '{}' at epoch {}", options_.checkpoint, info.epoch));
  }
  epoch_start_ = Clock::now();
  return history;
}

bool TrainingMonitor::on_batch(int64_t batches_done, double running_loss) {
  if (show_progress_) {
    const int64_t epoch = batches_.epoch();
    if (!bar_ || bar_epoch_ != epoch) {
      bar_.reset();
      bar_ = std::make_unique<course::ProgressBar>(batches_.size(),
                                                   trf("epoch {}/{}", epoch, options_.max_epochs));
      bar_epoch_ = epoch;
    }
    bar_->update(batches_done, trf("loss {:.4f}", running_loss));
  }
  return !stop_requested();
}

void TrainingMonitor::on_epoch(const homework::EpochResult& result) {
  if (bar_) bar_->finish();
  bar_.reset();
  EpochRecord record{result.epoch, result.train_loss, result.val_loss, result.val_accuracy,
                     0.0,          result.improved};
  if (group_.world_size() > 1) {
    // Each rank trained on its share: the epoch's loss is their weighted mean. Every rank
    // validated the same weights on the same images, so they must agree on the improvement.
    const double examples = static_cast<double>(batches_.examples());
    const std::vector<double> totals =
        group_.sum({result.train_loss * examples, examples, result.improved ? 1.0 : 0.0});
    record.train_loss = totals[0] / totals[1];
    if (totals[2] != 0.0 && totals[2] != static_cast<double>(group_.world_size())) {
      throw std::runtime_error(
          trf("rank {}: the ranks disagree on whether epoch {} improved the validation loss; "
              "their validation losses differ (different CPUs or libraries on the hosts?)",
              group_.rank(), result.epoch));
    }
  }
  record.seconds = seconds_since(epoch_start_);
  records_.push_back(record);
  if (!options_.quiet) {
    fmt::print("{}{}\n",
               trf("epoch {:3}/{}  train loss {:.4f}  val loss {:.4f}  val acc {:.4f}  {:5.2f} s",
                   record.epoch, options_.max_epochs, record.train_loss, record.val_loss,
                   record.val_accuracy, record.seconds),
               record.improved ? tr("  * best") : "");
  }
  if (record.improved && !options_.checkpoint.empty() && group_.is_main()) {
    save_checkpoint(options_.checkpoint, model_, optimizer_,
                    {record.epoch, to_json(records_), resume_config(options_)});
  }
  epoch_start_ = Clock::now();
}

bool TrainingMonitor::stop_requested() const {
  return replicated_ != nullptr ? replicated_->stop_agreed() : interrupted_here();
}

// ------------------------------------------------------------------------------ the test

bool TestResult::evaluate_agrees() const {
  const double examples = static_cast<double>(predictions.numel());
  return std::abs(reported_accuracy - accuracy) <= 0.5 / std::max(examples, 1.0);
}

TestResult test_model(homework::Mlp& model, const Examples& test) {
  TestResult result;
  {
    model->eval();
    torch::NoGradGuard no_grad;
    const Score counted = score(model->forward(test.images), test.labels);
    result.loss = counted.loss;
    result.accuracy = counted.accuracy;
    result.predictions = counted.predictions;
  }
  result.confusion = confusion_matrix(result.predictions, test.labels);
  result.reported_accuracy = homework::evaluate(model, test.images, test.labels).accuracy;
  return result;
}

// ------------------------------------------------------------------------------ the results

void write_results(const Options& options, const homework::History& history,
                   const TrainingMonitor& monitor, const TestResult& test, homework::Mlp& model,
                   const DataParallel& group, const torch::Device& device,
                   Clock::time_point start) {
  const std::vector<double> class_accuracy = per_class_accuracy(test.confusion);
  json per_class = json::object();
  for (int64_t c = 0; c < course::kNumClasses; ++c) {
    per_class[std::string(course::class_names()[c])] = json_number(class_accuracy[c]);
  }
  int64_t parameters = 0;
  for (const torch::Tensor& parameter : model->parameters()) parameters += parameter.numel();
  const Ending end = ending(history, monitor, options);
  const double seconds = seconds_since(start);
  const json metrics = {{"test_accuracy", test.accuracy},
                        {"test_loss", json_number(test.loss)},
                        {"evaluate_test_accuracy", json_number(test.reported_accuracy)},
                        {"evaluate_agrees", test.evaluate_agrees()},
                        {"best_epoch", history.best_epoch},
                        {"epochs", static_cast<int64_t>(history.epochs.size())},
                        {"best_val_loss", json_number(history.best_val_loss)},
                        {"parameters", parameters},
                        {"device", device.str()},
                        {"seed", options.common.seed},
                        {"seconds", seconds},
                        {"history", to_json(monitor.records())},
                        {"stopped", ending_name(end)},
                        {"patience", options.patience},
                        {"max_epochs", options.max_epochs},
                        {"batch_size", options.batch_size},
                        {"lr", options.lr},
                        {"val_size", options.val_size},
                        {"threads", torch::get_num_threads()},
                        {"resumed_from_epoch", monitor.resumed_from()},
                        {"libtorch", fmt::format("{}.{}.{}", TORCH_VERSION_MAJOR,
                                                 TORCH_VERSION_MINOR, TORCH_VERSION_PATCH)},
                        {"world_size", group.world_size()},
                        {"distributed", describe(group)},
                        {"per_class_accuracy", per_class},
                        {"confusion_matrix", confusion_json(test.confusion)}};
  if (!options.metrics.empty()) write_file_atomically(options.metrics, metrics.dump(2) + "\n");
  if (!options.model.empty()) {
    std::ostringstream weights;
    torch::save(model, weights);
    write_file_atomically(options.model, weights.str());
  }
  if (!options.plot.empty()) {
    write_file_atomically(options.plot,
                          training_report_svg(monitor.records(), history.best_epoch, test.confusion,
                                              translated_class_names(), test.accuracy));
  }

  if (!test.evaluate_agrees()) {
    fmt::print(stderr, "{}\n",
               trf("homework: warning: your evaluate() reports a test accuracy of {:.4f}, but the "
                   "model's predictions give {:.4f}; the grade fails until they agree (hint 4)",
                   test.reported_accuracy, test.accuracy));
  }
  if (!options.quiet) {
    if (end == Ending::EarlyStopping) {
      const int64_t without = static_cast<int64_t>(history.epochs.size()) - history.best_epoch;
      fmt::print("{}\n", course::trn("early stopping: no lower validation loss for {} epoch; best "
                                     "was epoch {}",
                                     "early stopping: no lower validation loss for {} epochs; "
                                     "best was epoch {}",
                                     without, without, history.best_epoch));
    }
    fmt::print("\n{}\n{}", trf("Test set, best weights (epoch {}):", history.best_epoch),
               confusion_table(test.confusion, translated_class_names()));
    if (!options.metrics.empty()) fmt::print("{}\n", trf("metrics: {}", options.metrics));
    if (!options.checkpoint.empty()) {
      fmt::print("{}\n", trf("checkpoint: {}", options.checkpoint));
    }
    if (!options.model.empty()) fmt::print("{}\n", trf("model: {}", options.model));
    if (!options.plot.empty()) {
      fmt::print("{}\n", trf("plot: {} (open it in a browser)", options.plot));
    }
    if (group.world_size() > 1) fmt::print("{}\n", summary(group));
  }
  fmt::print("{}{}\n",
             trf("test accuracy {:.4f} | test loss {:.4f} | best epoch {} of {} | {:.1f} s",
                 test.accuracy, test.loss, history.best_epoch, history.epochs.size(), seconds),
             end == Ending::Interrupted ? tr(" | interrupted") : "");
}

}  // namespace homework::harness
