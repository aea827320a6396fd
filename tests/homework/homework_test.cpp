// Checks of the student's part of the homework (homework/homework.cpp): the model, the
// optimizer, one training epoch, the evaluation, and fit() with its early stopping, on small
// synthetic problems. Every check calls those functions, so each one fails on the untouched
// stub; a failing check ends with the course's sentence (support/sentence.h): what went wrong,
// what came, and which hint of homework/README.md to read.
#include "homework.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <ATen/record_function.h>

#include "harness/checkpoint.h"
#include "support/operator_counter.h"
#include "support/sentence.h"
#include "support/temp_dir.h"

namespace homework {
namespace {

using course::N_;
using course::tr;
using course::testing::dtype_name;
using course::testing::explain_throw;
using course::testing::sentence;
using course::testing::text_of;
using course::testing::trf;
using course::testing::trn;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A list as a sentence shows it: [1, 2], [true, false].
template <typename T>
std::string show(const std::vector<T>& values) {
  std::ostringstream out;
  out << std::boolalpha << "[";
  for (size_t i = 0; i < values.size(); ++i) out << (i == 0 ? "" : ", ") << values[i];
  out << "]";
  return out.str();
}

// A small problem: `count` random images with labels 0..9.
struct Toy {
  torch::Tensor images, labels;
};
Toy toy_data(int64_t count, uint64_t seed) {
  auto generator = at::detail::createCPUGenerator(seed);
  return {torch::randn({count, 784}, generator), torch::randint(10, {count}, generator)};
}

// `count` examples whose class is written into the image (its one-hot code, repeated), plus a
// little noise: a problem a few epochs of Adam must learn. Draws from the global generator.
harness::Examples separable_problem(int64_t count) {
  const torch::Tensor labels = torch::arange(count) % 10;
  const torch::Tensor images =
      torch::randn({count, 784}) * 0.1 +
      torch::one_hot(labels, 10).to(torch::kFloat).repeat({1, 79}).slice(1, 0, 784);
  return {images, labels};
}

// The student's functions, called so that a LibTorch error they throw reads as a sentence.
Mlp make_model() {
  return explain_throw([] { return Mlp(); },
                       trf("constructing the model threw: create each layer and assign it to its "
                           "member before using it, hidden1 = register_module(\"hidden1\", "
                           "torch::nn::Linear(784, 300)), one statement per layer (hint 1)"));
}

torch::Tensor forward_of(Mlp& model, const torch::Tensor& images) {
  return explain_throw([&] { return model->forward(images); },
                       trf("the model's forward threw on images {}: hidden1 (784 -> 300), "
                           "ReLU, hidden2 (300 -> 100), ReLU, output (100 -> 10), each layer "
                           "created and assigned in the constructor (hint 1)",
                           text_of(images.sizes())));
}

torch::optim::Adam checked_make_optimizer(Mlp& model, double learning_rate) {
  return explain_throw([&] { return make_optimizer(model, learning_rate); },
                       trf("make_optimizer(model, {:.6g}) threw: return "
                           "torch::optim::Adam(model->parameters(), "
                           "torch::optim::AdamOptions(learning_rate)) (hint 2)",
                           learning_rate));
}

double checked_epoch(Mlp& model, torch::optim::Optimizer& optimizer,
                     const harness::Batches& batches, Observer& observer) {
  return explain_throw(
      [&] { return train_one_epoch(model, optimizer, batches, observer); },
      trf("train_one_epoch threw on {} examples in batches of {}: for each batch zero_grad(), "
          "the cross_entropy of model->forward(batch.images) and batch.labels, backward(), "
          "step(); keep loss.item<double>() in the running sum, not the tensor (hint 3)",
          batches.examples(), batches.batch_size()));
}

Evaluation checked_evaluate(Mlp& model, const torch::Tensor& images, const torch::Tensor& labels) {
  return explain_throw(
      [&] { return evaluate(model, images, labels); },
      trf("evaluate threw on {} images and their int64 labels: cross_entropy(logits, "
          "labels).item<double>(), logits.argmax(1), and "
          "predictions.eq(labels).to(torch::kDouble).mean() for the accuracy (hint 4)",
          images.size(0)));
}

// The parameters of the Keras model, by name: what the model must register.
const std::vector<std::pair<std::string, std::vector<int64_t>>> kLayout = {
    {"hidden1.weight", {300, 784}}, {"hidden1.bias", {300}},      {"hidden2.weight", {100, 300}},
    {"hidden2.bias", {100}},        {"output.weight", {10, 100}}, {"output.bias", {10}},
};

std::string names_of(const Mlp& model) {
  std::vector<std::string> names;
  for (const auto& item : model->named_parameters()) names.push_back(item.key());
  return names.empty() ? std::string(tr("none")) : show(names);
}

// What is wrong with the parameters the model registered, said in words; "" when nothing is.
std::string layout_problem(const Mlp& model) {
  const auto named = model->named_parameters();
  for (const auto& [name, shape] : kLayout) {
    const torch::Tensor* parameter = named.find(name);
    if (parameter == nullptr) {
      return trf(
          "the model has no parameter {} (it has {}): register each layer under its "
          "name, hidden1 = register_module(\"hidden1\", torch::nn::Linear(784, 300)); a "
          "layer assigned without register_module is invisible to parameters() (hint 1)",
          name, names_of(model));
    }
    if (parameter->sizes() != torch::IntArrayRef(shape)) {
      return trf(
          "{} has shape {}, expected {}: hidden1 is torch::nn::Linear(784, 300), hidden2 "
          "(300, 100), output (100, 10) (hint 1)",
          name, text_of(parameter->sizes()), text_of(torch::IntArrayRef(shape)));
    }
  }
  if (named.size() != kLayout.size()) {
    return trn(
        "the model has {} parameter tensor ({}), expected 6: hidden1, hidden2 and output, "
        "each with a weight and a bias (hint 1)",
        "the model has {} parameter tensors ({}), expected 6: hidden1, hidden2 and "
        "output, each with a weight and a bias (hint 1)",
        named.size(), named.size(), names_of(model));
  }
  return "";
}

// Copies `from`'s parameters into `to`, so two models start equal.
void copy_parameters(const Mlp& from, Mlp& to) {
  torch::NoGradGuard no_grad;
  auto source = from->parameters();
  auto target = to->parameters();
  for (size_t i = 0; i < source.size() && i < target.size(); ++i) target[i].copy_(source[i]);
}

// The first parameter in which `a` and `b` differ by more than `tolerance` (0: not bit for bit),
// said in words ("output.weight differs by up to 0.012"); "" when none does.
std::string first_difference(const Mlp& a, const Mlp& b, double tolerance) {
  const auto left = a->named_parameters();
  const auto right = b->named_parameters();
  if (left.size() != right.size()) {
    return trf("the models have {} and {} parameter tensors", left.size(), right.size());
  }
  for (const auto& item : left) {
    const torch::Tensor* other = right.find(item.key());
    if (other == nullptr || other->sizes() != item.value().sizes()) {
      return trf("{} has no counterpart", item.key());
    }
    const bool same = tolerance == 0.0
                          ? torch::equal(item.value(), *other)
                          : torch::allclose(item.value(), *other, /*rtol=*/0, /*atol=*/tolerance);
    if (!same) {
      return trf("{} differs by up to {:.6g}", item.key(),
                 (item.value() - *other).abs().max().item<double>());
    }
  }
  return "";
}

// ---------------------------------------------------------------------------------------- model

TEST(Model, HasTheLayersAndThe266610ParametersOfTheKerasModel) {
  Mlp model = make_model();
  int64_t total = 0;
  for (const auto& parameter : model->parameters()) total += parameter.numel();
  EXPECT_EQ(total, kParameterCount)
      << sentence
      << trf("the model has {} parameters, expected {}: a layer assigned without register_module "
             "is invisible to parameters(); write hidden1 = register_module(\"hidden1\", "
             "torch::nn::Linear(784, 300)) (hint 1)",
             total, kParameterCount);
  if (HasFailure()) return;
  const auto named = model->named_parameters();
  ASSERT_EQ(named.size(), kLayout.size())
      << sentence
      << trn("the model has {} parameter tensor ({}), expected 6: hidden1, hidden2 and output, "
             "each with a weight and a bias (hint 1)",
             "the model has {} parameter tensors ({}), expected 6: hidden1, hidden2 and output, "
             "each with a weight and a bias (hint 1)",
             named.size(), named.size(), names_of(model));
  for (const auto& [name, shape] : kLayout) {
    const torch::Tensor* parameter = named.find(name);
    ASSERT_NE(parameter, nullptr)
        << sentence
        << trf("the model has no parameter {} (it has {}): register each layer under its name, "
               "register_module(\"hidden1\", ...) (hint 1)",
               name, names_of(model));
    EXPECT_EQ(parameter->sizes(), torch::IntArrayRef(shape))
        << sentence
        << trf("{} has shape {}, expected {}: hidden1 is torch::nn::Linear(784, 300), hidden2 "
               "(300, 100), output (100, 10) (hint 1)",
               name, text_of(parameter->sizes()), text_of(torch::IntArrayRef(shape)));
    if (HasFailure()) return;
  }
}

TEST(Model, ForwardIsLinearReluLinearReluLinearWithoutSoftmax) {
  torch::manual_seed(3);
  Mlp model = make_model();
  const torch::Tensor images = torch::randn({5, 784});
  const torch::Tensor logits = forward_of(model, images);
  ASSERT_TRUE(logits.defined()) << sentence
                                << trf("the model's forward returned an empty tensor: return the "
                                       "output layer's result (hint 1)");
  ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{5, 10}))
      << sentence
      << trf("the model's forward gave logits of shape {} for images [5, 784], expected [5, 10]: "
             "hidden1, ReLU, hidden2, ReLU, output (hint 1)",
             text_of(logits.sizes()));
  EXPECT_EQ(logits.dtype(), torch::kFloat)
      << sentence
      << trf("the model's logits are {}, expected float: return the output layer's result as it "
             "is (hint 1)",
             dtype_name(logits.dtype()));
  const std::string layout = layout_problem(model);
  ASSERT_TRUE(layout.empty()) << sentence << layout;

