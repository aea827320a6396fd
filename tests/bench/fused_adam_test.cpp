// FusedAdam (bench/fused_adam.h), the measured comparison for torch::optim::Adam: it must follow
// Adam step for step, or its figures compare nothing. Built with the benchmarks (label bench).
#include "fused_adam.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "harness/checkpoint.h"

namespace bench {
using homework::harness::load_checkpoint;
using homework::harness::save_checkpoint;
namespace {

using course::testing::TempDir;

// A small model and `steps` Adam steps on fixed data; returns the model.
template <typename Optimizer>
torch::nn::Sequential run_adam(int steps, torch::optim::AdamOptions options) {
  torch::manual_seed(5);
  torch::nn::Sequential model(torch::nn::Linear(20, 30), torch::nn::ReLU(),
                              torch::nn::Linear(30, 4));
  const torch::Tensor x = torch::randn({16, 20});
  const torch::Tensor y = torch::randint(4, {16});
  Optimizer optimizer(model->parameters(), options);
  for (int i = 0; i < steps; ++i) {
    optimizer.zero_grad();
    torch::nn::functional::cross_entropy(model->forward(x), y).backward();
    optimizer.step();
  }
  return model;
}

void expect_close(const torch::nn::Sequential& a, const torch::nn::Sequential& b, double atol) {
  auto left = a->parameters(), right = b->parameters();
  ASSERT_EQ(left.size(), right.size());
  for (size_t i = 0; i < left.size(); ++i) {
    EXPECT_TRUE(torch::allclose(left[i], right[i], /*rtol=*/0, atol))
        << "parameter " << i << ": largest difference "
        << (left[i] - right[i]).abs().max().item<double>();
  }
}

TEST(FusedAdam, FollowsTorchAdamStepForStep) {
  const auto options = torch::optim::AdamOptions(1e-2);
  const auto reference = run_adam<torch::optim::Adam>(30, options);
  const auto fused = run_adam<FusedAdam>(30, options);
  expect_close(fused, reference, 1e-5);
  // ... and it did move: 30 steps of lr 0.01 are far from the start.
  const auto start = run_adam<FusedAdam>(0, options);
  EXPECT_FALSE(torch::allclose(fused->parameters()[0], start->parameters()[0], 0, 1e-3));
}

TEST(FusedAdam, WeightDecayAndAmsgradTakeTheReferencePathAndStillMatch) {
  const auto options = torch::optim::AdamOptions(1e-2).weight_decay(0.1).amsgrad(true);
  expect_close(run_adam<FusedAdam>(10, options), run_adam<torch::optim::Adam>(10, options), 1e-5);
}

TEST(FusedAdam, ItsStateIsTorchAdamsStateInCheckpoints) {
  TempDir dir;
  torch::manual_seed(6);
  torch::nn::Linear model(5, 3), twin(5, 3);
  {
    torch::NoGradGuard no_grad;
    twin->weight.copy_(model->weight);
    twin->bias.copy_(model->bias);
  }
  FusedAdam fused(model->parameters(), torch::optim::AdamOptions(0.1));
  torch::optim::Adam reference(twin->parameters(), torch::optim::AdamOptions(0.1));
  const torch::Tensor x = torch::randn({8, 5});
  for (int i = 0; i < 3; ++i) {
    fused.zero_grad();
    model(x).pow(2).mean().backward();
    fused.step();
  }
  save_checkpoint(dir.path() / "fused.pt", *model, fused, {});
  load_checkpoint(dir.path() / "fused.pt", *twin, reference, torch::kCPU);  // into plain Adam
  for (int i = 0; i < 2; ++i) {
    fused.zero_grad();
    model(x).pow(2).mean().backward();
    fused.step();
    reference.zero_grad();
    twin(x).pow(2).mean().backward();
    reference.step();
  }
  EXPECT_TRUE(torch::allclose(model->weight, twin->weight, 0, 1e-6));
}

TEST(FusedAdam, LeavesParametersWithoutGradientAlone) {
  torch::nn::Linear used(3, 2), unused(3, 2);
  std::vector<torch::Tensor> parameters = used->parameters();
  for (const auto& p : unused->parameters()) parameters.push_back(p);
  FusedAdam optimizer(parameters, torch::optim::AdamOptions(0.1));
  const torch::Tensor before = unused->weight.detach().clone();
  used(torch::ones({1, 3})).sum().backward();
  optimizer.step();
  EXPECT_TRUE(torch::equal(unused->weight, before));
}

}  // namespace
}  // namespace bench
