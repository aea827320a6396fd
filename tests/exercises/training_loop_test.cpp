// Exercise 04, the manual training loop: one real epoch on Fashion-MNIST (trained once for the
// whole suite), the loop's parts on small synthetic batches, the three classic mistakes, and an
// MSELoss regression. Every check that fails ends with the course's sentence (support/sentence.h):
// what was expected, what came, the likely cause and the hint of README.md to read.
#include "training_loop.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/fashion_mnist.h"
#include "support/operator_counter.h"
#include "support/sentence.h"
#include "support/test_device.h"

namespace exercises::training_loop {
namespace {

using course::tr;
using course::trf;
using course::trn;
using course::testing::dtype_name;
using course::testing::explain_throw;
using course::testing::sentence;
using course::testing::text_of;

constexpr int64_t kBatchSize = 64;

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// A small synthetic batch: float [n, 784] images and int64 labels 0..9.
struct Batch {
  torch::Tensor images;
  torch::Tensor labels;
};
Batch random_batch(int64_t n, uint64_t seed) {
  torch::manual_seed(seed);
  return {torch::randn({n, 784}), torch::randint(0, 10, {n}, torch::kInt64)};
}

// The cross-entropy written out by hand: -log_softmax(logits)[i, y_i], averaged.
torch::Tensor reference_cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels) {
  return -torch::log_softmax(logits, 1).gather(1, labels.unsqueeze(1)).mean();
}

// The gradient of every parameter for one batch, computed without the exercise's functions.
std::vector<torch::Tensor> reference_gradients(Classifier& model, const Batch& batch) {
  model->zero_grad();
  reference_cross_entropy(model->forward(batch.images), batch.labels).backward();
  std::vector<torch::Tensor> gradients;
  for (const auto& parameter : model->parameters()) gradients.push_back(parameter.grad().clone());
  model->zero_grad();
  return gradients;
}

double largest_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

torch::Tensor meta_batch() {
  return torch::zeros({4, 784}, torch::TensorOptions().device(torch::kMeta));
}

// The student's functions, called so that a LibTorch error they throw reads as a sentence.
// Numbers print as a stream prints them, six significant digits ({:.6g}).
torch::Tensor checked_batch_loss(Classifier& model, const Batch& batch) {
  return explain_throw([&] { return batch_loss(model, batch.images, batch.labels); },
                       trf("batch_loss threw on float images {} and int64 labels {}: apply a "
                           "torch::nn::CrossEntropyLoss to model->forward(images) and the labels "
                           "as they are (hint 1)",
                           text_of(batch.images.sizes()), text_of(batch.labels.sizes())));
}

double checked_train_step(Classifier& model, torch::optim::Optimizer& optimizer,
                          const Batch& batch) {
  return explain_throw(
      [&] { return train_step(model, optimizer, batch.images, batch.labels); },
      trf("train_step threw on a model and a batch both on the cpu: check_same_device(*model, "
          "images), optimizer.zero_grad(), the loss, loss.backward(), optimizer.step(), in this "
          "order (hint 2)"));
}

EpochStats checked_epoch(Classifier& model, torch::optim::Optimizer& optimizer, const Batch& batch,
                         int64_t batch_size) {
  return explain_throw(
      [&] { return train_one_epoch(model, optimizer, batch.images, batch.labels, batch_size); },
      trf("train_one_epoch threw on {} examples in batches of {}: take each batch's positions "
          "with order.slice(0, start, std::min(start + batch_size, n)), the short last batch too "
          "(hint 3)",
          batch.images.size(0), batch_size));
}

torch::Tensor checked_predict(Classifier& model, const torch::Tensor& images) {
  return explain_throw([&] { return predict(model, images); },
                       trf("predict threw on images {} on the cpu: check_same_device(*model, "
                           "images), model->eval(), a named torch::NoGradGuard, then "
                           "model->forward(images) (hint 5)",
                           text_of(images.sizes())));
}

// ---- The parts of the loop. ----

TEST(TrainingLoop, BatchLossIsTheMeanCrossEntropyOfTheLogits) {
  const Batch batch = random_batch(16, 1);
  Classifier model(32, 0.2);
  model->eval();  // Dropout off: the same logits in both computations
  const torch::Tensor loss = checked_batch_loss(model, batch);
  ASSERT_TRUE(loss.defined()) << sentence
                              << tr("batch_loss returned an empty tensor: return "
                                    "criterion(model->forward(images), labels) (hint 1)");
  EXPECT_EQ(loss.dim(), 0) << sentence
                           << trf("batch_loss returned a tensor of shape {}, expected a scalar: "
                                  "the mean over the batch, CrossEntropyLoss's default (hint 1)",
                                  text_of(loss.sizes()));
  EXPECT_TRUE(loss.requires_grad())
      << sentence
      << tr("batch_loss returned a loss that does not require grad, so backward() cannot reach "
            "the model: compute it from model->forward(images), without NoGradGuard or detach() "
            "(hint 1)");
  if (loss.numel() != 1) return;  // item() needs one number
  torch::NoGradGuard no_grad;
  const torch::Tensor expected =
      reference_cross_entropy(model->forward(batch.images), batch.labels);
  EXPECT_NEAR(loss.item<double>(), expected.item<double>(), 1e-5)
      << sentence
      << trf("batch_loss gave {:.6g}, expected {:.6g}, the mean cross-entropy of the logits: "
             "apply torch::nn::CrossEntropyLoss to model->forward(images) as they are, no softmax "
             "first (hint 1)",
             loss.item<double>(), expected.item<double>());
}

// Runs backward() on batch_loss's result, so that a loss without a graph reads as a sentence.
void backward_of_batch_loss(Classifier& model, const Batch& batch) {
  const torch::Tensor loss = checked_batch_loss(model, batch);
  explain_throw([&] { loss.backward(); },
                trf("backward() on batch_loss's result threw: compute the loss from "
                    "model->forward(images) with autograd on, without NoGradGuard or detach() "
                    "(hint 1)"));
}

TEST(TrainingLoop, ForgettingZeroGradDoublesTheGradient) {
  const Batch batch = random_batch(16, 2);
  Classifier model(32, 0.2);
  model->eval();
  model->zero_grad();
  backward_of_batch_loss(model, batch);
  ASSERT_TRUE(model->fc1->weight.grad().defined())
      << sentence
      << tr("after backward() on batch_loss's result fc1.weight has no gradient: compute the "
            "loss from model->forward(images), so that backward() reaches the model (hint 1)");
  const torch::Tensor once = model->fc1->weight.grad().clone();
  backward_of_batch_loss(model, batch);  // no zero_grad() in between
  const torch::Tensor twice = model->fc1->weight.grad().clone();
  const double once_size = once.abs().sum().item<double>();
  ASSERT_GT(once_size, 0.0)
      << sentence
      << tr("after backward() on batch_loss's result fc1.weight's gradient is all zeros: compute "
            "the loss from model->forward(images) (hint 1)");
  EXPECT_TRUE(torch::allclose(twice, 2 * once, 1e-5, 1e-7))
      << sentence
      << trf("a second backward() without zero_grad() should double fc1.weight's gradient (sum "
             "of |g| from {:.6g} to {:.6g}), it gave {:.6g}: batch_loss must only compute the "
             "loss, criterion(model->forward(images), labels), without zero_grad(), train() or "
             "other changes to the model (hint 1)",
             once_size, 2 * once_size, twice.abs().sum().item<double>());
  if (HasFailure()) return;
  model->zero_grad();
  backward_of_batch_loss(model, batch);
  EXPECT_TRUE(torch::allclose(model->fc1->weight.grad(), once, 1e-5, 1e-7))
      << sentence
      << trf("after model->zero_grad() one backward() gave fc1.weight a gradient with sum of |g| "
             "{:.6g}, expected {:.6g}, the first one: batch_loss must give the same loss for the "
             "same batch (hint 1)",
             model->fc1->weight.grad().abs().sum().item<double>(), once_size);
}

TEST(TrainingLoop, TrainStepClearsStaleGradientsBeforeBackward) {
  const Batch batch = random_batch(16, 3);
  Classifier model(32, 0.2);
  model->eval();
  const std::vector<torch::Tensor> expected = reference_gradients(model, batch);
  for (auto& parameter : model->parameters()) {
    parameter.mutable_grad() = torch::full_like(parameter, 100.0);  // stale gradients
  }
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.0));  // no move
  checked_train_step(model, optimizer, batch);
  // One sentence, for the first parameter whose gradient is not this batch's own.
  std::string wrong;
  const auto named = model->named_parameters();
  for (size_t i = 0; i < named.size() && wrong.empty(); ++i) {
    const torch::Tensor& gradient = named[i].value().grad();
    if (!gradient.defined()) {
      wrong = trf(
          "after train_step {} has no gradient: call loss.backward() on the batch's loss (hint 2)",
          named[i].key());
    } else if (!torch::allclose(gradient, expected[i], 1e-5, 1e-7)) {
      wrong = trf(
          "after train_step {}'s gradient is off by up to {:.6g} from this batch's own gradient "
          "(it held a stale 100 before the step): call optimizer.zero_grad() before "
          "loss.backward(), or every step adds to the last gradients (hint 2)",
          named[i].key(), largest_difference(gradient, expected[i]));
    }
  }
  EXPECT_TRUE(wrong.empty()) << sentence << wrong;
}

