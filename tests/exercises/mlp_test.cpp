// Exercise 03: the custom MLP and its Sequential twin: layers, parameter names and counts,
// forward values, weight copying, and what train()/eval() does to Dropout. Each test calls the
// exercise, so each fails until its code is written.
#include "mlp.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/device.h"
#include "support/test_device.h"

namespace exercises::mlp {
namespace {

using Shape = std::vector<int64_t>;

std::vector<Shape> shapes_of(const std::vector<torch::Tensor>& tensors) {
  std::vector<Shape> shapes;
  for (const auto& tensor : tensors) shapes.push_back(tensor.sizes().vec());
  return shapes;
}

std::vector<std::string> names_of(const torch::OrderedDict<std::string, torch::Tensor>& named) {
  return named.keys();
}

TEST(Mlp, NetHasTwoLinearLayersWithTheRightShapes) {
  Net net(784, 128, 10);
  std::vector<torch::Tensor> parameters = net->parameters();
  // nn.Linear(in, out) stores weight as [out, in], so that forward computes x @ weight.T + bias.
  EXPECT_EQ(shapes_of(parameters), (std::vector<Shape>{{128, 784}, {128}, {10, 128}, {10}}))
      << "parameters() must hold both layers' weights and biases: a layer counts only once it "
         "is registered, fc1 = register_module(\"fc1\", ...) (hint 2)";
  for (const auto& parameter : parameters) {
    EXPECT_TRUE(parameter.requires_grad()) << "a parameter is a tensor that requires grad";
    EXPECT_EQ(parameter.dtype(), torch::kFloat32);
  }
  EXPECT_EQ(shapes_of(Net(20, 5, 3)->parameters()),
            (std::vector<Shape>{{5, 20}, {5}, {3, 5}, {3}}));
}

TEST(Mlp, NamedParametersAreFc1AndFc2WeightAndBias) {
  Net net;
  EXPECT_EQ(names_of(net->named_parameters()),
            (std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}));
  std::vector<std::string> children;
  for (const auto& child : net->named_children()) children.push_back(child.key());
  EXPECT_EQ(children, (std::vector<std::string>{"fc1", "fc2"}))
      << "two registered layers; the ReLU is a function, not a layer";
}

TEST(Mlp, ParameterCountIs101770ForHidden128) {
  // 784 * 128 + 128 + 128 * 10 + 10
  EXPECT_EQ(count_parameters(*Net(784, 128, 10)), 101770)
      << "count the numbers each parameter holds, p.numel(), not the tensors (hint 3)";
  EXPECT_EQ(count_parameters(*Net(784, 300, 10)), 238510);
  EXPECT_EQ(count_parameters(*torch::nn::Linear(3, 2)), 8);
  EXPECT_EQ(count_parameters(*torch::nn::ReLU()), 0);
}

TEST(Mlp, ForwardGivesTenLogitsPerImage) {
  Net net;
  torch::Tensor logits = net->forward(torch::randn({32, 784}));
  EXPECT_EQ(logits.sizes().vec(), (Shape{32, 10}));
  EXPECT_EQ(logits.dtype(), torch::kFloat32);
  EXPECT_EQ(net(torch::randn({1, 784})).sizes().vec(), (Shape{1, 10}));
}

TEST(Mlp, ForwardIsLinearThenReluThenLinear) {
  torch::manual_seed(1);
  Net net(6, 4, 3);
  torch::Tensor x = torch::randn({5, 6});
  torch::NoGradGuard no_grad;
  torch::Tensor hidden = torch::clamp_min(x.matmul(net->fc1->weight.t()) + net->fc1->bias, 0.0);
  torch::Tensor expected = hidden.matmul(net->fc2->weight.t()) + net->fc2->bias;
  EXPECT_TRUE(torch::allclose(net->forward(x), expected, 1e-5, 1e-6))
      << net->forward(x) << expected
      << "\nforward must be fc1, then the ReLU (F::relu), then fc2 (hint 1)";
}

TEST(Mlp, ForwardRunsOnTheSelectedDevice) {
  const torch::Device device = course::testing::test_device();
  Net net;
  net->to(device);
  torch::Tensor logits = net->forward(torch::randn({8, 784}, torch::TensorOptions(device)));
  EXPECT_EQ(logits.device().type(), device.type()) << logits.device() << " vs " << device;
  if (device.has_index()) {
    EXPECT_EQ(logits.device().index(), device.index());
  }
  EXPECT_EQ(logits.sizes().vec(), (Shape{8, 10}));
}

TEST(Mlp, SequentialIsLinearReluLinear) {
  torch::nn::Sequential sequential = make_sequential(784, 128, 10);
  ASSERT_EQ(sequential->size(), 3u);
  EXPECT_NE(sequential[0]->as<torch::nn::Linear>(), nullptr);
  EXPECT_NE(sequential[1]->as<torch::nn::ReLU>(), nullptr);
  EXPECT_NE(sequential[2]->as<torch::nn::Linear>(), nullptr);
  EXPECT_EQ(names_of(sequential->named_parameters()),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  EXPECT_EQ(shapes_of(sequential->parameters()),
            (std::vector<Shape>{{128, 784}, {128}, {10, 128}, {10}}));
  EXPECT_EQ(count_parameters(*sequential), 101770);
  EXPECT_EQ(sequential->forward(torch::randn({2, 784})).sizes().vec(), (Shape{2, 10}));
}

TEST(Mlp, SequentialBuildsItsLayersInOrder) {
  // Same seed, same order of construction -> the very same initial weights as Net. Layers built
  // inside the Sequential(...) call fail this only with a compiler that evaluates the arguments
  // in another order than written (GCC typically does); with Clang, which the presets use, they
  // pass it. The argument order is unspecified: README.md, "A common mistake".
  torch::manual_seed(5);
  Net net;
  torch::manual_seed(5);
  torch::nn::Sequential sequential = make_sequential();
  std::vector<torch::Tensor> expected = net->parameters();
  std::vector<torch::Tensor> actual = sequential->parameters();
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_TRUE(torch::equal(actual[i], expected[i]))
        << "parameter " << i << " differs: were the layers built in another order? (hint 5)";
  }
}

TEST(Mlp, CopiedWeightsGiveIdenticalOutputs) {
  torch::manual_seed(1);
  Net net;
  torch::manual_seed(2);
  torch::nn::Sequential sequential = make_sequential();
  torch::Tensor x = torch::randn({16, 784});
  ASSERT_FALSE(torch::equal(net->forward(x), sequential->forward(x))) << "different seeds";

  try {
    copy_weights(net, sequential);
  } catch (const c10::Error& e) {
    FAIL() << "copy_weights threw: " << e.what_without_backtrace()
           << "\nautograd refuses an in-place copy_ into a parameter (a leaf that requires grad) "
              "while it records: do it under a torch::NoGradGuard (hint 4)";
  }
  EXPECT_TRUE(torch::equal(net->forward(x), sequential->forward(x)));
  std::vector<torch::Tensor> from = net->parameters();
  std::vector<torch::Tensor> to = sequential->parameters();
  ASSERT_EQ(to.size(), from.size());
  for (size_t i = 0; i < to.size(); ++i) {
    EXPECT_TRUE(torch::equal(to[i], from[i]))
        << "parameters() must see the copy too: copy_ into the registered tensors, "
           "first->weight.copy_(...), instead of assigning new ones to the members (hint 4)";
    EXPECT_NE(to[i].data_ptr(), from[i].data_ptr())
        << "a copy, not shared memory: copy_ the values (hint 4)";
    EXPECT_TRUE(to[i].requires_grad()) << "still a parameter that learns";
  }
}

TEST(Mlp, ScaleShiftRegistersTwoParametersOfItsOwn) {
  ScaleShift module(3);
  const std::string why =
      "a tensor of the module's own is a parameter only once it is registered, "
      "scale = register_parameter(\"scale\", ...) (hint 6)";
  ASSERT_EQ(names_of(module->named_parameters()), (std::vector<std::string>{"scale", "shift"}))
      << why;
  EXPECT_TRUE(module->parameters()[0].is_same(module->scale))
      << "the member scale must be the registered tensor itself: " << why;
  EXPECT_TRUE(module->parameters()[1].is_same(module->shift))
      << "the member shift must be the registered tensor itself: " << why;
  EXPECT_TRUE(module->scale.requires_grad()) << why;
  EXPECT_TRUE(torch::equal(module->scale, torch::ones({3}))) << "scale starts at ones (hint 6)";
  EXPECT_TRUE(torch::equal(module->shift, torch::zeros({3}))) << "shift starts at zeros (hint 6)";
}

TEST(Mlp, ScaleShiftLearnsThroughItsParameters) {
  ScaleShift module(3);
  {
    torch::NoGradGuard no_grad;
    module->scale.copy_(torch::tensor({2.0f, -1.0f, 0.5f}));
    module->shift.copy_(torch::tensor({0.0f, 1.0f, -2.0f}));
  }
  const torch::Tensor x = torch::tensor({{1.0f, 2.0f, 4.0f}, {3.0f, 0.0f, 2.0f}});
  const torch::Tensor y = module->forward(x);
  EXPECT_TRUE(torch::allclose(y, torch::tensor({{2.0f, -1.0f, 0.0f}, {6.0f, 1.0f, -1.0f}})))
      << y << "\nforward is x * scale + shift (hint 6)";
  // The test holds the parameters whose grad() autograd fills: d sum(y) / d scale = sum of x.
  y.sum().backward();
  ASSERT_TRUE(module->scale.grad().defined()) << "no gradient reached scale (hint 6)";
  EXPECT_TRUE(torch::allclose(module->scale.grad(), torch::tensor({4.0f, 2.0f, 6.0f})));
  EXPECT_TRUE(torch::allclose(module->shift.grad(), torch::tensor({2.0f, 2.0f, 2.0f})));
}

TEST(Mlp, DropoutIsTheIdentityInEvalMode) {
  torch::nn::Dropout dropout(0.5);
  torch::Tensor x = torch::randn({1000});
  torch::Tensor y = dropout_forward(dropout, x, /*training=*/false);
  EXPECT_FALSE(dropout->is_training())
      << "with training == false, switch the layer to evaluation mode with dropout->eval() "
         "(hint 3)";
  EXPECT_TRUE(torch::equal(y, x)) << "eval(): nothing dropped, nothing rescaled";
}

TEST(Mlp, DropoutZeroesAndRescalesInTrainMode) {
  torch::manual_seed(0);
  torch::nn::Dropout dropout(0.5);
  torch::Tensor x = torch::ones({10000});
  dropout_forward(dropout, x, /*training=*/false);  // eval first: train must switch it back
  torch::Tensor y = dropout_forward(dropout, x, /*training=*/true);
  EXPECT_TRUE(dropout->is_training()) << "dropout->train() when training is true (hint 3)";
  // Each element is dropped (0) or kept and scaled by 1 / (1 - p) = 2, so the mean stays ~1.
  torch::Tensor dropped = y.eq(0.0);
  torch::Tensor kept = y.eq(2.0);
  EXPECT_TRUE(torch::logical_or(dropped, kept).all().item<bool>()) << "only 0 or 2 expected";
  const double dropped_fraction = dropped.to(torch::kFloat64).mean().item<double>();
  EXPECT_NEAR(dropped_fraction, 0.5, 0.05);
}

TEST(Mlp, BatchNormInEvalModeUsesTheRunningStatisticsAndKeepsThem) {
  torch::manual_seed(4);
  torch::nn::BatchNorm1d batch_norm(4);
  {
    torch::NoGradGuard no_grad;
    batch_norm->running_mean.copy_(torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}));
    batch_norm->running_var.copy_(torch::tensor({4.0f, 4.0f, 1.0f, 1.0f}));
  }
  const torch::Tensor x = torch::randn({8, 4});
  const torch::Tensor y = batch_norm_forward(batch_norm, x, /*training=*/false);
  const std::string why =
      "with training == false the layer must be in evaluation mode, batch_norm->eval(): it "
      "normalises with running_mean and running_var and leaves them alone (hint 3)";
  EXPECT_FALSE(batch_norm->is_training()) << why;
  EXPECT_TRUE(torch::equal(batch_norm->running_mean, torch::tensor({1.0f, 2.0f, 3.0f, 4.0f})))
      << "the running mean moved: " << why;
  const torch::Tensor expected =
      (x - torch::tensor({1.0f, 2.0f, 3.0f, 4.0f})) /
      torch::sqrt(torch::tensor({4.0f, 4.0f, 1.0f, 1.0f}) + batch_norm->options.eps());
  EXPECT_TRUE(torch::allclose(y, expected, 1e-5, 1e-5)) << why;
}

