// Exercise 03: the custom MLP and its Sequential twin: layers, parameter names and counts,
// forward values, weight copying, and what train()/eval() does to Dropout and BatchNorm. Each
// test calls the exercise, so each fails until its code is written. Every check that fails ends
// with the course's sentence (support/sentence.h): what came, what was expected, the likely cause
// and the hint of README.md to read.
#include "mlp.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/device.h"
#include "support/sentence.h"
#include "support/test_device.h"

namespace exercises::mlp {
namespace {

using course::N_;
using course::tr;
using course::trf;
using course::trn;
using course::testing::dtype_name;
using course::testing::explain_throw;
using course::testing::sentence;
using course::testing::text_of;
using Shape = std::vector<int64_t>;

std::vector<Shape> shapes_of(const std::vector<torch::Tensor>& tensors) {
  std::vector<Shape> shapes;
  for (const auto& tensor : tensors) shapes.push_back(tensor.sizes().vec());
  return shapes;
}

// "[128, 784] [128] [10, 128] [10]", or "none", for a sentence.
std::string shapes_text(const std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return std::string(tr("none"));
  std::ostringstream out;
  for (size_t i = 0; i < tensors.size(); ++i) out << (i > 0 ? " " : "") << tensors[i].sizes();
  return out.str();
}

// "a, b, c", or "none", for a sentence.
std::string joined(const std::vector<std::string>& names) {
  if (names.empty()) return std::string(tr("none"));
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::vector<std::string> names_of(const torch::OrderedDict<std::string, torch::Tensor>& named) {
  return named.keys();
}

double largest_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

const char* const kRegisterWhy =
    N_("create each layer and register it, fc1 = register_module(\"fc1\", "
       "torch::nn::Linear(inputs, hidden)), and the same for fc2 (hint 2)");

// The student's constructors and forward, called so that a LibTorch error they throw ("Accessing
// empty ModuleHolder", a shape mismatch) reads as a sentence.
Net make_net(int64_t inputs = kInputs, int64_t hidden = kHidden, int64_t outputs = kOutputs) {
  return explain_throw([&] { return Net(inputs, hidden, outputs); },
                       trf("constructing Net threw: {}", tr(kRegisterWhy)));
}

torch::Tensor forward(Net& net, const torch::Tensor& x) {
  return explain_throw([&] { return net->forward(x); },
                       trf("Net's forward threw on input {}: forward is fc1, then the ReLU "
                           "(F::relu), then fc2, with layers created and registered in the "
                           "constructor (hint 1)",
                           text_of(x.sizes())));
}

torch::nn::Sequential checked_sequential(int64_t inputs = kInputs, int64_t hidden = kHidden,
                                         int64_t outputs = kOutputs) {
  return explain_throw([&] { return make_sequential(inputs, hidden, outputs); },
                       std::string(tr("make_sequential threw: build the two Linear layers first, "
                                      "then return torch::nn::Sequential(first, "
                                      "torch::nn::ReLU(), second) (hint 5)")));
}

TEST(Mlp, NetHasTwoLinearLayersWithTheRightShapes) {
  Net net = make_net(784, 128, 10);
  std::vector<torch::Tensor> parameters = net->parameters();
  // nn.Linear(in, out) stores weight as [out, in], so that forward computes x @ weight.T + bias.
  EXPECT_EQ(shapes_of(parameters), (std::vector<Shape>{{128, 784}, {128}, {10, 128}, {10}}))
      << sentence
      << trf("Net(784, 128, 10)'s parameters() holds shapes {}, expected [128, 784] [128] "
             "[10, 128] [10]: a layer counts only once it is registered; {}",
             shapes_text(parameters), tr(kRegisterWhy));
  for (const auto& parameter : parameters) {
    EXPECT_TRUE(parameter.requires_grad())
        << sentence
        << tr("a parameter of Net does not require grad: let register_module register the "
              "layers, without touching requires_grad (hint 2)");
    EXPECT_EQ(parameter.dtype(), torch::kFloat32)
        << sentence
        << trf("a parameter of Net has dtype {}, expected float32, torch::nn::Linear's default "
               "(hint 2)",
               dtype_name(parameter.dtype()));
  }
  const std::vector<torch::Tensor> small = make_net(20, 5, 3)->parameters();
  EXPECT_EQ(shapes_of(small), (std::vector<Shape>{{5, 20}, {5}, {3, 5}, {3}}))
      << sentence
      << trf("Net(20, 5, 3)'s parameters() holds shapes {}, expected [5, 20] [5] [3, 5] [3]: use "
             "the inputs, hidden and outputs the constructor is given; {}",
             shapes_text(small), tr(kRegisterWhy));
}

TEST(Mlp, NamedParametersAreFc1AndFc2WeightAndBias) {
  Net net = make_net();
  const std::vector<std::string> names = names_of(net->named_parameters());
  EXPECT_EQ(names, (std::vector<std::string>{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}))
      << sentence
      << trf("Net's named_parameters() are {}, expected fc1.weight, fc1.bias, fc2.weight, "
             "fc2.bias: the name given to register_module is the name a parameter gets; {}",
             joined(names), tr(kRegisterWhy));
  std::vector<std::string> children;
  for (const auto& child : net->named_children()) children.push_back(child.key());
  EXPECT_EQ(children, (std::vector<std::string>{"fc1", "fc2"}))
      << sentence
      << trf("Net's registered layers are {}, expected fc1, fc2: two registered layers, and the "
             "ReLU is a function (F::relu) in forward, not a layer (hint 1)",
             joined(children));
}

TEST(Mlp, ParameterCountIs101770ForHidden128) {
  const std::string_view why =
      tr("count the numbers each parameter holds, p.numel(), not the tensors (hint 3)");
  // 784 * 128 + 128 + 128 * 10 + 10
  const int64_t counted = count_parameters(*make_net(784, 128, 10));
  EXPECT_EQ(counted, 101770)
      << sentence
      << trf("count_parameters(Net(784, 128, 10)) is {}, expected 101770 (784 * 128 + 128 + "
             "128 * 10 + 10): {}",
             counted, why);
  const int64_t wider = count_parameters(*make_net(784, 300, 10));
  EXPECT_EQ(wider, 238510) << sentence
                           << trf("count_parameters(Net(784, 300, 10)) is {}, expected 238510: {}",
                                  wider, why);
  const int64_t linear = count_parameters(*torch::nn::Linear(3, 2));
  EXPECT_EQ(linear, 8)
      << sentence
      << trf("count_parameters(Linear(3, 2)) is {}, expected 8 (six weights and two biases): {}",
             linear, why);
  const int64_t relu = count_parameters(*torch::nn::ReLU());
  EXPECT_EQ(relu, 0)
      << sentence
      << trf("count_parameters(ReLU()) is {}, expected 0: a ReLU has no parameters; {}", relu, why);
}

TEST(Mlp, ForwardGivesTenLogitsPerImage) {
  Net net = make_net();
  torch::Tensor logits = forward(net, torch::randn({32, 784}));
  EXPECT_EQ(logits.sizes().vec(), (Shape{32, 10}))
      << sentence
      << trf("Net's forward of a [32, 784] batch has shape {}, expected [32, 10], ten logits per "
             "image: fc1, then the ReLU, then fc2 (hint 1)",
             text_of(logits.sizes()));
  EXPECT_EQ(logits.dtype(), torch::kFloat32)
      << sentence
      << trf("Net's forward returned dtype {}, expected float32 (hint 1)",
             dtype_name(logits.dtype()));
  const torch::Tensor one = forward(net, torch::randn({1, 784}));
  EXPECT_EQ(one.sizes().vec(), (Shape{1, 10}))
      << sentence
      << trf("Net's forward of a [1, 784] batch has shape {}, expected [1, 10] (hint 1)",
             text_of(one.sizes()));
}

TEST(Mlp, ForwardIsLinearThenReluThenLinear) {
  torch::manual_seed(1);
  Net net = make_net(6, 4, 3);
  torch::Tensor x = torch::randn({5, 6});
  torch::NoGradGuard no_grad;
  torch::Tensor hidden = torch::clamp_min(x.matmul(net->fc1->weight.t()) + net->fc1->bias, 0.0);
  torch::Tensor expected = hidden.matmul(net->fc2->weight.t()) + net->fc2->bias;
  const torch::Tensor logits = forward(net, x);
  ASSERT_EQ(logits.sizes(), expected.sizes())
      << sentence
      << trf("Net(6, 4, 3)'s forward of a [5, 6] batch has shape {}, expected [5, 3]: fc1, then "
             "the ReLU (F::relu), then fc2 (hint 1)",
             text_of(logits.sizes()));
  EXPECT_TRUE(torch::allclose(logits, expected, 1e-5, 1e-6))
      << sentence
      << trf("Net's forward differs from fc2(relu(fc1(x))) by up to {:.4g}: forward must be fc1, "
             "then the ReLU (F::relu), then fc2; without the ReLU the network is linear (hint 1)",
             largest_difference(logits, expected));
}

TEST(Mlp, ForwardRunsOnTheSelectedDevice) {
  const torch::Device device = course::testing::test_device();
  Net net = make_net();
  net->to(device);
  torch::Tensor logits = forward(net, torch::randn({8, 784}, torch::TensorOptions(device)));
  EXPECT_EQ(logits.device().type(), device.type())
      << sentence
      << trf("Net's forward on {} returned logits on {}: compute with the input and the layers "
             "as they are, no .to() inside forward (hint 1)",
             text_of(device), text_of(logits.device()));
  if (device.has_index()) {
    EXPECT_EQ(logits.device().index(), device.index())
        << sentence
        << trf("Net's forward on {} returned logits on {} (hint 1)", text_of(device),
               text_of(logits.device()));
  }
  EXPECT_EQ(logits.sizes().vec(), (Shape{8, 10}))
      << sentence
      << trf("Net's forward of an [8, 784] batch on {} has shape {}, expected [8, 10] (hint 1)",
             text_of(device), text_of(logits.sizes()));
}

TEST(Mlp, SequentialIsLinearReluLinear) {
  const std::string_view why =
      tr("return torch::nn::Sequential(first, torch::nn::ReLU(), second), with first = "
         "Linear(inputs, hidden) and second = Linear(hidden, outputs) (hint 5)");
  torch::nn::Sequential sequential = checked_sequential(784, 128, 10);
  ASSERT_EQ(sequential->size(), 3u)
      << sentence
      << trn("make_sequential(784, 128, 10) holds {} module, expected 3: {}",
             "make_sequential(784, 128, 10) holds {} modules, expected 3: {}",
             static_cast<long long>(sequential->size()), sequential->size(), why);
  // Each module as the sentence names it: its index, its name() and the type it should have.
  EXPECT_NE(sequential[0]->as<torch::nn::Linear>(), nullptr)
      << sentence
      << trf("make_sequential's module {} is {}, expected a {}: {}", 0, sequential[0]->name(),
             "Linear", why);
  EXPECT_NE(sequential[1]->as<torch::nn::ReLU>(), nullptr)
      << sentence
      << trf("make_sequential's module {} is {}, expected a {}: {}", 1, sequential[1]->name(),
             "ReLU", why);
  EXPECT_NE(sequential[2]->as<torch::nn::Linear>(), nullptr)
      << sentence
      << trf("make_sequential's module {} is {}, expected a {}: {}", 2, sequential[2]->name(),
             "Linear", why);
  const std::vector<std::string> names = names_of(sequential->named_parameters());
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}))
      << sentence
      << trf("make_sequential's named_parameters() are {}, expected 0.weight, 0.bias, 2.weight, "
             "2.bias: {}",
             joined(names), why);
  const std::vector<torch::Tensor> parameters = sequential->parameters();
  EXPECT_EQ(shapes_of(parameters), (std::vector<Shape>{{128, 784}, {128}, {10, 128}, {10}}))
      << sentence
      << trf("make_sequential(784, 128, 10)'s parameters() holds shapes {}, expected [128, 784] "
             "[128] [10, 128] [10]: {}",
             shapes_text(parameters), why);
  const int64_t counted = count_parameters(*sequential);
  EXPECT_EQ(counted, 101770)
      << sentence
      << trf("count_parameters(make_sequential(784, 128, 10)) is {}, expected 101770: count "
             "p.numel() of every parameter (hint 3)",
             counted);
  const torch::Tensor logits = explain_throw(
      [&] {
        return sequential->forward(torch::randn({2, 784}));
      },
      trf("make_sequential's forward threw: {}", why));
  EXPECT_EQ(logits.sizes().vec(), (Shape{2, 10}))
      << sentence
      << trf("make_sequential's forward of a [2, 784] batch has shape {}, expected [2, 10]: {}",
             text_of(logits.sizes()), why);
}