TEST(TrainingLoop, TrainStepReturnsTheLossBeforeTheStepAndTheStepLowersIt) {
  const Batch batch = random_batch(32, 4);
  Classifier model(32, 0.2);
  model->eval();
  double before = 0.0;
  {
    torch::NoGradGuard no_grad;
    before = reference_cross_entropy(model->forward(batch.images), batch.labels).item<double>();
  }
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  const double returned = checked_train_step(model, optimizer, batch);
  EXPECT_NEAR(returned, before, 1e-5)
      << sentence
      << trf("train_step returned {:.6g}, but the batch's loss was {:.6g}: return the loss the "
             "step was computed from, the one before the step, loss.item<double>() (hint 2)",
             returned, before);
  torch::NoGradGuard no_grad;
  const double after =
      reference_cross_entropy(model->forward(batch.images), batch.labels).item<double>();
  EXPECT_LT(after, before - 0.01)
      << sentence
      << trf("one train_step at learning rate 0.1 took the batch's loss from {:.6g} to {:.6g}, "
             "expected a drop of at least 0.01: loss.backward(), then optimizer.step() (hint 2)",
             before, after);
}

TEST(TrainingLoop, EpochMeanLossIsWeightedByBatchSize) {
  // 10 examples in batches of 4: 4 + 4 + 2. With a learning rate of 0 and no Dropout every batch
  // sees the same network, so the sample-weighted mean equals the loss of the whole set. A plain
  // mean of the three batch losses would give the short batch twice its weight.
  const Batch batch = random_batch(10, 5);
  Classifier model(32, 0.0);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.0));
  const EpochStats stats = checked_epoch(model, optimizer, batch, 4);
  EXPECT_EQ(stats.batches, 3)
      << sentence
      << trn("train_one_epoch counted {} batch for 10 examples in batches of 4, expected 3 (4 + "
             "4 + 2): count every batch, the short last one too (hint 3)",
             "train_one_epoch counted {} batches for 10 examples in batches of 4, expected 3 (4 "
             "+ 4 + 2): count every batch, the short last one too (hint 3)",
             stats.batches, stats.batches);
  EXPECT_EQ(stats.examples, 10)
      << sentence
      << trn("train_one_epoch counted {} example, expected 10: add up each batch's size, "
             "index.size(0) (hint 3)",
             "train_one_epoch counted {} examples, expected 10: add up each batch's size, "
             "index.size(0) (hint 3)",
             stats.examples, stats.examples);
  torch::NoGradGuard no_grad;
  const double whole_set =
      reference_cross_entropy(model->forward(batch.images), batch.labels).item<double>();
  EXPECT_NEAR(stats.mean_loss, whole_set, 1e-5)
      << sentence
      << trf("mean_loss is {:.6g}, expected {:.6g}, the loss of all 10 examples: weigh each "
             "batch's loss by the examples it holds, then divide by all the examples; a plain "
             "mean of the batch losses counts the short last batch too much (hint 3)",
             stats.mean_loss, whole_set);
  EXPECT_GT(stats.first_batch_loss, 0.0)
      << sentence
      << trf("first_batch_loss is {:.6g}: keep the loss of the epoch's very first train_step "
             "(hint 3)",
             stats.first_batch_loss);
}

