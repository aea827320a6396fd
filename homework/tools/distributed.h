// Data-parallel training over several processes and machines, on PyTorch's own c10d (the C++
// core of torch.distributed) with the Gloo backend (NCCL when every rank is on its own GPU).
// What a Python user writes as
//   torchrun --nproc-per-node 2 train.py        # or MASTER_ADDR=... RANK=... on each machine
//   dist.init_process_group("gloo")             # rendezvous through a TCPStore
//   model = DistributedDataParallel(model)      # broadcast of rank 0's weights, averaged grads
//   sampler = DistributedSampler(train, drop_last=True); sampler.set_epoch(epoch)
// is here:
//   - launch_workers(): `homework --nproc N` starts N copies of itself with RANK, WORLD_SIZE, ...
//   - DataParallel::join(): rendezvous, backend, heartbeat; a rank that dies or never arrives
//     makes the others fail within --timeout with a message naming it;
//   - DistributedModel: rank 0's weights broadcast, then the gradients averaged over the ranks
//     in one flat all-reduce after every backward pass; Batches::set_shard() (tools/batches.h);
//   - DataParallel::sum(): the validation loss summed over ranks, so early stopping agrees.
// With one process (no flags, no environment) every call is a no-op and nothing is started.
#pragma once

#include <torch/torch.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace homework::tools {

// The flags. Each one but --nproc/--timeout/--backend/--allreduce has the environment variable
// torchrun sets as its fallback; a flag wins over the variable.
struct DistributedOptions {
  int nproc = 1;                 // --nproc: worker processes to start on this machine
  int world_size = 0;            // --world-size / WORLD_SIZE (0: unset)
  int rank = -1;                 // --rank / RANK (-1: unset)
  int local_rank = -1;           // --local-rank / LOCAL_RANK (-1: unset, then the rank)
  std::string master_addr;       // --master-addr / MASTER_ADDR (default 127.0.0.1)
  int master_port = 0;           // --master-port / MASTER_PORT (default 29500; 0 with --nproc: any)
  double timeout = 60.0;         // --timeout: seconds before a silent peer counts as lost
  std::string backend = "auto";  // --backend: auto | gloo | nccl
  std::string allreduce = "flat";  // --allreduce: flat (one buffer per step) | per-parameter
};

void add_distributed_options(CLI::App& app, DistributedOptions& options);

// Where this process stands, from the flags and the environment.
struct WorkerConfig {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  uint16_t master_port = 29500;
  bool launcher_hosts_store = false;  // TORCHELASTIC_USE_AGENT_STORE=True, as torchrun sets it
  std::chrono::milliseconds timeout{60000};
  std::string backend = "auto";
  bool flat_allreduce = true;
};

// Throws course::UsageError naming the flag or variable when a value is wrong.
WorkerConfig resolve_worker_config(const DistributedOptions& options);

// The device a worker trains on: `requested`, except that "cuda" / "auto" on a machine with
// several GPUs becomes "cuda:<local rank mod GPUs>", so the ranks of one machine share them out.
std::string worker_device(const std::string& requested, const WorkerConfig& config);

// True when this process is the launcher: --nproc > 1 and no rank given (flag or RANK).
bool should_launch_workers(const DistributedOptions& options);

// The launcher (torchrun --nproc-per-node N): hosts the rendezvous store, starts N copies of
// this program (/proc/self/exe, same arguments) with RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR,
// MASTER_PORT set, and `--threads T` added unless `threads_given` (T = cores / N, at least 1, so
// N processes do not oversubscribe the cores). Waits for all of them; once one fails, the others
// get --timeout plus a grace period to stop on their own, then are terminated. Returns 0 when
// every worker succeeded, else the first failure's status (128 + signal if one was killed).
int launch_workers(const DistributedOptions& options, int argc, char** argv, bool threads_given,
                   bool quiet);