  auto p = model->named_parameters();
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::relu(images.matmul(p["hidden1.weight"].t()) + p["hidden1.bias"]);
  x = torch::relu(x.matmul(p["hidden2.weight"].t()) + p["hidden2.bias"]);
  const torch::Tensor expected = x.matmul(p["output.weight"].t()) + p["output.bias"];
  EXPECT_TRUE(torch::allclose(logits, expected, 1e-5, 1e-5))
      << sentence
      << trf("the logits differ by up to {:.6g} from output(relu(hidden2(relu(hidden1(x))))): a "
             "ReLU after hidden1 and after hidden2, and no softmax at the end (hint 1)",
             (logits - expected).abs().max().item<double>());
}

// A layer member as a sentence says it: "empty" (still {nullptr}) or "set".
std::string state_of(const torch::nn::Linear& layer) {
  return std::string(layer.is_empty() ? tr("empty") : tr("set"));
}

TEST(Model, LayersAreInitialisedInTheirOrderLikePython) {
  // Python builds hidden1, hidden2, output in this order from the seeded generator; so must we.
  torch::manual_seed(7);
  Mlp model = make_model();
  ASSERT_FALSE(model->hidden1.is_empty() || model->hidden2.is_empty() || model->output.is_empty())
      << sentence
      << trf("after the constructor a layer member is still empty (hidden1 {}, hidden2 {}, output "
             "{}): assign each layer, hidden1 = register_module(\"hidden1\", "
             "torch::nn::Linear(784, 300)) (hint 1)",
             state_of(model->hidden1), state_of(model->hidden2), state_of(model->output));
  torch::manual_seed(7);
  torch::nn::Linear hidden1(784, 300);
  torch::nn::Linear hidden2(300, 100);
  torch::nn::Linear output(100, 10);
  std::string differs;
  if (!torch::equal(model->hidden1->weight, hidden1->weight)) {
    differs = "hidden1.weight";
  } else if (!torch::equal(model->hidden2->weight, hidden2->weight)) {
    differs = "hidden2.weight";
  } else if (!torch::equal(model->output->bias, output->bias)) {
    differs = "output.bias";
  }
  EXPECT_TRUE(differs.empty())
      << sentence
      << trf("after torch::manual_seed(7) the model's {} differs from the same layer made in "
             "Python's order: create the layers one statement each, in the order hidden1, "
             "hidden2, output, nothing random before them (hint 1)",
             differs);
}

// An observer that keeps what it was told, and ends the epoch after `stop_after` batches.
struct RecordingObserver : Observer {
  int64_t stop_after = -1;  // -1: never
  std::vector<int64_t> batches;
  std::vector<double> running;
  bool on_batch(int64_t batches_done, double running_loss) override {
    batches.push_back(batches_done);
    running.push_back(running_loss);
    return stop_after < 0 || batches_done < stop_after;
  }
};

// ------------------------------------------------------------------------------ the optimizer

// `steps` Adam steps of `optimizer` with fixed made-up gradients; returns the parameters after.
std::vector<torch::Tensor> step_with_fixed_gradients(torch::optim::Optimizer& optimizer,
                                                     const std::vector<torch::Tensor>& parameters,
                                                     int steps) {
  for (int step = 1; step <= steps; ++step) {
    for (size_t i = 0; i < parameters.size(); ++i) {
      auto generator = at::detail::createCPUGenerator(100 * step + i);
      parameters[i].mutable_grad() = torch::randn(parameters[i].sizes(), generator);
    }
    optimizer.step();
  }
  std::vector<torch::Tensor> after;
  for (const torch::Tensor& parameter : parameters) after.push_back(parameter.detach().clone());
  return after;
}