TEST(Mlp, BatchNormInTrainModeUsesTheBatchAndMovesTheRunningStatistics) {
  torch::manual_seed(3);
  torch::nn::BatchNorm1d batch_norm(4);  // momentum 0.1, running statistics 0 and 1
  const torch::Tensor x = torch::randn({64, 4}) * 3.0 + 5.0;
  batch_norm_forward(batch_norm, x, /*training=*/false);  // eval first: train must switch back
  const torch::Tensor y = batch_norm_forward(batch_norm, x, /*training=*/true);
  EXPECT_TRUE(batch_norm->is_training()) << "batch_norm->train() when training is true (hint 3)";
  // Normalised with the batch's own mean and (biased) variance.
  EXPECT_TRUE(torch::allclose(y.mean(0), torch::zeros({4}), 0.0, 1e-5)) << y.mean(0);
  const torch::Tensor expected_mean = 0.1 * x.mean(0);  // 0.9 * 0 + 0.1 * batch mean
  EXPECT_TRUE(torch::allclose(batch_norm->running_mean, expected_mean, 1e-5, 1e-5))
      << batch_norm->running_mean << "\nexpected " << expected_mean
      << ": one step in training mode moves the running mean 10% towards the batch's mean; "
         "more means the call in evaluation mode moved it too: batch_norm->eval() when "
         "training is false (hint 3)";
}

}  // namespace
}  // namespace exercises::mlp