TEST(Mlp, SequentialBuildsItsLayersInOrder) {
  // Same seed, same order of construction -> the very same initial weights as Net. Layers built
  // inside the Sequential(...) call fail this only with a compiler that evaluates the arguments
  // in another order than written (GCC typically does); with Clang, which the presets use, they
  // pass it. The argument order is unspecified: README.md, "A common mistake".
  torch::manual_seed(5);
  Net net = make_net();
  torch::manual_seed(5);
  torch::nn::Sequential sequential = checked_sequential();
  std::vector<torch::Tensor> expected = net->parameters();
  std::vector<torch::Tensor> actual = sequential->parameters();
  ASSERT_EQ(actual.size(), expected.size())
      << sentence
      << trn("make_sequential() has {} parameter and Net {}: both are Linear, ReLU, Linear "
             "(hint 5)",
             "make_sequential() has {} parameters and Net {}: both are Linear, ReLU, Linear "
             "(hint 5)",
             static_cast<long long>(actual.size()), actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_TRUE(torch::equal(actual[i], expected[i]))
        << sentence
        << trf("parameter {} of make_sequential() differs from Net's with the same seed: build "
               "first = Linear(inputs, hidden) and second = Linear(hidden, outputs) in two "
               "statements, in this order, before the Sequential(...) call (hint 5)",
               i);
  }
}