TEST(MakeOptimizer, IsAdamOverEveryParameterWithTheGivenLearningRate) {
  for (const double lr : {1e-3, 0.02}) {
    torch::manual_seed(8);
    Mlp model = make_model();
    Mlp reference = make_model();
    copy_parameters(model, reference);
    torch::optim::Adam optimizer = checked_make_optimizer(model, lr);

    const auto& held = optimizer.param_groups().at(0).params();
    const auto parameters = model->parameters();
    ASSERT_EQ(held.size(), parameters.size())
        << sentence
        << trn("the optimizer holds {} tensor, the model has {}: the optimizer must hold every "
               "parameter of the model, model->parameters() (hint 2)",
               "the optimizer holds {} tensors, the model has {}: the optimizer must hold every "
               "parameter of the model, model->parameters() (hint 2)",
               held.size(), held.size(), parameters.size());
    for (size_t i = 0; i < held.size(); ++i) {
      EXPECT_TRUE(held[i].is_same(parameters[i]))
          << sentence
          << trf("the optimizer's tensor {} is not the model's parameter {}: build the optimizer "
                 "from model->parameters() of the model that trains (hint 2)",
                 i, i);
      if (HasFailure()) return;
    }
    const auto& options = static_cast<const torch::optim::AdamOptions&>(optimizer.defaults());
    EXPECT_DOUBLE_EQ(options.lr(), lr)
        << sentence
        << trf("make_optimizer was given learning_rate {:.6g}, Adam's is {:.6g}: use the "
               "learning_rate argument, AdamOptions(learning_rate), not a number (hint 2)",
               lr, options.lr());
    if (HasFailure()) return;

    // Three steps equal three steps of Python's optim.Adam(params, lr=lr): Adam's defaults for
    // everything else (betas 0.9 / 0.999, eps 1e-8, no weight decay).
    torch::optim::Adam expected(reference->parameters(), torch::optim::AdamOptions(lr));
    const auto got = step_with_fixed_gradients(optimizer, model->parameters(), 3);
    const auto want = step_with_fixed_gradients(expected, reference->parameters(), 3);
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(torch::allclose(got[i], want[i], 0, 1e-7))
          << sentence
          << trf("at learning rate {:.6g} three steps move parameter {} up to {:.6g} away from "
                 "torch::optim::Adam(params, AdamOptions(learning_rate)): keep Adam's other "
                 "defaults, betas (0.9, 0.999), eps 1e-8, no weight decay (hint 2)",
                 lr, i, (got[i] - want[i]).abs().max().item<double>());
      if (HasFailure()) return;
    }
  }
}

// ------------------------------------------------------------------------------ one epoch

// The same epoch written out by hand: plain SGD, a fresh gradient for every batch.
void hand_written_sgd_epoch(Mlp& model, const harness::Batches& batches, double lr,
                            int64_t max_batches) {
  int64_t done = 0;
  for (const harness::Batch& batch : batches) {
    if (done++ == max_batches) break;
    auto parameters = model->parameters();
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(model->forward(batch.images), batch.labels);
    const auto gradients = torch::autograd::grad({loss}, parameters);
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < parameters.size(); ++i) parameters[i].sub_(lr * gradients[i]);
  }
}

TEST(TrainOneEpoch, MatchesHandWrittenSgdStepsWithFreshGradients) {
  // A missing zero_grad() would add up the gradients of all batches; this catches it.
  torch::manual_seed(11);
  Mlp model = make_model();
  Mlp reference = make_model();
  copy_parameters(model, reference);
  const Toy toy = toy_data(10, 1);
  harness::Batches batches(toy.images, toy.labels, /*batch_size=*/4, /*seed=*/5);
  batches.set_epoch(1);

  const torch::Tensor initial = model->output->weight.detach().clone();

  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  Observer quiet;
  checked_epoch(model, optimizer, batches, quiet);
  hand_written_sgd_epoch(reference, batches, 0.1, batches.size());
  const std::string difference = first_difference(model, reference, 1e-6);
  EXPECT_TRUE(difference.empty())
      << sentence
      << trf("after one epoch of 3 batches of SGD at learning rate 0.1, {} from plain SGD steps: "
             "is zero_grad() called before every backward(), and step() after it, once per "
             "batch? (hint 3)",
             difference);
  EXPECT_FALSE(torch::equal(model->output->weight, initial))
      << sentence
      << trf("one epoch of SGD at learning rate 0.1 left output.weight unchanged: "
             "loss.backward(), then optimizer.step(), for each batch (hint 3)");
}

TEST(TrainOneEpoch, ReturnsTheMeanLossPerExampleNotPerBatch) {
  // With lr = 0 the weights never change, so the epoch's mean loss is the loss over all 10
  // examples; batches of 4, 4 and 2 must count by their size.
  torch::manual_seed(12);
  Mlp model = make_model();
  const Toy toy = toy_data(10, 2);
  harness::Batches batches(toy.images, toy.labels, 4, 6);
  torch::optim::SGD frozen(model->parameters(), torch::optim::SGDOptions(0.0));
  Observer quiet;
  const double loss = checked_epoch(model, frozen, batches, quiet);
  torch::NoGradGuard no_grad;
  const double expected =
      torch::nn::functional::cross_entropy(model->forward(toy.images), toy.labels).item<double>();
  EXPECT_NEAR(loss, expected, 1e-5)
      << sentence
      << trf("train_one_epoch returned {:.6g}, expected {:.6g}, the mean loss of all 10 examples "
             "(batches of 4, 4 and 2): weigh each batch's loss by its size, loss.item<double>() "
             "* batch.size(), and divide by the examples (hint 3)",
             loss, expected);
}

TEST(TrainOneEpoch, ReportsEachBatchAndStopsWhenTheCallbackSaysSo) {
  torch::manual_seed(13);
  Mlp model = make_model();
  Mlp reference = make_model();
  copy_parameters(model, reference);
  const Toy toy = toy_data(12, 3);
  harness::Batches batches(toy.images, toy.labels, 3, 7);  // 4 batches
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05));
  RecordingObserver observer;
  observer.stop_after = 2;  // stop after the second batch, as Ctrl-C does
  checked_epoch(model, optimizer, batches, observer);
  ASSERT_EQ(observer.batches, (std::vector<int64_t>{1, 2}))
      << sentence
      << trf("on_batch was called with batches_done {}, expected [1, 2] when it returns false at "
             "the second: call observer.on_batch(batches_done, running_loss) after each batch "
             "and leave the loop when it returns false (hint 3)",
             show(observer.batches));
  EXPECT_TRUE(std::isfinite(observer.running[0]) && observer.running[0] > 0.0)
      << sentence
      << trf("the running loss told to on_batch after batch 1 is {:.6g}: report the mean loss so "
             "far, sum / examples (hint 3)",
             observer.running[0]);
  // Exactly two steps were taken.
  hand_written_sgd_epoch(reference, batches, 0.05, 2);
  const std::string difference = first_difference(model, reference, 1e-6);
  EXPECT_TRUE(difference.empty())
      << sentence
      << trf("after two batches and a stop, {} from two SGD steps: step on each batch, then "
             "leave the loop as soon as on_batch returns false (hint 3)",
             difference);
}

