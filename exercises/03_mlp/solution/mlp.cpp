// Exercise 03, reference solution.
#include "mlp.h"

namespace exercises::mlp {

namespace F = torch::nn::functional;

NetImpl::NetImpl(int64_t inputs, int64_t hidden, int64_t outputs) {
  // register_module names the layer ("fc1.weight" in named_parameters()) and makes its
  // parameters part of this module's parameters(), as assigning self.fc1 does in Python.
  fc1 = register_module("fc1", torch::nn::Linear(inputs, hidden));
  fc2 = register_module("fc2", torch::nn::Linear(hidden, outputs));
}

torch::Tensor NetImpl::forward(torch::Tensor x) {
  x = F::relu(fc1(x));  // functional: ReLU has no parameters, so it needs no member
  return fc2(x);
}

ScaleShiftImpl::ScaleShiftImpl(int64_t features) {
  // register_parameter is nn.Parameter: the tensor joins parameters() and requires grad.
  scale = register_parameter("scale", torch::ones({features}));
  shift = register_parameter("shift", torch::zeros({features}));
}

torch::Tensor ScaleShiftImpl::forward(const torch::Tensor& x) {
  return x * scale + shift;
}

torch::nn::Sequential make_sequential(int64_t inputs, int64_t hidden, int64_t outputs) {
  // One statement per layer: C++ evaluates a call's arguments in an unspecified order, and
  // each Linear draws its initial weights from the generator when it is built.
  torch::nn::Linear first(inputs, hidden);
  torch::nn::Linear second(hidden, outputs);
  return torch::nn::Sequential(first, torch::nn::ReLU(), second);
}

int64_t count_parameters(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const torch::Tensor& parameter : module.parameters()) count += parameter.numel();
  return count;
}

void copy_weights(const Net& from, torch::nn::Sequential& to) {
  // In-place writes to parameters (leaves that require grad) are allowed only without grad.
  torch::NoGradGuard no_grad;
  auto* first = to[0]->as<torch::nn::Linear>();
  auto* second = to[2]->as<torch::nn::Linear>();
  first->weight.copy_(from->fc1->weight);
  first->bias.copy_(from->fc1->bias);
  second->weight.copy_(from->fc2->weight);
  second->bias.copy_(from->fc2->bias);
}

torch::Tensor dropout_forward(torch::nn::Dropout dropout, const torch::Tensor& x, bool training) {
  dropout->train(training);  // train(false) is what eval() does
  return dropout(x);
}

torch::Tensor batch_norm_forward(torch::nn::BatchNorm1d batch_norm, const torch::Tensor& x,
                                 bool training) {
  batch_norm->train(training);
  return batch_norm(x);
}

}  // namespace exercises::mlp