TEST(Mlp, CopiedWeightsGiveIdenticalOutputs) {
  torch::manual_seed(1);
  Net net = make_net();
  torch::manual_seed(2);
  torch::nn::Sequential sequential = checked_sequential();
  torch::Tensor x = torch::randn({16, 784});
  ASSERT_FALSE(torch::equal(net->forward(x), sequential->forward(x))) << "different seeds";

  explain_throw([&] { copy_weights(net, sequential); },
                std::string(tr("copy_weights threw: autograd refuses an in-place copy_ into a "
                               "parameter (a leaf that requires grad) while it records; do it "
                               "under a torch::NoGradGuard (hint 4)")));
  const std::string_view share =
      tr("copy_ into the registered tensors, first->weight.copy_(from->fc1->weight), instead of "
         "assigning new ones to the members (hint 4)");
  std::vector<torch::Tensor> from = net->parameters();
  std::vector<torch::Tensor> to = sequential->parameters();
  ASSERT_EQ(to.size(), from.size());
  for (size_t i = 0; i < to.size(); ++i) {
    EXPECT_TRUE(torch::equal(to[i], from[i]))
        << sentence
        << trf("after copy_weights, parameter {} of the Sequential's parameters() differs from "
               "Net's: parameters() must see the copy too; {}",
               i, share);
    EXPECT_NE(to[i].data_ptr(), from[i].data_ptr())
        << sentence
        << trf("after copy_weights, parameter {} shares Net's memory, so training one model "
               "would change the other: {}",
               i, share);
    EXPECT_TRUE(to[i].requires_grad())
        << sentence
        << trf("after copy_weights, parameter {} no longer requires grad: {}", i, share);
  }
  const torch::Tensor copied = sequential->forward(x);
  const torch::Tensor original = net->forward(x);
  EXPECT_TRUE(torch::equal(copied, original))
      << sentence
      << trf("after copy_weights the Sequential's output differs from Net's by up to {:.4g}: {}",
             largest_difference(copied, original), share);
}