TEST(TrainingLoop, TrainOneEpochSwitchesTheModelToTrainMode) {
  const Batch batch = random_batch(8, 6);
  Classifier model(32, 0.2);
  model->eval();  // as a previous evaluation would leave it
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
  checked_epoch(model, optimizer, batch, 4);
  EXPECT_TRUE(model->is_training())
      << sentence
      << tr("after train_one_epoch the model is still in evaluation mode: an epoch starts with "
            "model->train(), the last evaluation left Dropout off (hint 1)");
}

TEST(TrainingLoop, TrainOneEpochDrawsANewOrderEachEpoch) {
  // With a learning rate of 0 nothing moves, and the gradients left after the epoch are those
  // of its last batch: they say which examples it held. 12 examples in batches of 4.
  const Batch batch = random_batch(12, 10);
  Classifier model(32, 0.0);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.0));
  const Batch stored_last{batch.images.slice(0, 8, 12), batch.labels.slice(0, 8, 12)};
  const std::vector<torch::Tensor> unshuffled = reference_gradients(model, stored_last);
  auto last_batch_gradients = [&] {
    checked_epoch(model, optimizer, batch, 4);
    std::vector<torch::Tensor> gradients;
    for (const auto& parameter : model->parameters()) gradients.push_back(parameter.grad().clone());
    return gradients;
  };
  auto same = [](const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!torch::allclose(a[i], b[i], 1e-5, 1e-7)) return false;
    }
    return true;
  };
  torch::manual_seed(12);
  const std::vector<torch::Tensor> first = last_batch_gradients();
  const std::vector<torch::Tensor> second = last_batch_gradients();
  EXPECT_FALSE(same(first, unshuffled) && same(second, unshuffled))
      << sentence
      << tr("both epochs ended with examples 8 to 11, the last batch of the stored order, so "
            "train_one_epoch does not shuffle: draw a new order each epoch with "
            "torch::randperm(n), as DataLoader(shuffle=True) does (hint 3)");
  if (HasFailure()) return;
  EXPECT_FALSE(same(first, second))
      << sentence
      << tr("two epochs ended with the same last batch, so train_one_epoch visits the examples "
            "in the same order every epoch: draw a new order each epoch with torch::randperm(n), "
            "as DataLoader(shuffle=True) does (hint 3)");
}

