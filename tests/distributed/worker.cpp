// A short data-parallel training run for the distributed checks: the homework's model shapes
// (784-300-100-10, 266610 parameters) on synthetic data, Adam, the sharded batches and the
// averaging optimizer of homework/harness/distributed.h, without the student's code. Every rank
// starts from a different seed (seed + rank), so only the broadcast can make them agree.
//   distributed_worker --nproc 2 --steps 30 --batch-size 16 --out DIR
// writes DIR/seeded<R>.bin, DIR/initial<R>.bin and DIR/rank<R>.bin (each rank's parameters, raw
// float32: from its own seed, after rank 0's broadcast, at the end) and, after the first step,
// DIR/ready<R> holding its process id (so a check knows training is under way, and whom to stop).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/cli.h"
#include "harness/batches.h"
#include "harness/distributed.h"
#include "harness/reference_mlp.h"

namespace {

namespace harness = homework::harness;

struct WorkerOptions {
  int64_t steps = 30;
  int64_t batch_size = 16;
  int64_t examples = 640;
  uint64_t seed = 1;
  int threads = 1;
  std::string out;
};

void write_parameters(const std::string& path, const std::vector<torch::Tensor>& parameters) {
  std::vector<torch::Tensor> pieces;
  for (const torch::Tensor& parameter : parameters)
    pieces.push_back(parameter.detach().reshape(-1));
  const torch::Tensor flat = torch::cat(pieces).contiguous();
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(flat.data_ptr<float>()),
            static_cast<std::streamsize>(flat.numel() * sizeof(float)));
  if (!out) throw std::runtime_error(fmt::format("cannot write '{}'", path));
}

int run(const WorkerOptions& options, const harness::DistributedOptions& distributed) {
  const harness::WorkerConfig config = harness::resolve_worker_config(distributed);
  torch::set_num_threads(options.threads);
  const auto group = harness::DataParallel::join(config, torch::kCPU);

  torch::manual_seed(options.seed + static_cast<uint64_t>(group->rank()));
  harness::ReferenceMlp model;
  if (!options.out.empty()) {
    write_parameters(fmt::format("{}/seeded{}.bin", options.out, group->rank()),
                     model->parameters());
  }
  harness::DistributedModel replicated(*group, model->parameters());  // DDP: rank 0's weights
  if (!options.out.empty()) {
    write_parameters(fmt::format("{}/initial{}.bin", options.out, group->rank()),
                     model->parameters());
  }

  // The same synthetic data on every rank, from a generator of its own.
  auto generator = at::detail::createCPUGenerator(12345);
  const torch::Tensor images = torch::randn({options.examples, 784}, generator);
  const torch::Tensor labels = torch::randint(0, 10, {options.examples}, generator);
  harness::Batches batches(images, labels, options.batch_size, options.seed);
  batches.set_shard(group->rank(), group->world_size());

  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  int64_t step = 0;
  for (int64_t epoch = 1; step < options.steps; ++epoch) {
    batches.set_epoch(epoch);
    for (const harness::Batch& batch : batches) {
      if (step == options.steps) break;
      optimizer.zero_grad();
      torch::nn::functional::cross_entropy(model->forward(batch.images), batch.labels).backward();
      optimizer.step();
      if (++step == 1 && !options.out.empty()) {
        const std::string ready = fmt::format("{}/ready{}", options.out, group->rank());
        std::ofstream(ready + ".tmp") << ::getpid();
        std::filesystem::rename(ready + ".tmp", ready);  // complete once it has its name
      }
    }
  }
  const bool identical = group->parameters_identical(model->parameters());
  if (!options.out.empty()) {
    write_parameters(fmt::format("{}/rank{}.bin", options.out, group->rank()), model->parameters());
  }
  fmt::print("rank {} of {}: {} steps, parameters identical: {}\n", group->rank(),
             group->world_size(), step, identical ? "yes" : "NO");
  return identical ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A short data-parallel run for the distributed checks", "distributed_worker"};
  WorkerOptions options;
  harness::DistributedOptions distributed;
  app.add_option("--steps", options.steps)->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  app.add_option("--batch-size", options.batch_size)->check(CLI::Range(1, 1 << 20));
  app.add_option("--examples", options.examples)->check(CLI::Range(1, 1 << 24));
  app.add_option("--seed", options.seed);
  app.add_option("--threads", options.threads)->check(CLI::Range(1, 1024));
  app.add_option("--out", options.out, "Folder for rank<R>.bin and ready<R>");
  harness::add_distributed_options(app, distributed);
  return course::run_main(app, argc, argv, [&] {
    if (harness::should_launch_workers(distributed)) {
      return harness::launch_workers(distributed, argc, argv, app.count("--threads") > 0, true);
    }
    return run(options, distributed);
  });
}