TEST(Mlp, ScaleShiftRegistersTwoParametersOfItsOwn) {
  ScaleShift module =
      explain_throw([] { return ScaleShift(3); },
                    std::string(tr("constructing ScaleShift(3) threw: scale = "
                                   "register_parameter(\"scale\", torch::ones({features})), and "
                                   "shift likewise with zeros (hint 6)")));
  const std::string_view why =
      tr("a tensor of the module's own is a parameter only once it is registered, "
         "scale = register_parameter(\"scale\", ...) (hint 6)");
  const std::vector<std::string> names = names_of(module->named_parameters());
  ASSERT_EQ(names, (std::vector<std::string>{"scale", "shift"}))
      << sentence
      << trf("ScaleShift's named_parameters() are {}, expected scale, shift: {}", joined(names),
             why);
  EXPECT_TRUE(module->parameters()[0].is_same(module->scale))
      << sentence << trf("the member {} is not the registered tensor itself: {}", "scale", why);
  EXPECT_TRUE(module->parameters()[1].is_same(module->shift))
      << sentence << trf("the member {} is not the registered tensor itself: {}", "shift", why);
  EXPECT_TRUE(module->scale.requires_grad())
      << sentence << trf("ScaleShift's scale does not require grad: {}", why);
  EXPECT_TRUE(torch::equal(module->scale, torch::ones({3})))
      << sentence
      << tr("ScaleShift(3)'s scale does not start at three ones: torch::ones({features}) "
            "(hint 6)");
  EXPECT_TRUE(torch::equal(module->shift, torch::zeros({3})))
      << sentence
      << tr("ScaleShift(3)'s shift does not start at three zeros: torch::zeros({features}) "
            "(hint 6)");
}