// ---- Adam, built after the model is on its device. ----

// What make_adam(model, device, learning_rate) throwing says.
std::string make_adam_threw(const std::string& device, double learning_rate) {
  return trf(
      "make_adam(model, {}, {:.6g}) threw: model->to(device), then return "
      "torch::optim::Adam(model->parameters(), torch::optim::AdamOptions(learning_rate)) "
      "(hint 6)",
      device, learning_rate);
}

TEST(TrainingLoop, MakeAdamMovesTheModelThenOptimizesEveryParameterWithTheLearningRate) {
  const torch::Device device = course::testing::test_device();
  for (const double lr : {1e-3, 0.05}) {
    torch::manual_seed(21);
    Classifier model(16, 0.0);
    // On a CPU-only machine the model is on the CPU already, so where its parameters end up
    // cannot show a missing model->to(device): the test counts the moves (aten::to, one per
    // parameter) that make_adam asks for.
    std::optional<course::testing::OperatorCounter> moves(
        course::testing::OperatorCounter::named({"aten::to"}));
    torch::optim::Adam optimizer = explain_throw([&] { return make_adam(model, device, lr); },
                                                 make_adam_threw(text_of(device), lr));
    const int moved = moves->count();
    moves.reset();
    EXPECT_GE(moved, static_cast<int>(model->parameters().size()))
        << sentence
        << trn("make_adam moved {} tensor, the model has {} parameters: make_adam must move the "
               "model to the device first, model->to(device), which a CPU-only machine never "
               "notices (hint 6)",
               "make_adam moved {} tensors, the model has {} parameters: make_adam must move the "
               "model to the device first, model->to(device), which a CPU-only machine never "
               "notices (hint 6)",
               moved, moved, model->parameters().size());
    if (HasFailure()) return;
    for (const auto& parameter : model->named_parameters()) {
      EXPECT_EQ(parameter.value().device().type(), device.type())
          << sentence
          << trf("after make_adam {} is on {}, expected {}: make_adam must move the model to the "
                 "device first, model->to(device) (hint 6)",
                 parameter.key(), text_of(parameter.value().device()), text_of(device));
      if (HasFailure()) return;
    }
    const auto parameters = model->parameters();
    const auto& held = optimizer.param_groups().at(0).params();
    ASSERT_EQ(held.size(), parameters.size())
        << sentence
        << trn("Adam holds {} tensor, the model has {} parameters: Adam must hold every "
               "parameter of the model, model->parameters() (hint 6)",
               "Adam holds {} tensors, the model has {} parameters: Adam must hold every "
               "parameter of the model, model->parameters() (hint 6)",
               held.size(), held.size(), parameters.size());
    for (size_t i = 0; i < held.size(); ++i) {
      EXPECT_TRUE(held[i].is_same(parameters[i]))
          << sentence
          << trf("Adam's tensor {} is not the model's own parameter {} (a copy, or another "
                 "model's): build Adam from model->parameters() after model->to(device) (hint 6)",
                 i, i);
      if (HasFailure()) return;
    }
    const auto& options = static_cast<const torch::optim::AdamOptions&>(optimizer.defaults());
    EXPECT_DOUBLE_EQ(options.lr(), lr)
        << sentence
        << trf("make_adam was given learning_rate {:.6g}, Adam's is {:.6g}: use the "
               "learning_rate argument, AdamOptions(learning_rate), not a number (hint 6)",
               lr, options.lr());
    const auto [beta1, beta2] = options.betas();
    EXPECT_TRUE(beta1 == 0.9 && beta2 == 0.999 && options.eps() == 1e-8 &&
                options.weight_decay() == 0.0 && !options.amsgrad())
        << sentence
        << trf("Adam's options are betas ({:.6g}, {:.6g}), eps {:.6g}, weight_decay {:.6g}, "
               "amsgrad {}, expected Adam's defaults (0.9, 0.999), 1e-08, 0 and false: "
               "AdamOptions(learning_rate) sets only the learning rate (hint 6)",
               beta1, beta2, options.eps(), options.weight_decay(),
               options.amsgrad() ? "true" : "false");
    if (HasFailure()) return;
  }
}