TEST(TrainOneEpoch, PutsTheModelInTrainingMode) {
  Mlp model = make_model();
  model->eval();
  const Toy toy = toy_data(4, 4);
  harness::Batches batches(toy.images, toy.labels, 4, 8);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.0));
  Observer quiet;
  checked_epoch(model, optimizer, batches, quiet);
  EXPECT_TRUE(model->is_training())
      << sentence
      << trf("after train_one_epoch the model is still in evaluation mode, as evaluate() left "
             "it: call model->train() before the loop (hint 3)");
}

TEST(TrainOneEpoch, AdamLearnsASmallSeparableProblem) {
  // 200 examples whose class is written into the image: a few epochs must get the loss down.
  torch::manual_seed(14);
  Mlp model = make_model();
  const harness::Examples problem = separable_problem(200);
  harness::Batches batches(problem.images, problem.labels, 32, 9);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  Observer quiet;
  batches.set_epoch(1);
  const double first = checked_epoch(model, optimizer, batches, quiet);
  double last = first;
  for (int64_t epoch = 2; epoch <= 5; ++epoch) {
    batches.set_epoch(epoch);
    last = checked_epoch(model, optimizer, batches, quiet);
  }
  EXPECT_LT(last, 0.2 * first)
      << sentence
      << trf("five epochs of Adam on an easy problem took the mean loss from {:.6g} to {:.6g}, "
             "expected below a fifth of the first: for each batch zero_grad(), the loss, "
             "backward(), step() (hint 3)",
             first, last);
}

// Watches, while it lives and autograd is on, every operator on this thread that takes a batch's
// loss (a tensor made by cross_entropy, whose graph node is NllLossBackward0) as an input. Only
// backward()'s seed (ones_like, empty_like) and item() may: any other use, such as adding the
// loss tensors up over the epoch, keeps every batch's graph alive until the epoch ends, and the
// numbers never show it.
class LossUses {
 public:
  LossUses() {
    names().clear();
    handle_ = at::addThreadLocalCallback(at::RecordFunctionCallback(&on_start).needsInputs(true));
  }
  ~LossUses() { at::removeCallback(handle_); }
  LossUses(const LossUses&) = delete;
  LossUses& operator=(const LossUses&) = delete;
  static std::vector<std::string>& names() {
    static thread_local std::vector<std::string> seen;
    return seen;
  }

 private:
  static std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& step) {
    static const std::set<std::string> allowed = {"aten::ones_like", "aten::empty_like",
                                                  "aten::item", "aten::_local_scalar_dense",
                                                  "aten::detach"};
    const std::string name = step.name();
    if (!at::GradMode::is_enabled() || allowed.count(name) > 0) return nullptr;
    for (const c10::IValue& input : step.inputs()) {
      if (!input.isTensor()) continue;
      const at::Tensor& tensor = input.toTensor();
      if (tensor.defined() && tensor.grad_fn() && tensor.grad_fn()->name() == "NllLossBackward0") {
        names().push_back(name);
        break;
      }
    }
    return nullptr;
  }
  at::CallbackHandle handle_;
};

TEST(TrainOneEpoch, KeepsNoBatchsGraphAliveInItsRunningSum) {
  torch::manual_seed(16);
  Mlp model = make_model();
  const harness::Examples problem = separable_problem(64);
  harness::Batches batches(problem.images, problem.labels, 16, 9);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  Observer quiet;
  batches.set_epoch(1);
  std::vector<std::string> uses;
  {
    LossUses watch;
    checked_epoch(model, optimizer, batches, quiet);
    uses = LossUses::names();
  }
  std::string listed;
  for (const std::string& use : uses) listed += (listed.empty() ? "" : ", ") + use;
  EXPECT_TRUE(uses.empty())
      << sentence
      << trf("train_one_epoch used a batch's loss tensor in {} with autograd on, so every batch's "
             "graph stays alive until the epoch ends (the numbers are the same, the memory is "
             "not): add up its value, loss.item<double>() (hint 3)",
             listed);
}

// ------------------------------------------------------------------------------- evaluation

TEST(Evaluate, MatchesCrossEntropyAndArgmaxAccuracy) {
  torch::manual_seed(15);
  Mlp model = make_model();
  const torch::Tensor images = torch::randn({8, 784});
  torch::Tensor predicted;
  {
    torch::NoGradGuard no_grad;
    predicted = forward_of(model, images).argmax(1);
  }
  // Labels that agree with the model on the first 3 examples only: accuracy 3/8.
  torch::Tensor labels = (predicted + 1) % 10;
  labels.slice(0, 0, 3).copy_(predicted.slice(0, 0, 3));

  const Evaluation result = checked_evaluate(model, images, labels);
  EXPECT_DOUBLE_EQ(result.accuracy, 3.0 / 8.0)
      << sentence
      << trf("evaluate's accuracy is {:.6g}, expected 0.375 (3 of 8 predictions agree with the "
             "labels): the mean of predictions.eq(labels) as double (hint 4)",
             result.accuracy);
  torch::NoGradGuard no_grad;
  const double expected_loss =
      torch::nn::functional::cross_entropy(model->forward(images), labels).item<double>();
  EXPECT_NEAR(result.loss, expected_loss, 1e-6)
      << sentence
      << trf("evaluate's loss is {:.6g}, expected {:.6g}, the mean cross-entropy: "
             "cross_entropy(logits, labels) on the logits as they are, no softmax first (hint 4)",
             result.loss, expected_loss);
  ASSERT_TRUE(result.predictions.defined())
      << sentence << trf("evaluate left predictions empty: fill it with logits.argmax(1) (hint 4)");
  EXPECT_EQ(result.predictions.dtype(), torch::kLong)
      << sentence
      << trf("evaluate's predictions are {}, expected int64: logits.argmax(1) as it is (hint 4)",
             dtype_name(result.predictions.dtype()));
  EXPECT_TRUE(torch::equal(result.predictions, predicted))
      << sentence
      << trf("evaluate's predictions are {}, expected {}, the largest logit of each image: "
             "logits.argmax(1) (hint 4)",
             course::show(result.predictions), course::show(predicted));
}