TEST(Mlp, ScaleShiftLearnsThroughItsParameters) {
  ScaleShift module(3);
  {
    torch::NoGradGuard no_grad;
    module->scale.copy_(torch::tensor({2.0f, -1.0f, 0.5f}));
    module->shift.copy_(torch::tensor({0.0f, 1.0f, -2.0f}));
  }
  const torch::Tensor x = torch::tensor({{1.0f, 2.0f, 4.0f}, {3.0f, 0.0f, 2.0f}});
  const torch::Tensor y = explain_throw(
      [&] { return module->forward(x); },
      std::string(tr("ScaleShift's forward threw on a [2, 3] input: forward is x * scale + shift "
                     "(hint 6)")));
  const torch::Tensor expected = torch::tensor({{2.0f, -1.0f, 0.0f}, {6.0f, 1.0f, -1.0f}});
  ASSERT_EQ(y.sizes(), expected.sizes())
      << sentence
      << trf("ScaleShift's forward of a [2, 3] input has shape {}, expected [2, 3]: forward is "
             "x * scale + shift (hint 6)",
             text_of(y.sizes()));
  EXPECT_TRUE(torch::allclose(y, expected))
      << sentence
      << trf("ScaleShift's forward differs from x * scale + shift by up to {:.4g}: forward is "
             "x * scale + shift (hint 6)",
             largest_difference(y, expected));
  // The test holds the parameters whose grad() autograd fills: d sum(y) / d scale = sum of x.
  y.sum().backward();
  const std::string_view why =
      tr("forward must use the registered members, x * scale + shift, so that backward() reaches "
         "them (hint 6)");
  ASSERT_TRUE(module->scale.grad().defined())
      << sentence << trf("no gradient reached ScaleShift's {}: {}", "scale", why);
  ASSERT_TRUE(module->shift.grad().defined())
      << sentence << trf("no gradient reached ScaleShift's {}: {}", "shift", why);
  EXPECT_TRUE(torch::allclose(module->scale.grad(), torch::tensor({4.0f, 2.0f, 6.0f})))
      << sentence << trf("scale's gradient is not the column sums of x, {{4, 2, 6}}: {}", why);
  EXPECT_TRUE(torch::allclose(module->shift.grad(), torch::tensor({2.0f, 2.0f, 2.0f})))
      << sentence << trf("shift's gradient is not {{2, 2, 2}}, one per row: {}", why);
}

