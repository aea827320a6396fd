// The gradient all-reduce of data-parallel training on its own: the homework's six gradient
// tensors (266610 floats) averaged over the ranks with DataParallel::average_gradients(), once
// as one flat buffer per step (1 call) and once tensor by tensor (6 calls + the stop flag).
// Several processes, so not a Google Benchmark:
//   build/solutions/bin/bench_allreduce --nproc 2 --steps 1000
// Rank 0 prints milliseconds per step for each mode, the bytes moved, and the context switches.
#include <sys/resource.h>

#include <chrono>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/cli.h"
#include "harness/distributed.h"

namespace {

namespace harness = homework::harness;
using Clock = std::chrono::steady_clock;

struct Switches {
  long voluntary = 0, involuntary = 0;
};

Switches context_switches() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return {usage.ru_nvcsw, usage.ru_nivcsw};
}

int run(int64_t steps, int64_t warmup, const harness::DistributedOptions& distributed) {
  const harness::WorkerConfig config = harness::resolve_worker_config(distributed);
  torch::set_num_threads(1);
  const auto group = harness::DataParallel::join(config, torch::kCPU);
  // The homework's parameters and a gradient for each (784-300-100-10).
  std::vector<torch::Tensor> parameters;
  for (const std::vector<int64_t>& shape :
       std::vector<std::vector<int64_t>>{{300, 784}, {300}, {100, 300}, {100}, {10, 100}, {10}}) {
    torch::Tensor parameter = torch::zeros(shape).requires_grad_();
    parameter.mutable_grad() = torch::randn(shape);
    parameters.push_back(parameter);
  }
  for (const bool flat : {true, false}) {
    group->set_flat_allreduce(flat);
    for (int64_t step = 0; step < warmup; ++step) group->average_gradients(parameters, false);
    group->sum({0.0});  // everyone starts the timed loop together
    const Switches before = context_switches();
    const Clock::time_point start = Clock::now();
    for (int64_t step = 0; step < steps; ++step) group->average_gradients(parameters, false);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const Switches after = context_switches();
    if (group->is_main()) {
      fmt::print(
          "{:<13} {:8.3f} ms per step  {} call(s) per step  {:.2f} MB per step in  "
          "{:6.0f} voluntary + {:4.0f} involuntary context switches per step (rank 0)\n",
          flat ? "flat" : "per-parameter", 1000.0 * seconds / steps, flat ? 1 : 7, 266611 * 4 / 1e6,
          static_cast<double>(after.voluntary - before.voluntary) / steps,
          static_cast<double>(after.involuntary - before.involuntary) / steps);
    }
  }
  if (group->is_main()) {
    fmt::print("{} ranks, backend {}, {} steps after {} warm-up steps\n", group->world_size(),
               group->backend(), steps, warmup);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times the gradient all-reduce: flat buffer vs one call per tensor",
               "bench_allreduce"};
  int64_t steps = 1000;
  int64_t warmup = 50;
  harness::DistributedOptions distributed;
  distributed.nproc = 2;
  app.add_option("--steps", steps, "Timed steps per mode")->capture_default_str();
  app.add_option("--warmup", warmup, "Untimed steps first")->capture_default_str();
  harness::add_distributed_options(app, distributed);
  return course::run_main(app, argc, argv, [&] {
    if (harness::should_launch_workers(distributed)) {
      return harness::launch_workers(distributed, argc, argv, true, true);
    }
    return run(steps, warmup, distributed);
  });
}