TEST(Evaluate, UsesEvaluationModeAndBuildsNoGraph) {
  Mlp model = make_model();
  model->train();
  const Toy toy = toy_data(6, 5);
  Evaluation result;
  {
    // The linear layers' operators, counted apart by whether autograd was recording.
    using course::testing::OperatorCounter;
    const auto linear = OperatorCounter::named({"aten::linear", "aten::addmm"});
    OperatorCounter recording(
        [&](const at::RecordFunction& op) { return linear(op) && at::GradMode::is_enabled(); });
    OperatorCounter not_recording(
        [&](const at::RecordFunction& op) { return linear(op) && !at::GradMode::is_enabled(); });
    result = checked_evaluate(model, toy.images, toy.labels);
    EXPECT_EQ(recording.count(), 0)
        << sentence
        << trn("evaluate's forward ran {} linear operator while autograd recorded a graph: it "
               "needs a named torch::NoGradGuard that lives until the forward is done; an "
               "unnamed torch::NoGradGuard{{}} ends at its own semicolon (hint 4)",
               "evaluate's forward ran {} linear operators while autograd recorded a graph: it "
               "needs a named torch::NoGradGuard that lives until the forward is done; an "
               "unnamed torch::NoGradGuard{{}} ends at its own semicolon (hint 4)",
               recording.count(), recording.count());
    EXPECT_GT(not_recording.count(), 0)
        << sentence
        << trf("evaluate ran no linear layer with autograd off: run the model, "
               "model->forward(images), under a named torch::NoGradGuard (hint 4)");
  }
  EXPECT_FALSE(model->is_training())
      << sentence
      << trf("after evaluate the model is still in training mode: evaluate must switch it to "
             "evaluation mode with model->eval() (hint 4)");
  ASSERT_TRUE(result.predictions.defined())
      << sentence << trf("evaluate left predictions empty: fill it with logits.argmax(1) (hint 4)");
  EXPECT_FALSE(result.predictions.requires_grad())
      << sentence
      << trf("evaluate built a graph: it needs a named torch::NoGradGuard that lives until the "
             "forward is done; an unnamed torch::NoGradGuard{{}} ends at its own semicolon "
             "(hint 4)");
  EXPECT_TRUE(torch::GradMode::is_enabled())
      << sentence
      << trf("after evaluate autograd is still off for everything else: switch it off with a "
             "local torch::NoGradGuard no_grad;, not a global switch (hint 4)");
  std::string with_gradient;
  for (const auto& parameter : model->named_parameters()) {
    if (parameter.value().grad().defined()) {
      with_gradient = parameter.key();
      break;
    }
  }
  EXPECT_TRUE(with_gradient.empty())
      << sentence
      << trf("after evaluate {} has a gradient: evaluate only measures, with no backward() "
             "(hint 4)",
             with_gradient);
}

// ------------------------------------------------------------------------------------- fit

// An optimizer that writes scripted weights instead of learning: its k-th step() sets the
// output layer's weight to zero and its bias to [v_k, 0, ..., 0], so the logits of every image
// are that bias. On validation labels that are all 0 the loss is then log(1 + 9 exp(-v_k)): a
// larger v is a lower loss, the same v the same loss bit for bit, a NaN v a NaN loss. With one
// batch per epoch, epoch k ends with step k's weights, which it keeps a copy of.
class ScriptedOptimizer : public torch::optim::Optimizer {
 public:
  ScriptedOptimizer(Mlp model, std::vector<double> values)
      : torch::optim::Optimizer({torch::optim::OptimizerParamGroup(model->parameters())},
                                std::make_unique<torch::optim::SGDOptions>(0.0)),
        model_(std::move(model)),
        values_(std::move(values)) {}

  torch::Tensor step(LossClosure closure = nullptr) override {
    (void)closure;
    torch::NoGradGuard no_grad;
    const double value = values_.at(std::min(after_step.size(), values_.size() - 1));
    model_->output->weight.zero_();
    model_->output->bias.zero_();
    model_->output->bias[0].fill_(value);
    std::vector<torch::Tensor> weights;
    for (const torch::Tensor& parameter : model_->parameters())
      weights.push_back(parameter.clone());
    after_step.push_back(weights);
    return {};
  }

  std::vector<std::vector<torch::Tensor>> after_step;  // the weights after each step

 private:
  Mlp model_;
  std::vector<double> values_;
};

// What fit() told its observer, and the state of things each time it did.
struct EpochWatcher : Observer {
  const Mlp* model = nullptr;
  const harness::Batches* batches = nullptr;
  int64_t stop_during_epoch = 0;  // 0: never ask to stop
  bool stop = false;
  std::vector<EpochResult> reported;
  std::vector<bool> training_mode_at_report;
  std::vector<int64_t> shuffle_epoch_at_report;

  bool on_batch(int64_t, double) override {
    if (stop_during_epoch != 0 && batches->epoch() == stop_during_epoch) stop = true;
    return !stop;
  }
  void on_epoch(const EpochResult& result) override {
    reported.push_back(result);
    training_mode_at_report.push_back((*model)->is_training());
    shuffle_epoch_at_report.push_back(batches->epoch());
  }
  bool stop_requested() const override { return stop; }
};

// A run of fit() on the scripted optimizer: 4 training images (one batch per epoch), 6
// validation images of class 0.
struct ScriptedRun {
  Mlp model = make_model();
  std::vector<torch::Tensor> initial;
  std::unique_ptr<ScriptedOptimizer> optimizer;
  harness::Batches batches;
  harness::Examples validation;
  EpochWatcher watcher;
  History history;

  explicit ScriptedRun(std::vector<double> values)
      : batches(torch::randn({4, 784}), torch::randint(10, {4}), /*batch_size=*/4, /*seed=*/3),
        validation{torch::randn({6, 784}), torch::zeros({6}, torch::kLong)} {
    for (const torch::Tensor& parameter : model->parameters()) initial.push_back(parameter.clone());
    optimizer = std::make_unique<ScriptedOptimizer>(model, std::move(values));
    watcher.model = &model;
    watcher.batches = &batches;
  }

  ScriptedRun& fit(int64_t patience, int64_t max_epochs = 20, History resumed = {}) {
    FitOptions options;
    options.patience = patience;
    options.max_epochs = max_epochs;
    options.resumed = std::move(resumed);
    history = explain_throw(
        [&] { return homework::fit(model, *optimizer, batches, validation, options, watcher); },
        trf("fit(patience {}, max_epochs {}) threw: for each epoch from history.epochs.size() + "
            "1 to options.max_epochs, set_epoch, train_one_epoch, evaluate, record, and stop by "
            "the rule (hint 5)",
            patience, max_epochs));
    return *this;
  }

  std::vector<bool> improved() const {
    std::vector<bool> marks;
    for (const EpochResult& result : history.epochs) marks.push_back(result.improved);
    return marks;
  }
  std::vector<int64_t> numbers() const {
    std::vector<int64_t> epochs;
    for (const EpochResult& result : history.epochs) epochs.push_back(result.epoch);
    return epochs;
  }
  int64_t steps() const { return static_cast<int64_t>(optimizer->after_step.size()); }
  // True when the model holds exactly `weights`.
  bool holds(const std::vector<torch::Tensor>& weights) const {
    const auto parameters = model->parameters();
    for (size_t i = 0; i < parameters.size(); ++i) {
      if (!torch::equal(parameters[i], weights[i])) return false;
    }
    return true;
  }
};

