// The worker side of a data-parallel run on PyTorch's c10d (the C++ core of torch.distributed):
// the rendezvous, the backend (Gloo, or NCCL when every rank has a GPU of its own), the
// collectives, and the heartbeat that names a lost peer.
// Students can skip this folder: it is the harness around homework.cpp, not part of the task.
#pragma once

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/distributed_options.h"

namespace homework::harness {

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
  // True when every rank holds bit-for-bit the parameters of rank 0.
  bool parameters_identical(const std::vector<torch::Tensor>& parameters);

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

  // The connection to the other ranks (data_parallel.cpp); public so that join()'s steps can be
  // functions of their own.
  struct Group;

 private:
  std::unique_ptr<Group> group_;
  int rank_ = 0;
  int world_size_ = 1;
  bool flat_ = true;
  GradientStats stats_;
};

// Throws when the ranks ended with different parameters (the all-reduce or the sharding is
// broken). One process: nothing to compare.
void require_identical_parameters(DataParallel& group,
                                  const std::vector<torch::Tensor>& parameters);

// For the metrics JSON: world size, backend, all-reduce mode, calls and milliseconds per step,
// floats and bytes per step. One process: {"world_size": 1}.
nlohmann::json describe(const DataParallel& group);
// One line for the end of a run: processes, backend, all-reduce time per step.
std::string summary(const DataParallel& group);

}  // namespace homework::harness