TEST(Mlp, DropoutIsTheIdentityInEvalMode) {
  const std::string_view why =
      tr("with training == false, switch the layer to evaluation mode with dropout->eval(), then "
         "return dropout(x) (hint 3)");
  torch::nn::Dropout dropout(0.5);
  torch::Tensor x = torch::randn({1000});
  torch::Tensor y = dropout_forward(dropout, x, /*training=*/false);
  EXPECT_FALSE(dropout->is_training())
      << sentence
      << trf("after dropout_forward(..., training=false) the layer is in training mode: {}", why);
  EXPECT_TRUE(y.sizes() == x.sizes() && torch::equal(y, x))
      << sentence
      << trf("dropout_forward(..., training=false) changed its input: in evaluation nothing is "
             "dropped and nothing rescaled; {}",
             why);
}

TEST(Mlp, DropoutZeroesAndRescalesInTrainMode) {
  const std::string_view why =
      tr("with training == true, dropout->train(), then return dropout(x) (hint 3)");
  torch::manual_seed(0);
  torch::nn::Dropout dropout(0.5);
  torch::Tensor x = torch::ones({10000});
  dropout_forward(dropout, x, /*training=*/false);  // eval first: train must switch it back
  torch::Tensor y = dropout_forward(dropout, x, /*training=*/true);
  EXPECT_TRUE(dropout->is_training())
      << sentence
      << trf("after dropout_forward(..., training=true) the layer is in evaluation mode: {}", why);
  ASSERT_EQ(y.sizes(), x.sizes()) << sentence
                                  << trf("dropout_forward of 10000 ones has shape {}: {}",
                                         text_of(y.sizes()), why);
  // Each element is dropped (0) or kept and scaled by 1 / (1 - p) = 2, so the mean stays ~1.
  torch::Tensor dropped = y.eq(0.0);
  torch::Tensor kept = y.eq(2.0);
  EXPECT_TRUE(torch::logical_or(dropped, kept).all().item<bool>())
      << sentence
      << trf("dropout_forward(..., training=true) of ones gave values other than 0 (dropped) and "
             "2 (kept, scaled by 1 / (1 - p)): {}",
             why);
  const double dropped_fraction = dropped.to(torch::kFloat64).mean().item<double>();
  EXPECT_NEAR(dropped_fraction, 0.5, 0.05)
      << sentence
      << trf("dropout_forward(..., training=true) dropped {:.4g} of the values, expected about "
             "p = 0.5: {}",
             dropped_fraction, why);
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
  const std::string_view why =
      tr("with training == false the layer must be in evaluation mode, batch_norm->eval(): it "
         "normalises with running_mean and running_var and leaves them alone (hint 3)");
  EXPECT_FALSE(batch_norm->is_training())
      << sentence
      << trf("after batch_norm_forward(..., training=false) the layer is in training mode: {}",
             why);
  EXPECT_TRUE(torch::equal(batch_norm->running_mean, torch::tensor({1.0f, 2.0f, 3.0f, 4.0f})))
      << sentence << trf("batch_norm_forward(..., training=false) moved the running mean: {}", why);
  const torch::Tensor expected =
      (x - torch::tensor({1.0f, 2.0f, 3.0f, 4.0f})) /
      torch::sqrt(torch::tensor({4.0f, 4.0f, 1.0f, 1.0f}) + batch_norm->options.eps());
  ASSERT_EQ(y.sizes(), expected.sizes())
      << sentence
      << trf("batch_norm_forward of an [8, 4] batch has shape {}: {}", text_of(y.sizes()), why);
  EXPECT_TRUE(torch::allclose(y, expected, 1e-5, 1e-5))
      << sentence
      << trf("batch_norm_forward(..., training=false) differs from the normalisation with the "
             "running statistics by up to {:.4g}: {}",
             largest_difference(y, expected), why);
}