// The rule of early stopping, which several sentences end with (tr where printed).
const char* const kStopRule =
    N_("fit() must stop once `epoch - best_epoch` reaches max(patience, 1), where an epoch "
       "improves only with a validation loss strictly lower than the best so far (hint 5)");

// Whether `a` and `b` agree on the epochs both have.
bool same_prefix(const std::vector<bool>& a, const std::vector<bool>& b) {
  const size_t common = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(common), b.begin());
}

TEST(Fit, StopsExactlyPatienceEpochsAfterTheBestAndATieDoesNotImprove) {
  ScriptedRun run({1.0, 2.0, 2.0, 1.5, 3.0, 4.0, 5.0});  // epoch 3 ties epoch 2
  run.fit(/*patience=*/2);
  const std::vector<bool> expected_marks{true, true, false, false};
  // The marks of the epochs both ran: a run that stops too late or too early is the stop rule's
  // sentence below, not this one.
  EXPECT_TRUE(same_prefix(run.improved(), expected_marks))
      << sentence
      << trf("fit() marked the epochs improved {}, expected {}: epoch 3's validation loss ties "
             "epoch 2's, and a tie is not an improvement; compare with `<` (hint 5)",
             show(run.improved()), show(expected_marks));
  if (HasFailure()) return;
  EXPECT_EQ(run.history.epochs.size(), 4u)
      << sentence
      << trn("with patience 2 and the best epoch 2, fit() ran {} epoch, expected 4: {}",
             "with patience 2 and the best epoch 2, fit() ran {} epochs, expected 4: {}",
             run.history.epochs.size(), run.history.epochs.size(), tr(kStopRule));
  EXPECT_EQ(run.steps(), 4) << sentence
                            << trn("fit() trained {} epoch (one step each), expected 4: {}",
                                   "fit() trained {} epochs (one step each), expected 4: {}",
                                   run.steps(), run.steps(), tr(kStopRule));
  EXPECT_EQ(run.history.best_epoch, 2)
      << sentence
      << trf("fit() reports best_epoch {}, expected 2: set history.best_epoch = epoch at every "
             "improvement (hint 5)",
             run.history.best_epoch);
  ASSERT_GE(run.history.epochs.size(), 2u);
  EXPECT_EQ(run.history.best_val_loss, run.history.epochs[1].val_loss)
      << sentence
      << trf("fit() reports best_val_loss {:.6g}, expected epoch 2's validation loss {:.6g}: set "
             "history.best_val_loss at every improvement (hint 5)",
             run.history.best_val_loss, run.history.epochs[1].val_loss);
  std::vector<int64_t> counted;
  for (size_t i = 0; i < run.history.epochs.size(); ++i)
    counted.push_back(static_cast<int64_t>(i) + 1);
  EXPECT_EQ(run.numbers(), counted)
      << sentence
      << trf("fit() numbered its epochs {}, expected {}: epochs count from 1 (hint 5)",
             show(run.numbers()), show(counted));
}

TEST(Fit, NaNNeverImprovesAndCountsTowardsPatience) {
  ScriptedRun run({1.0, kNaN, 3.0, kNaN, kNaN, 5.0, 6.0});
  run.fit(/*patience=*/2);
  const std::vector<bool> expected_marks{true, false, true, false, false};
  EXPECT_TRUE(same_prefix(run.improved(), expected_marks))
      << sentence
      << trf("with validation losses of epochs 2, 4 and 5 NaN, fit() marked the epochs improved "
             "{}, expected {}: a NaN validation loss never improves; compare with `<`, which is "
             "false for NaN (hint 5)",
             show(run.improved()), show(expected_marks));
  if (HasFailure()) return;
  EXPECT_EQ(run.history.epochs.size(), 5u)
      << sentence
      << trn("with patience 2 and the best epoch 3, fit() ran {} epoch, expected 5: {}",
             "with patience 2 and the best epoch 3, fit() ran {} epochs, expected 5: {}",
             run.history.epochs.size(), run.history.epochs.size(), tr(kStopRule));
  EXPECT_EQ(run.history.best_epoch, 3)
      << sentence
      << trf("fit() reports best_epoch {}, expected 3: a NaN never improves (hint 5)",
             run.history.best_epoch);
}

TEST(Fit, PatienceZeroActsAsOneAndOneStopsAtTheFirstEpochWithoutImprovement) {
  for (const int64_t patience : {0, 1}) {
    ScriptedRun run({1.0, 2.0, 1.5, 4.0, 5.0});
    run.fit(patience);
    EXPECT_EQ(run.history.epochs.size(), 3u)
        << sentence
        << trn("with patience {} and the best epoch 2, fit() ran {} epoch, expected 3: {}",
               "with patience {} and the best epoch 2, fit() ran {} epochs, expected 3: {}",
               run.history.epochs.size(), patience, run.history.epochs.size(), tr(kStopRule));
    EXPECT_EQ(run.history.best_epoch, 2)
        << sentence
        << trf("with patience {} fit() reports best_epoch {}, expected 2: {}", patience,
               run.history.best_epoch, tr(kStopRule));
    if (HasFailure()) return;
  }
}

TEST(Fit, RunsToMaxEpochsWhileTheLossKeepsImproving) {
  ScriptedRun run({1.0, 2.0, 3.0, 4.0, 5.0, 6.0});
  run.fit(/*patience=*/1, /*max_epochs=*/4);
  EXPECT_EQ(run.history.epochs.size(), 4u)
      << sentence
      << trn("with max_epochs 4 and every epoch improving, fit() ran {} epoch, expected 4: stop "
             "at options.max_epochs (hint 5)",
             "with max_epochs 4 and every epoch improving, fit() ran {} epochs, expected 4: stop "
             "at options.max_epochs (hint 5)",
             run.history.epochs.size(), run.history.epochs.size());
  EXPECT_EQ(run.history.best_epoch, 4)
      << sentence
      << trf("every epoch improved, yet fit() reports best_epoch {}, expected 4 (hint 5)",
             run.history.best_epoch);
}

TEST(Fit, PutsBackTheBestEpochsWeightsBitForBitNotTheLastOnes) {
  ScriptedRun run({1.0, 3.0, 2.0, 1.5, 2.5});
  run.fit(/*patience=*/3);
  ASSERT_TRUE(run.history.best_epoch == 2 && run.steps() == 5)
      << sentence
      << trn("with patience 3 and the best epoch 2, fit() reports best_epoch {} after {} epoch, "
             "expected 2 after 5: {}",
             "with patience 3 and the best epoch 2, fit() reports best_epoch {} after {} epochs, "
             "expected 2 after 5: {}",
             run.steps(), run.history.best_epoch, run.steps(), tr(kStopRule));
  EXPECT_FALSE(run.holds(run.optimizer->after_step.back()))
      << sentence
      << trf("after fit() the model holds the last epoch's weights, not those of the best epoch "
             "2: was the copy of the best weights a real one? `Mlp best = model;` or a list of "
             "model->parameters() shares the live tensors, which the next epochs change (hint 6)");
  if (HasFailure()) return;
  EXPECT_TRUE(run.holds(run.optimizer->after_step[1]))
      << sentence
      << trf("after fit() the model must hold exactly the weights of the best epoch, 2: clone "
             "each parameter at every improvement and copy_ them back at the end "
             "(restore_best_weights, hint 6)");
}

