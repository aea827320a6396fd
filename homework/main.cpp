// The homework binary: your fit() (homework.cpp) trains the MLP on Fashion-MNIST; this file is
// the harness around it, what a Python script does around its training:
//   flags -> data (seeded train/validation split) -> your model and your Adam -> your fit()
//   -> the test accuracy, counted here from the model's predictions -> metrics, model, plot.
//
//   build/solutions/bin/homework                   # defaults: seed 42, batch 32, Adam 1e-3
//   build/solutions/bin/homework --metrics out/m.json --model out/m.pt --plot out/report.svg
//   build/solutions/bin/homework --checkpoint out/best.pt --resume   # on from the best epoch
//   build/solutions/bin/homework --nproc 2                           # data-parallel, 2 ranks
#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "common/cli.h"
#include "common/fashion_mnist.h"
#include "common/language.h"
#include "harness/batches.h"
#include "harness/data.h"
#include "harness/distributed.h"
#include "harness/options.h"
#include "harness/run.h"
#include "homework.h"

namespace {

namespace harness = homework::harness;

int train(harness::Options options, const harness::DistributedOptions& distributed) {
  const auto start = std::chrono::steady_clock::now();
  // With several processes (--nproc, torchrun), which one this is; one process: rank 0 of 1.
  const harness::WorkerConfig worker = harness::prepare_worker(options, distributed);
  harness::require_finished_homework();
  const torch::Device device = course::apply_common_options(options.common, options.quiet);
  const std::unique_ptr<harness::DataParallel> group = harness::DataParallel::join(worker, device);

  // The model first: its initial weights come from the generator just seeded, as in Python's
  // torch.manual_seed(seed); model = Mlp(). Moved to the device before the optimizer is built,
  // so that Adam holds the parameters that train.
  homework::Mlp model;
  model->to(device);
  // Python's DistributedDataParallel(model): rank 0's weights everywhere, gradients averaged
  // over the ranks after every backward(). With one process it does nothing.
  harness::DistributedModel replicated(*group, model->parameters(),
                                       harness::TrainingMonitor::interrupted_here);
  torch::optim::Adam optimizer = homework::make_optimizer(model, options.lr);

  const harness::HomeworkData data =
      harness::load_homework_data(course::locate_data_dir(options.common.data_dir),
                                  options.val_size, options.common.seed, device);
  harness::Batches train_batches(data.train.images, data.train.labels, options.batch_size,
                                 options.common.seed);
  train_batches.set_shard(group->rank(), group->world_size());  // Python's DistributedSampler
  if (!options.quiet) {
    fmt::print("{}\n",
               course::trf("data: {} train, {} validation, {} test | model: {} parameters | "
                           "{} batches of {} on each of {} rank(s)",
                           data.train.size(), data.validation.size(), data.test.size(),
                           homework::kParameterCount, train_batches.size(), options.batch_size,
                           group->world_size()));
  }

  harness::TrainingMonitor monitor(options, *group, *model, optimizer, train_batches);
  monitor.follow(replicated);
  homework::FitOptions fit_options;
  fit_options.patience = options.patience;
  fit_options.max_epochs = options.max_epochs;
  if (options.resume) fit_options.resumed = monitor.resume(device);

  const homework::History history =
      homework::fit(model, optimizer, train_batches, data.validation, fit_options, monitor);

  harness::require_identical_parameters(*group, model->parameters());
  const int status = monitor.interrupted() ? 130 : 0;
  if (!group->is_main()) return status;  // rank 0 tests, writes and reports for everyone

  const harness::TestResult test = harness::test_model(model, data.test);
  harness::write_results(options, history, monitor, test, model, *group, device, start);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      course::N_("The homework: an MLP 784-300-100-10 on Fashion-MNIST, Adam, early "
                 "stopping on the validation loss, graded on the test accuracy (>= 0.87)."),
      "homework"};
  harness::Options options;
  harness::DistributedOptions distributed;
  harness::add_options(app, options);
  harness::add_distributed_options(app, distributed);
  return course::run_main(app, argc, argv, [&] {
    if (harness::should_launch_workers(distributed)) {  // --nproc N: start N copies of ourselves
      return harness::launch_workers(distributed, argc, argv, app.count("--threads") > 0,
                                     options.quiet);
    }
    return train(options, distributed);
  });
}