TEST(Mlp, BatchNormInTrainModeUsesTheBatchAndMovesTheRunningStatistics) {
  const std::string_view why =
      tr("with training == true, batch_norm->train(), then return batch_norm(x) (hint 3)");
  torch::manual_seed(3);
  torch::nn::BatchNorm1d batch_norm(4);  // momentum 0.1, running statistics 0 and 1
  const torch::Tensor x = torch::randn({64, 4}) * 3.0 + 5.0;
  batch_norm_forward(batch_norm, x, /*training=*/false);  // eval first: train must switch back
  const torch::Tensor y = batch_norm_forward(batch_norm, x, /*training=*/true);
  EXPECT_TRUE(batch_norm->is_training())
      << sentence
      << trf("after batch_norm_forward(..., training=true) the layer is in evaluation mode: {}",
             why);
  // Normalised with the batch's own mean and (biased) variance.
  ASSERT_EQ(y.sizes(), x.sizes()) << sentence
                                  << trf("batch_norm_forward of a [64, 4] batch has shape {}: {}",
                                         text_of(y.sizes()), why);
  EXPECT_TRUE(torch::allclose(y.mean(0), torch::zeros({4}), 0.0, 1e-5))
      << sentence
      << trf("batch_norm_forward(..., training=true)'s output has column means up to {:.4g}, "
             "expected 0: in training mode the layer normalises with the batch's own mean; {}",
             y.mean(0).abs().max().item<double>(), why);
  const torch::Tensor expected_mean = 0.1 * x.mean(0);  // 0.9 * 0 + 0.1 * batch mean
  EXPECT_TRUE(torch::allclose(batch_norm->running_mean, expected_mean, 1e-5, 1e-5))
      << sentence
      // xgettext:no-c-format ("10% towards" is no printf directive: the messages are fmt's)
      << trf("the running mean is off by up to {:.4g}: one step in training mode moves it 10% "
             "towards the batch's mean; more means the call in evaluation mode moved it too: "
             "batch_norm->eval() when training is false (hint 3)",
             largest_difference(batch_norm->running_mean, expected_mean));
  // The two variances of README.md's "BatchNorm: two sets of statistics": the output is
  // normalised with the batch's biased variance (dividing by n), while running_var moves
  // towards its unbiased one (dividing by n - 1).
  const torch::Tensor biased = y.var(0, /*unbiased=*/false);
  EXPECT_TRUE(torch::allclose(biased, torch::ones({4}), 0.0, 1e-3))
      << sentence
      << trf("batch_norm_forward(..., training=true)'s output has column variances up to {:.4g} "
             "away from 1: in training mode the layer normalises with the batch's own (biased) "
             "variance; {}",
             (biased - 1).abs().max().item<double>(), why);
  const torch::Tensor expected_var = 0.9 * torch::ones({4}) + 0.1 * x.var(0, /*unbiased=*/true);
  EXPECT_TRUE(torch::allclose(batch_norm->running_var, expected_var, 1e-4, 1e-4))
      << sentence
      // xgettext:no-c-format ("10% towards" is no printf directive: the messages are fmt's)
      << trf("the running variance is off by up to {:.4g}: one step in training mode moves it "
             "10% towards the batch's unbiased variance; more means the call in evaluation mode "
             "moved it too: batch_norm->eval() when training is false (hint 3)",
             largest_difference(batch_norm->running_var, expected_var));
}

}  // namespace
}  // namespace exercises::mlp