TEST(Fit, WithoutAnyImprovementTheModelKeepsTheWeightsItStartedWith) {
  ScriptedRun run({kNaN, kNaN, kNaN});
  run.fit(/*patience=*/1);
  EXPECT_EQ(run.history.epochs.size(), 1u)
      << sentence
      << trn("with patience 1 and no epoch improving, fit() ran {} epoch, expected 1: {}",
             "with patience 1 and no epoch improving, fit() ran {} epochs, expected 1: {}",
             run.history.epochs.size(), run.history.epochs.size(), tr(kStopRule));
  EXPECT_EQ(run.history.best_epoch, 0)
      << sentence
      << trf("no epoch improved, yet fit() reports best_epoch {}: best_epoch stays 0 until an "
             "epoch improves (hint 5)",
             run.history.best_epoch);
  EXPECT_TRUE(run.holds(run.initial))
      << sentence
      << trf("no epoch improved, and after fit() the model does not hold the weights it started "
             "with: take a copy of the weights before the loop and put it back at the end "
             "(hint 6)");
}

TEST(Fit, ReportsEachEpochAfterValidatingItWithANewShuffle) {
  ScriptedRun run({1.0, 2.0, 1.5, 1.2});
  run.fit(/*patience=*/2);
  ASSERT_EQ(run.watcher.reported.size(), run.history.epochs.size())
      << sentence
      << trf("fit() recorded {} epochs but called observer.on_epoch {} times: call "
             "observer.on_epoch(result) once per complete epoch (hint 5)",
             run.history.epochs.size(), run.watcher.reported.size());
  for (size_t i = 0; i < run.history.epochs.size(); ++i) {
    const EpochResult& result = run.watcher.reported[i];
    const EpochResult& recorded = run.history.epochs[i];
    EXPECT_TRUE(result.epoch == recorded.epoch && result.improved == recorded.improved &&
                result.val_loss == recorded.val_loss)
        << sentence
        << trf("on_epoch was told epoch {} (val_loss {:.6g}), but the history records epoch {} "
               "(val_loss {:.6g}): pass history.epochs.back() to on_epoch, after recording the "
               "epoch (hint 5)",
               result.epoch, result.val_loss, recorded.epoch, recorded.val_loss);
    EXPECT_FALSE(run.watcher.training_mode_at_report[i])
        << sentence
        << trf("epoch {} was validated in training mode: validate with evaluate(), which calls "
               "model->eval() (hint 4)",
               result.epoch);
    EXPECT_EQ(run.watcher.shuffle_epoch_at_report[i], result.epoch)
        << sentence
        << trf("epoch {} was trained on the shuffle of epoch {}: train_batches.set_epoch(epoch) "
               "before each epoch, or every epoch sees the same order (hint 5)",
               result.epoch, run.watcher.shuffle_epoch_at_report[i]);
    if (HasFailure()) return;
  }
  // The recorded validation loss is the model's, measured like evaluate() does.
  ASSERT_FALSE(run.history.epochs.empty())
      << sentence
      << trf("fit() recorded no epoch at all: record each complete epoch in history.epochs "
             "(hint 5)");
  const double first_loss = run.history.epochs[0].val_loss;
  const double expected = std::log1p(9.0 * std::exp(-1.0));  // bias [1, 0, ..., 0], label 0
  EXPECT_NEAR(first_loss, expected, 1e-5)
      << sentence
      << trf("epoch 1's validation loss is {:.6g}, expected {:.6g}, the model's on the validation "
             "set: record evaluate(model, validation.images, validation.labels).loss (hint 5)",
             first_loss, expected);
  EXPECT_GT(run.history.epochs[0].train_loss, 0.0)
      << sentence
      << trf("epoch 1's train_loss is {:.6g}: record what train_one_epoch returns (hint 5)",
             run.history.epochs[0].train_loss);
}

TEST(Fit, StopsWhenTheObserverAsksAndDropsTheEpochItCut) {
  ScriptedRun run({1.0, 2.0, 3.0, 4.0, 5.0});
  run.watcher.stop_during_epoch = 3;  // Ctrl-C during epoch 3
  run.fit(/*patience=*/5);
  EXPECT_EQ(run.history.epochs.size(), 2u)
      << sentence
      << trn("Ctrl-C came during epoch 3 and fit() recorded {} epoch, expected 2: after "
             "train_one_epoch, if observer.stop_requested(), leave the loop before validating or "
             "recording the epoch (hint 5)",
             "Ctrl-C came during epoch 3 and fit() recorded {} epochs, expected 2: after "
             "train_one_epoch, if observer.stop_requested(), leave the loop before validating or "
             "recording the epoch (hint 5)",
             run.history.epochs.size(), run.history.epochs.size());
  EXPECT_EQ(run.watcher.reported.size(), 2u)
      << sentence
      << trn("Ctrl-C came during epoch 3 and fit() called on_epoch {} time, expected 2: check "
             "observer.stop_requested() before validating the epoch (hint 5)",
             "Ctrl-C came during epoch 3 and fit() called on_epoch {} times, expected 2: check "
             "observer.stop_requested() before validating the epoch (hint 5)",
             run.watcher.reported.size(), run.watcher.reported.size());
  EXPECT_EQ(run.history.best_epoch, 2)
      << sentence
      << trf("Ctrl-C came during epoch 3 and fit() reports best_epoch {}, expected 2: the cut "
             "epoch is not validated (hint 5)",
             run.history.best_epoch);
  if (HasFailure()) return;
  EXPECT_TRUE(run.holds(run.optimizer->after_step[1]))
      << sentence
      << trf("after Ctrl-C the model does not hold the weights of the best epoch, 2: an "
             "interrupted fit() still puts back the best weights (hint 6)");
}

