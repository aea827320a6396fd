// The homework binary: trains the MLP of homework.h on Fashion-MNIST with early stopping and
// reports the test accuracy. Your functions (homework.cpp) do the learning; this file is the
// harness around them, the C++ side of what a Python script would do around its training loop:
//   flags -> data (seeded train/validation split) -> model + Adam -> epochs with early stopping
//   -> best weights back -> test accuracy -> metrics JSON, checkpoint, plot.
//
//   build/solutions/bin/homework                       # defaults: seed 42, batch 32, Adam 1e-3
//   build/solutions/bin/homework --metrics out/metrics.json --checkpoint out/best.pt --plot out/report.svg
//   build/solutions/bin/homework --checkpoint out/best.pt --resume   # go on from the best epoch
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/cli.h"
#include "common/device.h"
#include "common/fashion_mnist.h"
#include "common/lesson.h"
#include "common/progress.h"
#include "homework.h"
#include "tools/batches.h"
#include "tools/checkpoint.h"
#include "tools/data.h"
#include "tools/distributed.h"
#include "tools/files.h"
#include "tools/fused_adam.h"
#include "tools/metrics.h"
#include "tools/options.h"
#include "tools/report.h"

namespace {

using homework::tools::EpochRecord;
using homework::tools::Options;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
namespace tools = homework::tools;

// Ctrl-C: the first one asks the training loop to stop after the current batch; the handler then
// steps aside, so a second Ctrl-C ends the program at once.
volatile std::sig_atomic_t interrupted = 0;

extern "C" void on_interrupt(int) {
  interrupted = 1;
  static const char message[] =
      "\nCtrl-C: stopping after this batch, keeping the best checkpoint (Ctrl-C again quits at "
      "once)\n";
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, message, sizeof(message) - 1);
  std::signal(SIGINT, SIG_DFL);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Calls each part of homework.cpp once on tiny inputs, before any real work, and lists the
// parts that still end in course::not_implemented().
std::vector<std::string> missing_parts() {
  std::vector<std::string> missing;
  auto probe = [&](const std::string& part, const std::function<void()>& body) {
    try {
      body();
    } catch (const course::NotImplemented&) {
      missing.push_back(part);
    }
  };
  probe("TODO 4a  EarlyStopping::update", [] { homework::EarlyStopping(1).update(1.0); });
  probe("TODO 4b  EarlyStopping::should_stop", [] { homework::EarlyStopping(1).should_stop(); });
  std::optional<homework::Mlp> model;
  probe("TODO 1a  MlpImpl::MlpImpl (the three layers)", [&] { model = homework::Mlp(); });
  if (!model) {
    missing.push_back("TODO 1b, 2, 3  forward, train_one_epoch, evaluate (checked once 1a runs)");
    return missing;
  }
  const torch::Tensor images = torch::zeros({2, course::kImagePixels});
  const torch::Tensor labels = torch::zeros({2}, torch::kLong);
  probe("TODO 1b  MlpImpl::forward", [&] { (*model)->forward(images); });
  probe("TODO 2   train_one_epoch", [&] {
    torch::optim::SGD unchanged((*model)->parameters(), torch::optim::SGDOptions(0.0));
    homework::train_one_epoch(*model, unchanged, tools::Batches(images, labels, 2, 0));
  });
  probe("TODO 3   evaluate", [&] { homework::evaluate(*model, images, labels); });
  return missing;
}

std::vector<torch::Tensor> copy_of_parameters(const homework::Mlp& model) {
  std::vector<torch::Tensor> copies;
  for (const torch::Tensor& parameter : model->parameters()) {
    copies.push_back(parameter.detach().clone());
  }
  return copies;
}

// evaluate() on this rank's share of the examples, then the loss and accuracy of all of them
// (one process: evaluate() itself). Every rank gets the same numbers, so the early-stopping
// decision is the same everywhere.
homework::Evaluation evaluate_across_ranks(tools::DataParallel& group, homework::Mlp& model,
                                           const torch::Tensor& images,
                                           const torch::Tensor& labels) {
  if (group.world_size() == 1) return homework::evaluate(model, images, labels);
  const auto [begin, end] = group.shard_range(labels.size(0));
  homework::Evaluation shard;
  if (end > begin) {
    shard = homework::evaluate(model, images.slice(0, begin, end), labels.slice(0, begin, end));
  }
  const double count = static_cast<double>(end - begin);
  const std::vector<double> totals = group.sum({shard.loss * count, shard.accuracy * count, count});
  return {totals[0] / totals[2], totals[1] / totals[2], torch::Tensor()};
}

void restore_parameters(homework::Mlp& model, const std::vector<torch::Tensor>& copies) {
  torch::NoGradGuard no_grad;
  auto parameters = model->parameters();
  for (size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(copies[i]);
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

// The flags a resumed run must share with the run that wrote the checkpoint.
json resume_config(const Options& options) {
  return {{"seed", options.common.seed},
          {"batch_size", options.batch_size},
          {"lr", options.lr},
          {"val_size", options.val_size}};
}

int train(Options options, const tools::DistributedOptions& distributed) {
  const Clock::time_point start = Clock::now();
  const tools::WorkerConfig worker = tools::resolve_worker_config(distributed);
  if (worker.rank != 0) {  // rank 0 speaks and writes for the whole run
    options.quiet = true;
    options.metrics.clear();
    options.plot.clear();
    if (!options.resume) options.checkpoint.clear();
  }
  tools::check_paths(options);  // a wrong output path fails now, not after the training

  const std::vector<std::string> missing = missing_parts();
  if (!missing.empty()) {
    fmt::print("The homework is not finished yet. Still to write in homework/homework.cpp:\n");
    for (const std::string& part : missing) fmt::print("  [ ] {}\n", part);
    fmt::print("The task and the hints: homework/README.md. Rebuild with "
               "`cmake --build --preset student`, then run build/student/bin/homework again.\n");
    throw std::runtime_error(fmt::format(
        "{} part(s) of homework/homework.cpp are not written yet (listed above)", missing.size()));
  }

  options.common.device = tools::worker_device(options.common.device, worker);
  const torch::Device device = course::apply_common_options(options.common, options.quiet);
  // One process: a no-op. Several: rendezvous with the others (a rank missing for --timeout is
  // named in the error).
  const std::unique_ptr<tools::DataParallel> group = tools::DataParallel::join(worker, device);
  // The model first: its initial weights come from the generator just seeded, as in Python's
  // torch.manual_seed(seed); model = ...  The split and the shuffling have generators of their own.
  homework::Mlp model;
  model->to(device);
  group->broadcast_parameters(model->parameters());  // DDP: every rank starts from rank 0's
  // Adam(lr) as in Python; FusedAdam is torch::optim::Adam with each parameter updated in one
  // pass (Python's fused=True), measured faster at batch 32 (README, "Performance").
  tools::FusedAdam optimizer(model->parameters(), torch::optim::AdamOptions(options.lr));
  // What train_one_epoch() steps: the gradients averaged over the ranks, then Adam (one
  // process: Adam alone). A Ctrl-C on any rank stops every rank after the same step.
  tools::AveragingOptimizer averaging(optimizer, *group, [] { return interrupted != 0; });
  int64_t parameters = 0;
  for (const torch::Tensor& parameter : model->parameters()) parameters += parameter.numel();

  const tools::HomeworkData data = tools::load_homework_data(
      course::locate_data_dir(options.common.data_dir), options.val_size, options.common.seed,
      device);
  tools::Batches batches(data.train_images, data.train_labels, options.batch_size,
                         options.common.seed);
  batches.set_shard(group->rank(), group->world_size());  // DistributedSampler
  if (!options.quiet) {
    fmt::print("data: {} train, {} validation, {} test | model: {} parameters | {} batches of {}\n",
               data.train_labels.size(0), data.val_labels.size(0), data.test_labels.size(0),
               parameters, batches.size(), options.batch_size);
    if (group->world_size() > 1) {
      fmt::print(
          "data-parallel: {} ranks ({}), each trains on {} examples per epoch ({} steps of {}, "
          "{} per step together)\n",
          group->world_size(), group->backend(), batches.examples(), batches.size(),
          options.batch_size, options.batch_size * group->world_size());
    }
  }

  homework::EarlyStopping stopping(options.patience);
  std::vector<EpochRecord> history;
  int64_t resumed_from = 0;
  if (options.resume) {
    const tools::CheckpointInfo info =
        tools::load_checkpoint(options.checkpoint, *model, optimizer, device);
    if (info.config != resume_config(options)) {
      throw course::UsageError(fmt::format(
          "--resume: '{}' was written with {}, this run has {}; use the same flags or another "
          "--checkpoint",
          options.checkpoint, info.config.dump(), resume_config(options).dump()));
    }
    history = tools::history_from_json(info.history);
    // Replaying the recorded losses brings the early-stopping rule back to where it was.
    for (const EpochRecord& record : history) stopping.update(record.val_loss);
    resumed_from = info.epoch;
    if (!options.quiet) fmt::print("resumed from '{}' at epoch {}\n", options.checkpoint, info.epoch);
  }
  std::vector<torch::Tensor> best_weights = copy_of_parameters(model);

  interrupted = 0;
  std::signal(SIGINT, on_interrupt);
  std::string stopped = "max_epochs";
  for (int64_t epoch = static_cast<int64_t>(history.size()) + 1; epoch <= options.max_epochs;
       ++epoch) {
    const Clock::time_point epoch_start = Clock::now();
    batches.set_epoch(epoch);
    course::ProgressBar bar(batches.size(),
                            fmt::format("epoch {}/{}", epoch, options.max_epochs));
    const double train_loss = group->mean(
        homework::train_one_epoch(model, averaging, batches,
                                  [&](int64_t done, double running_loss) {
                                    if (!options.quiet) {
                                      bar.update(done, fmt::format("loss {:.4f}", running_loss));
                                    }
                                    return !averaging.stop_agreed();
                                  }),
        batches.examples());
    bar.finish();
    if (averaging.stop_agreed()) {  // this epoch is incomplete: it is not recorded
      stopped = "interrupted";
      break;
    }
    const homework::Evaluation validation =
        evaluate_across_ranks(*group, model, data.val_images, data.val_labels);
    const bool improved = stopping.update(validation.loss);
    history.push_back({epoch, train_loss, validation.loss, validation.accuracy,
                       seconds_since(epoch_start), improved});
    if (!options.quiet) {
      fmt::print("epoch {:3}/{}  train loss {:.4f}  val loss {:.4f}  val acc {:.4f}  {:5.2f} s{}\n",
                 epoch, options.max_epochs, train_loss, validation.loss, validation.accuracy,
                 history.back().seconds, improved ? "  * best" : "");
    }
    if (improved) {
      best_weights = copy_of_parameters(model);
      if (!options.checkpoint.empty() && group->is_main()) {
        tools::save_checkpoint(options.checkpoint, *model, optimizer,
                               {epoch, tools::to_json(history), resume_config(options)});
      }
    }
    if (stopping.should_stop()) {
      stopped = "early_stopping";
      if (!options.quiet) {
        fmt::print("early stopping: no lower validation loss for {} epochs; best was epoch {}\n",
                   epoch - stopping.best_epoch(), stopping.best_epoch());
      }
      break;
    }
  }
  std::signal(SIGINT, SIG_DFL);
  if (!group->parameters_identical(model->parameters())) {
    throw std::runtime_error(
        "the ranks ended with different parameters: the gradient all-reduce or the sharding is "
        "broken");
  }
  const int status = stopped == "interrupted" ? 130 : 0;
  if (!group->is_main()) return status;  // rank 0 tests, writes and reports for everyone

  // Keras' restore_best_weights=True: test the weights of the best epoch, not the last ones.
  restore_parameters(model, best_weights);
  const homework::Evaluation test = homework::evaluate(model, data.test_images, data.test_labels);
  const torch::Tensor confusion = tools::confusion_matrix(test.predictions, data.test_labels);
  const std::vector<double> class_accuracy = tools::per_class_accuracy(confusion);

  json per_class = json::object();
  for (int64_t c = 0; c < course::kNumClasses; ++c) {
    per_class[std::string(course::class_names()[c])] = tools::json_number(class_accuracy[c]);
  }
  const double seconds = seconds_since(start);
  const json metrics = {
      {"test_accuracy", test.accuracy},
      {"test_loss", tools::json_number(test.loss)},
      {"best_epoch", stopping.best_epoch()},
      {"epochs", static_cast<int64_t>(history.size())},
      {"best_val_loss", tools::json_number(stopping.best_loss())},
      {"parameters", parameters},
      {"device", device.str()},
      {"seed", options.common.seed},
      {"seconds", seconds},
      {"history", tools::to_json(history)},
      {"stopped", stopped},
      {"patience", options.patience},
      {"max_epochs", options.max_epochs},
      {"batch_size", options.batch_size},
      {"lr", options.lr},
      {"val_size", options.val_size},
      {"threads", torch::get_num_threads()},
      {"resumed_from_epoch", resumed_from},
      {"libtorch", fmt::format("{}.{}.{}", TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR,
                               TORCH_VERSION_PATCH)},
      {"world_size", group->world_size()},
      {"distributed", tools::describe(*group)},
      {"per_class_accuracy", per_class},
      {"confusion_matrix", confusion_json(confusion)}};
  if (!options.metrics.empty()) tools::write_file_atomically(options.metrics, metrics.dump(2) + "\n");
  if (!options.plot.empty()) {
    tools::write_file_atomically(
        options.plot, tools::training_report_svg(history, stopping.best_epoch(), confusion,
                                                 course::class_names(), test.accuracy));
  }

  if (!options.quiet) {
    fmt::print("\nTest set, best weights (epoch {}):\n{}", stopping.best_epoch(),
               tools::confusion_table(confusion, course::class_names()));
    if (!options.metrics.empty()) fmt::print("metrics: {}\n", options.metrics);
    if (!options.checkpoint.empty()) fmt::print("checkpoint: {}\n", options.checkpoint);
    if (!options.plot.empty()) fmt::print("plot: {} (open it in a browser)\n", options.plot);
  }
  if (!options.quiet && group->world_size() > 1) fmt::print("{}\n", tools::summary(*group));
  fmt::print("test accuracy {:.4f} | test loss {:.4f} | best epoch {} of {} | {:.1f} s{}\n",
             test.accuracy, test.loss, stopping.best_epoch(), history.size(), seconds,
             stopped == "interrupted" ? " | interrupted" : "");
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "The homework: an MLP 784-300-100-10 on Fashion-MNIST, Adam, early stopping on the "
      "validation loss, graded on the test accuracy (>= 0.87).",
      "homework"};
  Options options;
  tools::DistributedOptions distributed;
  tools::add_options(app, options);
  tools::add_distributed_options(app, distributed);
  return course::run_main(app, argc, argv, [&] {
    if (tools::should_launch_workers(distributed)) {  // --nproc N: start N copies of ourselves
      return tools::launch_workers(distributed, argc, argv, app.count("--threads") > 0,
                                   options.quiet);
    }
    return train(options, distributed);
  });
}