TEST(TrainingLoop, AdamsStateIsMadeAtTheFirstStepNextToEachParameter) {
  // What makes the order matter: the state appears at the first step(), with the parameter's
  // device and dtype, and model->to() afterwards does not touch it.
  torch::manual_seed(22);
  Classifier model(8, 0.0);
  torch::optim::Adam optimizer = explain_throw([&] { return make_adam(model, torch::kCPU, 1e-3); },
                                               make_adam_threw("cpu", 1e-3));
  EXPECT_TRUE(optimizer.state().empty())
      << sentence
      << trn("Adam already holds state for {} parameter before the first step: make_adam only "
             "builds the optimizer, it does not step it (hint 6)",
             "Adam already holds state for {} parameters before the first step: make_adam only "
             "builds the optimizer, it does not step it (hint 6)",
             optimizer.state().size(), optimizer.state().size());
  const Batch batch = random_batch(4, 23);
  checked_train_step(model, optimizer, batch);
  const size_t parameter_count = model->parameters().size();
  ASSERT_EQ(optimizer.state().size(), parameter_count)
      << sentence
      << trn("after one train_step Adam holds state for {} parameter, expected all {}: build "
             "Adam over model->parameters(), and call optimizer.step() in train_step (hint 6)",
             "after one train_step Adam holds state for {} parameters, expected all {}: build "
             "Adam over model->parameters(), and call optimizer.step() in train_step (hint 6)",
             optimizer.state().size(), optimizer.state().size(), parameter_count);
  model->to(torch::kFloat64);  // moved after a step: the state stays as it was made
  for (const auto& entry : optimizer.state()) {
    const auto& state = static_cast<const torch::optim::AdamParamState&>(*entry.second);
    EXPECT_EQ(state.exp_avg().dtype(), torch::kFloat32)
        << sentence
        << trf("Adam's state exp_avg is {} after model->to(kFloat64), expected float: Adam's "
               "state is not moved with the model, so move the model before building the "
               "optimizer (hint 6)",
               dtype_name(state.exp_avg().dtype()));
    if (HasFailure()) return;
  }
}

// ---- Evaluation: eval() mode under NoGradGuard. ----