// The worker side of a data-parallel run. Default-constructed: one process, no-ops.
class DataParallel {
 public:
  DataParallel();
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  // Rendezvous: connects to the store (rank 0 hosts it unless the launcher does), checks that
  // every rank arrives within the timeout (naming those that do not), picks the backend and
  // connects the ranks. `device`: where this rank trains (decides Gloo or NCCL).
  static std::unique_ptr<DataParallel> join(const WorkerConfig& config,
                                            const torch::Device& device);

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  bool is_main() const { return rank_ == 0; }
  std::string backend() const;  // "gloo", "nccl", or "none" for one process

  // Python's DDP constructor: every rank takes rank 0's values.
  void broadcast_parameters(const std::vector<torch::Tensor>& parameters);
  // Replaces each parameter's gradient by its mean over the ranks. `stop` is this rank's wish
  // to end the epoch (Ctrl-C); it travels with the gradients, and the return value says whether
  // any rank asked, so every rank stops after the same step.
  bool average_gradients(const std::vector<torch::Tensor>& parameters, bool stop);
  // Element-wise sums over the ranks (in double precision).
  std::vector<double> sum(std::vector<double> values);
  // The mean of `value` over the ranks, each weighted by its `count` (one process: `value`).
  double mean(double value, int64_t count);
  // True when every rank holds bit-for-bit the parameters of rank 0.
  bool parameters_identical(const std::vector<torch::Tensor>& parameters);

  // The part [begin, end) of `count` items this rank evaluates: contiguous, sizes differ by at
  // most one. One process: [0, count).
  std::pair<int64_t, int64_t> shard_range(int64_t count) const;

  // The gradient all-reduce so far: steps, collective calls, seconds (waiting for the slowest
  // rank included), floats per step.
  struct GradientStats {
    int64_t steps = 0;
    int64_t calls = 0;
    double seconds = 0.0;
    int64_t floats_per_step = 0;
  };
  const GradientStats& gradient_stats() const { return stats_; }
  bool flat_allreduce() const { return flat_; }
  void set_flat_allreduce(bool flat) { flat_ = flat; }  // --allreduce; benchmarks switch it

 private:
  struct Group;
  std::unique_ptr<Group> group_;
  int rank_ = 0;
  int world_size_ = 1;
  bool flat_ = true;
  GradientStats stats_;
};

// Throws when the ranks ended with different parameters (the all-reduce or the sharding is
// broken). One process: nothing to compare.
void require_identical_parameters(DataParallel& group, const std::vector<torch::Tensor>& parameters);

// For the metrics JSON: world size, backend, all-reduce mode, calls and milliseconds per step,
// floats and bytes per step. One process: {"world_size": 1}.
nlohmann::json describe(const DataParallel& group);
// One line for the end of a run: processes, backend, all-reduce time per step.
std::string summary(const DataParallel& group);

// Python's DistributedDataParallel(model), for a model whose training loop stays as it is:
// broadcasts rank 0's parameters to every rank, then averages each gradient over the ranks at
// the end of every backward pass (a hook on the parameters queues the all-reduce after the last
// gradient, as DDP's reducer does), so that every rank's optimizer takes the same step.
// `local_stop` is this rank's wish to stop (Ctrl-C); it travels with the gradients, and
// stop_agreed() says whether any rank asked as of the last backward pass (one process: no hooks,
// and stop_agreed() is local_stop() right now).
class DistributedModel {
 public:
  DistributedModel(DataParallel& group, std::vector<torch::Tensor> parameters,
                   std::function<bool()> local_stop = {});
  ~DistributedModel();
  DistributedModel(const DistributedModel&) = delete;
  DistributedModel& operator=(const DistributedModel&) = delete;

  bool stop_agreed() const;

 private:
  void after_backward();

  DataParallel& group_;
  std::vector<torch::Tensor> parameters_;
  std::vector<unsigned> hooks_;
  std::function<bool()> local_stop_;
  bool queued_ = false;
  bool agreed_stop_ = false;
};

}  // namespace homework::tools