TEST(Fit, GoesOnAfterTheEpochsOfAResumedRun) {
  // A checkpoint holds epochs 1-2 (2 the best, at the loss of v = 2) and its weights.
  ScriptedRun run({1.5, 1.0, 1.8, 1.9});
  {
    torch::NoGradGuard no_grad;
    run.model->output->weight.zero_();
    run.model->output->bias.zero_();
    run.model->output->bias[0].fill_(2.0);
  }
  std::vector<torch::Tensor> checkpoint;
  for (const torch::Tensor& parameter : run.model->parameters())
    checkpoint.push_back(parameter.clone());
  History resumed;
  resumed.epochs = {{1, 0.9, 0.5, 0.5, true},
                    {2, 0.8, std::log1p(9.0 * std::exp(-2.0)), 0.6, true}};
  resumed.best_epoch = 2;
  resumed.best_val_loss = resumed.epochs[1].val_loss;
  run.fit(/*patience=*/2, /*max_epochs=*/20, resumed);

  ASSERT_EQ(run.history.epochs.size(), 4u)
      << sentence
      << trn("resumed after epochs 1 and 2, fit() ends with {} epoch, expected 4: a resumed fit() "
             "starts from options.resumed, and epochs 3 and 4 do not improve on epoch 2, so "
             "patience 2 stops after epoch 4 (hint 5)",
             "resumed after epochs 1 and 2, fit() ends with {} epochs, expected 4: a resumed "
             "fit() starts from options.resumed, and epochs 3 and 4 do not improve on epoch 2, so "
             "patience 2 stops after epoch 4 (hint 5)",
             run.history.epochs.size(), run.history.epochs.size());
  EXPECT_EQ(run.history.epochs[0].val_loss, resumed.epochs[0].val_loss)
      << sentence
      << trf("epoch 1's validation loss became {:.6g}, expected the resumed {:.6g}: keep the old "
             "epochs, History history = options.resumed (hint 5)",
             run.history.epochs[0].val_loss, resumed.epochs[0].val_loss);
  EXPECT_EQ(run.history.epochs[2].epoch, 3)
      << sentence
      << trf("the first epoch after the resumed two is numbered {}, expected 3: start at "
             "history.epochs.size() + 1 (hint 5)",
             run.history.epochs[2].epoch);
  EXPECT_EQ(run.history.best_epoch, 2)
      << sentence
      << trf("resumed with best epoch 2, fit() reports best_epoch {}, expected 2: keep the "
             "resumed best_val_loss (hint 5)",
             run.history.best_epoch);
  ASSERT_FALSE(run.watcher.shuffle_epoch_at_report.empty());
  EXPECT_EQ(run.watcher.shuffle_epoch_at_report.front(), 3)
      << sentence
      << trf("the first epoch after the resumed two was trained on the shuffle of epoch {}, "
             "expected 3: train_batches.set_epoch(epoch) (hint 5)",
             run.watcher.shuffle_epoch_at_report.front());
  if (HasFailure()) return;
  EXPECT_TRUE(run.holds(checkpoint))
      << sentence
      << trf("resumed with the best weights of epoch 2 and no later improvement, the model does "
             "not hold them after fit(): the weights fit() starts with are the best until an "
             "epoch improves (hint 6)");
}

TEST(Fit, TrainsASmallProblemWithTheOptimizerFromMakeOptimizer) {
  torch::manual_seed(14);
  Mlp model = make_model();
  const harness::Examples problem = separable_problem(240);
  harness::Batches batches(problem.images.slice(0, 0, 200), problem.labels.slice(0, 0, 200), 32, 9);
  const harness::Examples validation{problem.images.slice(0, 200), problem.labels.slice(0, 200)};
  torch::optim::Adam optimizer = checked_make_optimizer(model, 1e-3);
  Observer quiet;
  FitOptions options;
  options.patience = 2;
  options.max_epochs = 5;
  const History history =
      explain_throw([&] { return fit(model, optimizer, batches, validation, options, quiet); },
                    trf("fit(patience 2, max_epochs 5) with Adam threw: for each epoch set_epoch, "
                        "train_one_epoch, evaluate, record, and stop by the rule (hint 5)"));
  ASSERT_FALSE(history.epochs.empty())
      << sentence
      << trf("fit() recorded no epoch: record each complete epoch in history.epochs (hint 5)");
  EXPECT_LT(history.best_val_loss, 0.5 * history.epochs.front().train_loss)
      << sentence
      << trf("after fit() with Adam on an easy problem the best validation loss is {:.6g}, not "
             "below half the first epoch's training loss {:.6g}: record evaluate()'s loss for "
             "each epoch and keep the lowest as best_val_loss (hint 5)",
             history.best_val_loss, history.epochs.front().train_loss);
  const double accuracy = checked_evaluate(model, validation.images, validation.labels).accuracy;
  EXPECT_GE(accuracy, 0.95) << sentence
                            << trf("after fit() the model scores {:.6g} on an easy validation "
                                   "set, expected at least 0.95: fit() must train and put back "
                                   "the best weights (hint 6)",
                                   accuracy);
}

// ------------------------------------------------------------------------------- checkpoint

TEST(Checkpoint, RoundTripRestoresModelAndAdamSoTrainingGoesOnIdentically) {
  course::testing::TempDir dir;
  const auto path = dir.path() / "best.pt";
  const Toy toy = toy_data(20, 6);
  harness::Batches batches(toy.images, toy.labels, 5, 10);

  torch::manual_seed(16);
  Mlp model = make_model();
  torch::optim::Adam optimizer = checked_make_optimizer(model, 1e-3);
  Observer quiet;
  batches.set_epoch(1);
  checked_epoch(model, optimizer, batches, quiet);
  harness::CheckpointInfo info;
  info.epoch = 1;
  info.history = nlohmann::json::array({{{"epoch", 1}, {"val_loss", 0.5}}});
  info.config = {{"seed", 42}};
  harness::save_checkpoint(path, *model, optimizer, info);

  torch::manual_seed(17);  // other initial weights, fresh optimizer state
  Mlp restored = make_model();
  torch::optim::Adam restored_optimizer(restored->parameters(), torch::optim::AdamOptions(1e-3));
  const harness::CheckpointInfo loaded =
      harness::load_checkpoint(path, *restored, restored_optimizer, torch::kCPU);
  const std::string after_load = first_difference(model, restored, 0.0);
  EXPECT_TRUE(after_load.empty())
      << sentence
      << trf("after saving and loading a checkpoint, {} from the saved model: the checkpoint "
             "holds the registered parameters, hidden1, hidden2 and output (hint 1)",
             after_load);
  EXPECT_TRUE(loaded.epoch == 1 && loaded.history == info.history && loaded.config == info.config)
      << sentence
      << trf("the checkpoint came back with epoch {}, history {} and config {}, expected 1, {} "
             "and {}: harness/checkpoint.cpp, given, should not be edited",
             loaded.epoch, loaded.history.dump(), loaded.config.dump(), info.history.dump(),
             info.config.dump());
  if (HasFailure()) return;

  // Adam's moments and step count came back too: the next epoch is the same, bit for bit.
  batches.set_epoch(2);
  checked_epoch(model, optimizer, batches, quiet);
  checked_epoch(restored, restored_optimizer, batches, quiet);
  const std::string after_epoch = first_difference(model, restored, 0.0);
  EXPECT_TRUE(after_epoch.empty())
      << sentence
      << trf("one more epoch from the checkpoint and from the live run differ: {}: the optimizer "
             "must be Adam over model->parameters(), and train_one_epoch must step once per "
             "batch and nothing else (hint 2)",
             after_epoch);
}

}  // namespace
}  // namespace homework
