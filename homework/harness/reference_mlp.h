// The homework's model (784 -> 300 -> ReLU -> 100 -> ReLU -> 10, 266610 parameters) for the
// harness's own benchmarks and checks, which must not depend on the student's homework.cpp
// (bench/bench_homework_step.cpp, tests/distributed/worker.cpp). The same layers, in the same
// order, as homework::Mlp in the reference solution.
#pragma once

#include <torch/torch.h>

namespace homework::harness {

struct ReferenceMlpImpl : torch::nn::Module {
  // One statement per layer: construction order fixes the initialisation order, as in Python.
  ReferenceMlpImpl() {
    hidden1 = register_module("hidden1", torch::nn::Linear(784, 300));
    hidden2 = register_module("hidden2", torch::nn::Linear(300, 100));
    output = register_module("output", torch::nn::Linear(100, 10));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(hidden1(x));
    x = torch::relu(hidden2(x));
    return output(x);
  }
  torch::nn::Linear hidden1{nullptr}, hidden2{nullptr}, output{nullptr};
};
TORCH_MODULE(ReferenceMlp);

}  // namespace homework::harness