TEST(Evaluation, PredictTurnsDropoutOffAndBuildsNoGraph) {
  const Batch batch = random_batch(64, 7);
  Classifier model(64, 0.5);
  model->train();  // the mistake: a model left in train() mode
  const torch::Tensor first = checked_predict(model, batch.images);
  const torch::Tensor second = checked_predict(model, batch.images);
  EXPECT_FALSE(model->is_training())
      << sentence
      << tr("after predict the model is still in train() mode: predict must switch it to "
            "evaluation mode, model->eval(), or Dropout keeps dropping (hint 5)");
  ASSERT_TRUE(first.defined())
      << sentence << tr("predict returned an empty tensor: return model->forward(images) (hint 5)");
  EXPECT_FALSE(first.requires_grad())
      << sentence
      << tr("predict built a graph: a named torch::NoGradGuard must live until the forward is "
            "done; an unnamed torch::NoGradGuard{} ends at its own semicolon (hint 5)");
  ASSERT_EQ(first.sizes(), (std::vector<int64_t>{64, 10}))
      << sentence
      << trf("predict returned logits of shape {} for images {}, expected [64, 10]: return "
             "model->forward(images) (hint 5)",
             text_of(first.sizes()), text_of(batch.images.sizes()));
  EXPECT_TRUE(torch::equal(first, second))
      << sentence
      << trf("two predict calls on the same images gave logits up to {:.6g} apart: Dropout is "
             "still on; call model->eval() in predict (hint 5)",
             largest_difference(first, second));
  // What evaluating in train() mode would have given: Dropout changes the logits.
  model->train();
  torch::NoGradGuard no_grad;
  EXPECT_FALSE(torch::allclose(model->forward(batch.images), first))
      << sentence
      << tr("predict's logits are those of the model in train() mode: predict must switch "
            "Dropout off with model->eval() (hint 5)");
}

TEST(Evaluation, AccuracyCountsCorrectPredictionsAcrossChunks) {
  const Batch batch = random_batch(40, 8);
  Classifier model(32, 0.2);
  torch::Tensor predicted;
  {
    model->eval();
    torch::NoGradGuard no_grad;
    predicted = model->forward(batch.images).argmax(1);
  }
  // The first 30 labels agree with the model, the last 10 do not: accuracy 0.75.
  torch::Tensor labels = predicted.clone();
  labels.slice(0, 30, 40).add_(1).remainder_(10);
  model->train();
  const double got =
      explain_throw([&] { return accuracy(model, batch.images, labels, /*batch_size=*/7); },
                    trf("accuracy threw on 40 examples in chunks of 7: the last chunk holds only "
                        "5, take slice(0, start, std::min(start + batch_size, n)) (hint 5)"));
  EXPECT_DOUBLE_EQ(got, 0.75)
      << sentence
      << trf("accuracy gave {:.6g}, expected 0.75 (30 of 40 predictions right, counted in chunks "
             "of 7): add up predict(model, chunk).argmax(1).eq(label_chunk).sum() over every "
             "chunk, the short last one too, and divide by all the examples (hint 5)",
             got);
}

// ---- Mistake 3: model and data on different devices. ----

// What `call` did with a batch on another device: "" when it threw DeviceMismatch, else what it
// did instead. The stub's NotImplemented goes through as it is.
template <typename Call>
std::string refusal_problem(Call&& call) {
  try {
    call();
  } catch (const DeviceMismatch&) {
    return "";
  } catch (const course::NotImplemented&) {
    throw;
  } catch (const std::exception& error) {
    return trf("threw \"{}\" instead of a DeviceMismatch", first_line(error.what()));
  }
  return std::string(tr("returned without throwing"));
}

TEST(Devices, CheckSameDeviceAcceptsAModelAndBatchOnOneDevice) {
  Classifier model(8, 0.0);
  try {
    check_same_device(*model, torch::zeros({2, 784}));
  } catch (const course::NotImplemented&) {
    throw;
  } catch (const std::exception& error) {
    FAIL() << sentence
           << trf("check_same_device threw \"{}\" for a model and a batch both on the cpu: throw "
                  "only when a parameter's device differs from batch.device() (hint 4)",
                  first_line(error.what()));
  }
}

