// DistributedModel: what DistributedDataParallel does around a model, for a training loop
// that stays as it is.
// Students can skip this folder: it is the harness around homework.cpp, not part of the task.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <vector>

#include "harness/data_parallel.h"

namespace homework::harness {

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

}  // namespace homework::harness
