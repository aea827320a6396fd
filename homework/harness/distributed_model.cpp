#include "harness/distributed_model.h"

#include <torch/csrc/autograd/engine.h>

namespace homework::harness {

DistributedModel::DistributedModel(DataParallel& group, std::vector<torch::Tensor> parameters,
                                   std::function<bool()> local_stop)
    : group_(group), parameters_(std::move(parameters)), local_stop_(std::move(local_stop)) {
  if (group_.world_size() == 1) return;
  group_.broadcast_parameters(parameters_);
  for (torch::Tensor& parameter : parameters_) {
    // Called with each parameter's gradient during backward(); the first one of a pass queues
    // the all-reduce, which the engine runs once every gradient has been accumulated.
    hooks_.push_back(parameter.register_hook([this](const torch::Tensor&) {
      if (queued_) return;
      queued_ = true;
      torch::autograd::Engine::get_default_engine().queue_callback([this] { after_backward(); });
    }));
  }
}

DistributedModel::~DistributedModel() {
  for (size_t i = 0; i < hooks_.size(); ++i) parameters_[i].remove_hook(hooks_[i]);
}

void DistributedModel::after_backward() {
  queued_ = false;
  agreed_stop_ = group_.average_gradients(parameters_, local_stop_ && local_stop_());
}

bool DistributedModel::stop_agreed() const {
  if (group_.world_size() == 1) return local_stop_ && local_stop_();
  return agreed_stop_;
}

}  // namespace homework::harness