TEST(Devices, MismatchMessageNamesTheParameterBothDevicesAndTheFix) {
  // Without CUDA the "meta" device stands in for the GPU: a real device that is not the CPU.
  Classifier model(8, 0.0);
  std::string message;
  try {
    check_same_device(*model, meta_batch());
    FAIL() << sentence
           << tr("check_same_device returned for a model on cpu and a batch on meta: throw "
                 "DeviceMismatch when a parameter's device differs from batch.device() (hint 4)");
  } catch (const DeviceMismatch& e) {
    message = e.what();
  } catch (const course::NotImplemented&) {
    throw;
  } catch (const std::exception& e) {
    FAIL() << sentence
           << trf("check_same_device threw \"{}\" for a model on cpu and a batch on meta, "
                  "expected a DeviceMismatch: throw DeviceMismatch(message) (hint 4)",
                  first_line(e.what()));
  }
  std::string missing;  // the parts, code all: "fc1.weight, meta"
  for (const char* part : {"fc1.weight", "cpu", "meta", ".to("}) {
    if (message.find(part) == std::string::npos)
      missing += (missing.empty() ? "" : ", ") + std::string(part);
  }
  EXPECT_TRUE(missing.empty())
      << sentence
      << trf("the DeviceMismatch message \"{}\" lacks {}: name the first parameter on another "
             "device, both devices and the fix, .to(device) (hint 4)",
             message, missing);
}

TEST(Devices, TrainStepAndPredictRefuseABatchOnAnotherDevice) {
  Classifier model(8, 0.0);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  const torch::Tensor labels = torch::zeros({4}, torch::TensorOptions().dtype(torch::kInt64));
  const std::string step_problem =
      refusal_problem([&] { train_step(model, optimizer, meta_batch(), labels.to(torch::kMeta)); });
  EXPECT_TRUE(step_problem.empty())
      << sentence
      << trf("train_step with the model on cpu and a batch on meta {}: train_step must call "
             "check_same_device(*model, images) before anything else (hint 2)",
             step_problem);
  const std::string predict_problem = refusal_problem([&] { predict(model, meta_batch()); });
  EXPECT_TRUE(predict_problem.empty())
      << sentence
      << trf("predict with the model on cpu and a batch on meta {}: predict must call "
             "check_same_device(*model, images) first (hint 5)",
             predict_problem);
}

// ---- A regression with MSELoss. ----

TEST(Regression, MseLossFallsBelowThresholdAndRecoversTheLine) {
  torch::manual_seed(9);
  const LineData line = make_line_data(256, /*slope=*/3.0, /*intercept=*/2.0, /*noise=*/0.1);
  const RegressionResult fit = explain_throw(
      [&] { return fit_line(line.x, line.y, /*steps=*/200, /*learning_rate=*/0.1); },
      trf("fit_line threw on float x and y of shape [256, 1]: train a torch::nn::Linear(1, 1) "
          "with torch::nn::MSELoss and torch::optim::SGD (hint 5)"));
  // Noise of standard deviation 0.1 leaves an MSE of about 0.01 at best.
  EXPECT_GT(fit.first_loss, 1.0)
      << sentence
      << trf("fit_line's first_loss is {:.6g}, expected above 1 for an untrained line on y = 3x "
             "+ 2: keep the MSE of the very first step, before optimizer.step() (hint 5)",
             fit.first_loss);
  EXPECT_LT(fit.final_loss, 0.02)
      << sentence
      << trf("after 200 steps at learning rate 0.1 the MSE is {:.6g}, expected below 0.02: every "
             "step needs zero_grad(), the loss, backward() and step() (hint 5)",
             fit.final_loss);
  EXPECT_NEAR(fit.weight, 3.0, 0.05)
      << sentence
      << trf("the fitted slope is {:.6g}, expected 3 +- 0.05: train the line, then read "
             "model->weight.item<double>() (hint 5)",
             fit.weight);
  EXPECT_NEAR(fit.bias, 2.0, 0.05)
      << sentence
      << trf("the fitted intercept is {:.6g}, expected 2 +- 0.05: train the line, then read "
             "model->bias.item<double>() (hint 5)",
             fit.bias);
}

// ---- One real epoch, trained once and shared by the checks of this suite. ----
// Last in the file: the checks above name a mistake precisely, these only see its effect.

class OneEpochOnFashionMnist : public ::testing::Test {
 protected:
  struct Result {
    EpochStats stats;
    double test_accuracy = 0.0;
  };

