// Exercise 02, reference solution.
#include "autograd.h"

namespace exercises::autograd {

torch::Tensor cube_gradient_at(double x) {
  torch::Tensor leaf = torch::tensor({x}, torch::requires_grad());
  torch::Tensor y = leaf.pow(3);
  y.backward();  // y has one element, so backward() needs no gradient argument
  return leaf.grad();
}

AccumulatedGradients accumulate_cube_gradients(double x) {
  torch::Tensor leaf = torch::tensor({x}, torch::requires_grad());
  AccumulatedGradients result;
  leaf.pow(3).backward();
  // grad() is the live buffer that the next backward adds into: clone() keeps this value.
  result.after_first_backward = leaf.grad().clone();
  leaf.pow(3).backward();
  result.after_second_backward = leaf.grad().clone();
  leaf.grad().zero_();  // in place: the gradient buffer itself
  result.after_zeroing = leaf.grad().clone();
  return result;
}

torch::Tensor backward_twice(double x, bool retain_graph) {
  torch::Tensor leaf = torch::tensor({x}, torch::requires_grad());
  torch::Tensor y = leaf.pow(3);
  y.backward({}, retain_graph);
  y.backward();  // throws c10::Error when the first call freed the graph
  return leaf.grad();
}

torch::Tensor backward_twice_by_recomputing(
    const torch::Tensor& leaf, const std::function<torch::Tensor(const torch::Tensor&)>& forward) {
  for (int pass = 0; pass < 2; ++pass) forward(leaf).backward();  // a fresh graph each time
  return leaf.grad();
}

torch::Tensor cube_without_grad(const torch::Tensor& x) {
  torch::NoGradGuard no_grad;  // like `with torch.no_grad():`, until the end of this scope
  return x.pow(3);
}

torch::Tensor gradient_through_detach(double x) {
  torch::Tensor leaf = torch::tensor({x}, torch::requires_grad());
  (leaf * leaf.detach()).backward();
  return leaf.grad();
}

std::string grad_fn_name(const torch::Tensor& tensor) {
  return tensor.grad_fn() ? tensor.grad_fn()->name() : "None";
}

DynamicGradient double_until_large(double x) {
  torch::Tensor leaf = torch::tensor({x}, torch::requires_grad());
  torch::Tensor y = leaf;
  int64_t steps = 0;
  while (y.abs().item<double>() < 100) {  // the data decide how many times this runs
    y = y * 2;
    ++steps;
  }
  y.backward();
  return {steps, leaf.grad()};
}

torch::Tensor gradient_by_autograd(const torch::Tensor& x) {
  torch::Tensor leaf = x.detach().clone().requires_grad_(true);
  sum_of_squares_times_sine(leaf).backward();
  return leaf.grad();
}

torch::Tensor gradient_by_finite_differences(const torch::Tensor& x, double eps) {
  torch::NoGradGuard no_grad;
  torch::Tensor point = x.detach().to(torch::kFloat64).flatten();
  torch::Tensor gradient = torch::zeros_like(point);
  for (int64_t i = 0; i < point.numel(); ++i) {
    torch::Tensor step = torch::zeros_like(point);
    step[i] = eps;
    const double forward = sum_of_squares_times_sine(point + step).item<double>();
    const double backward = sum_of_squares_times_sine(point - step).item<double>();
    gradient[i] = (forward - backward) / (2.0 * eps);
  }
  return gradient.view(x.sizes());
}

}  // namespace exercises::autograd