  // Trains here, not in each test: the epoch takes seconds. An exception (a stub's
  // NotImplemented, missing data) is kept and reported by every test, so each one fails.
  static void SetUpTestSuite() {
    bool loaded = false;
    try {
      torch::set_num_threads(1);
      const auto [train, test] = course::load_fashion_mnist_splits(
          course::locate_data_dir(), {/*flatten=*/true, /*normalize=*/true});
      loaded = true;
      torch::manual_seed(42);
      Classifier model(128, 0.2);
      torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
      Result result;
      result.stats = train_one_epoch(model, optimizer, train.images, train.labels, kBatchSize);
      result.test_accuracy = accuracy(model, test.images, test.labels);
      result_ = result;
    } catch (const course::NotImplemented& e) {
      error_ = e.what();  // the stub's own sentence
    } catch (const std::exception& e) {
      error_ = loaded ? trf("one epoch on Fashion-MNIST (train_one_epoch in batches of 64, then "
                            "accuracy on the test split) threw: {} (hint 3)",
                            first_line(e.what()))
                      : trf("the Fashion-MNIST data could not be loaded, so no epoch was "
                            "trained: {}",
                            first_line(e.what()));
    }
  }

  static const Result& result() { return *result_; }
  void SetUp() override { ASSERT_TRUE(result_.has_value()) << sentence << error_; }

 private:
  static inline std::optional<Result> result_;
  static inline std::string error_;
};

TEST_F(OneEpochOnFashionMnist, MeanLossEndsWellBelowTheFirstBatchLoss) {
  // An untrained 10-class network starts near ln(10) = 2.30; one epoch of Adam brings the
  // running mean to about 0.55.
  const EpochStats& stats = result().stats;
  EXPECT_GT(stats.first_batch_loss, 1.8)
      << sentence
      << trf("the first batch's loss is {:.6g}, expected near ln(10) = 2.30 for an untrained "
             "network: keep the loss of the epoch's very first train_step (hint 3)",
             stats.first_batch_loss);
  EXPECT_LT(stats.mean_loss, stats.first_batch_loss - 1.0)
      << sentence
      << trf("after one epoch of Adam the mean loss is {:.6g}, not 1.0 below the first batch's "
             "{:.6g}: the network barely learned; each train_step needs zero_grad(), backward() "
             "and step() (hint 2)",
             stats.mean_loss, stats.first_batch_loss);
  EXPECT_LT(stats.mean_loss, 0.8)
      << sentence
      << trf("after one epoch of Adam the mean loss is {:.6g}, expected below 0.8: each "
             "train_step needs zero_grad(), backward() and step() (hint 2)",
             stats.mean_loss);
}

TEST_F(OneEpochOnFashionMnist, TestAccuracyIsAbove80Percent) {
  const double got = result().test_accuracy;
  EXPECT_GT(got, 0.80) << sentence
                       << trf("after one epoch the test accuracy is {:.6g}, expected above 0.80: "
                              "accuracy counts predict(...).argmax(1) equal to the labels over "
                              "all 10000 test images (hint 5)",
                              got);
  EXPECT_LE(got, 1.0) << sentence
                      << trf("the test accuracy is {:.6g}, above 1: divide the number of right "
                             "predictions by the number of examples (hint 5)",
                             got);
}

TEST_F(OneEpochOnFashionMnist, VisitsEveryTrainingExampleOnceInCeilNOverBBatches) {
  const EpochStats& stats = result().stats;
  EXPECT_EQ(stats.examples, 60000)
      << sentence
      << trn("one epoch counted {} example, expected the 60000 of the training split: visit "
             "each once (hint 3)",
             "one epoch counted {} examples, expected the 60000 of the training split: visit "
             "each once (hint 3)",
             stats.examples, stats.examples);
  EXPECT_EQ(stats.batches, (60000 + kBatchSize - 1) / kBatchSize)  // 938
      << sentence
      << trn("one epoch counted {} batch, expected 938 = ceil(60000 / 64): the short last batch "
             "counts too (hint 3)",
             "one epoch counted {} batches, expected 938 = ceil(60000 / 64): the short last "
             "batch counts too (hint 3)",
             stats.batches, stats.batches);
}

}  // namespace
}  // namespace exercises::training_loop
