// Checks of the student's part of the homework (homework/homework.cpp): the model, one training
// epoch, the evaluation, the early-stopping rule, and a checkpoint round trip of the model.
// Every check calls those functions, so each one fails on the untouched stub.
#include "homework.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "support/temp_dir.h"
#include "tools/checkpoint.h"

namespace homework {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A small problem: `count` random images with labels 0..9.
struct Toy {
  torch::Tensor images, labels;
};
Toy toy_data(int64_t count, uint64_t seed) {
  auto generator = at::detail::createCPUGenerator(seed);
  return {torch::randn({count, 784}, generator), torch::randint(10, {count}, generator)};
}

// Copies `from`'s parameters into `to`, so two models start equal.
void copy_parameters(const Mlp& from, Mlp& to) {
  torch::NoGradGuard no_grad;
  auto source = from->parameters();
  auto target = to->parameters();
  for (size_t i = 0; i < source.size(); ++i) target[i].copy_(source[i]);
}

void expect_same_parameters(const Mlp& a, const Mlp& b, double tolerance) {
  auto left = a->named_parameters();
  auto right = b->named_parameters();
  ASSERT_EQ(left.size(), right.size());
  for (const auto& item : left) {
    const torch::Tensor& other = right[item.key()];
    if (tolerance == 0.0) {
      EXPECT_TRUE(torch::equal(item.value(), other)) << item.key();
    } else {
      EXPECT_TRUE(torch::allclose(item.value(), other, /*rtol=*/0, /*atol=*/tolerance))
          << item.key() << ": largest difference "
          << (item.value() - other).abs().max().item<double>();
    }
  }
}

// ---------------------------------------------------------------------------------------- model

TEST(Model, HasTheLayersAndThe266610ParametersOfTheKerasModel) {
  Mlp model;
  int64_t total = 0;
  for (const auto& parameter : model->parameters()) total += parameter.numel();
  EXPECT_EQ(total, kParameterCount);
  const auto named = model->named_parameters();
  ASSERT_EQ(named.size(), 6u);
  EXPECT_EQ(named["hidden1.weight"].sizes(), (std::vector<int64_t>{300, 784}));
  EXPECT_EQ(named["hidden1.bias"].sizes(), (std::vector<int64_t>{300}));
  EXPECT_EQ(named["hidden2.weight"].sizes(), (std::vector<int64_t>{100, 300}));
  EXPECT_EQ(named["output.weight"].sizes(), (std::vector<int64_t>{10, 100}));
  EXPECT_EQ(named["output.bias"].sizes(), (std::vector<int64_t>{10}));
}

TEST(Model, ForwardIsLinearReluLinearReluLinearWithoutSoftmax) {
  torch::manual_seed(3);
  Mlp model;
  const torch::Tensor images = torch::randn({5, 784});
  const torch::Tensor logits = model->forward(images);
  ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{5, 10}));
  EXPECT_EQ(logits.dtype(), torch::kFloat);

  auto p = model->named_parameters();
  torch::NoGradGuard no_grad;
  torch::Tensor x = torch::relu(images.matmul(p["hidden1.weight"].t()) + p["hidden1.bias"]);
  x = torch::relu(x.matmul(p["hidden2.weight"].t()) + p["hidden2.bias"]);
  const torch::Tensor expected = x.matmul(p["output.weight"].t()) + p["output.bias"];
  EXPECT_TRUE(torch::allclose(logits, expected, 1e-5, 1e-5));
}

TEST(Model, LayersAreInitialisedInTheirOrderLikePython) {
  // Python builds hidden1, hidden2, output in this order from the seeded generator; so must we.
  torch::manual_seed(7);
  Mlp model;
  torch::manual_seed(7);
  torch::nn::Linear hidden1(784, 300);
  torch::nn::Linear hidden2(300, 100);
  torch::nn::Linear output(100, 10);
  EXPECT_TRUE(torch::equal(model->hidden1->weight, hidden1->weight));
  EXPECT_TRUE(torch::equal(model->hidden2->weight, hidden2->weight));
  EXPECT_TRUE(torch::equal(model->output->bias, output->bias));
}

// ------------------------------------------------------------------------------ one epoch

// The same epoch written out by hand: plain SGD, a fresh gradient for every batch.
void hand_written_sgd_epoch(Mlp& model, const tools::Batches& batches, double lr,
                            int64_t max_batches) {
  int64_t done = 0;
  for (const tools::Batch& batch : batches) {
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
  Mlp model, reference;
  copy_parameters(model, reference);
  const Toy toy = toy_data(10, 1);
  tools::Batches batches(toy.images, toy.labels, /*batch_size=*/4, /*seed=*/5);
  batches.set_epoch(1);

  const torch::Tensor initial = model->output->weight.detach().clone();

  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  train_one_epoch(model, optimizer, batches);
  hand_written_sgd_epoch(reference, batches, 0.1, batches.size());
  expect_same_parameters(model, reference, 1e-6);
  EXPECT_FALSE(torch::equal(model->output->weight, initial));  // the epoch did change them
}

TEST(TrainOneEpoch, ReturnsTheMeanLossPerExampleNotPerBatch) {
  // With lr = 0 the weights never change, so the epoch's mean loss is the loss over all 10
  // examples; batches of 4, 4 and 2 must count by their size.
  torch::manual_seed(12);
  Mlp model;
  const Toy toy = toy_data(10, 2);
  tools::Batches batches(toy.images, toy.labels, 4, 6);
  torch::optim::SGD frozen(model->parameters(), torch::optim::SGDOptions(0.0));
  const double loss = train_one_epoch(model, frozen, batches);
  torch::NoGradGuard no_grad;
  const double expected =
      torch::nn::functional::cross_entropy(model->forward(toy.images), toy.labels).item<double>();
  EXPECT_NEAR(loss, expected, 1e-5);
}

TEST(TrainOneEpoch, ReportsEachBatchAndStopsWhenTheCallbackSaysSo) {
  torch::manual_seed(13);
  Mlp model, reference;
  copy_parameters(model, reference);
  const Toy toy = toy_data(12, 3);
  tools::Batches batches(toy.images, toy.labels, 3, 7);  // 4 batches
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05));
  std::vector<int64_t> reported;
  std::vector<double> running;
  train_one_epoch(model, optimizer, batches, [&](int64_t done, double running_loss) {
    reported.push_back(done);
    running.push_back(running_loss);
    return done < 2;  // stop after the second batch, as Ctrl-C does
  });
  EXPECT_EQ(reported, (std::vector<int64_t>{1, 2}));
  ASSERT_EQ(running.size(), 2u);
  EXPECT_TRUE(std::isfinite(running[0]) && running[0] > 0.0);
  // Exactly two steps were taken.
  hand_written_sgd_epoch(reference, batches, 0.05, 2);
  expect_same_parameters(model, reference, 1e-6);
}

TEST(TrainOneEpoch, PutsTheModelInTrainingMode) {
  Mlp model;
  model->eval();
  const Toy toy = toy_data(4, 4);
  tools::Batches batches(toy.images, toy.labels, 4, 8);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.0));
  train_one_epoch(model, optimizer, batches);
  EXPECT_TRUE(model->is_training());
}

TEST(TrainOneEpoch, AdamLearnsASmallSeparableProblem) {
  // 200 examples whose class is written into the image: a few epochs must get the loss down.
  torch::manual_seed(14);
  Mlp model;
  const torch::Tensor labels = torch::arange(200) % 10;
  const torch::Tensor images =
      torch::randn({200, 784}) * 0.1 +
      torch::one_hot(labels, 10).to(torch::kFloat).repeat({1, 79}).slice(1, 0, 784);
  tools::Batches batches(images, labels, 32, 9);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  batches.set_epoch(1);
  const double first = train_one_epoch(model, optimizer, batches);
  double last = first;
  for (int64_t epoch = 2; epoch <= 5; ++epoch) {
    batches.set_epoch(epoch);
    last = train_one_epoch(model, optimizer, batches);
  }
  EXPECT_LT(last, 0.2 * first);
}

// ------------------------------------------------------------------------------- evaluation

TEST(Evaluate, MatchesCrossEntropyAndArgmaxAccuracy) {
  torch::manual_seed(15);
  Mlp model;
  const torch::Tensor images = torch::randn({8, 784});
  torch::Tensor predicted;
  {
    torch::NoGradGuard no_grad;
    predicted = model->forward(images).argmax(1);
  }
  // Labels that agree with the model on the first 3 examples only: accuracy 3/8.
  torch::Tensor labels = (predicted + 1) % 10;
  labels.slice(0, 0, 3).copy_(predicted.slice(0, 0, 3));

  const Evaluation result = evaluate(model, images, labels);
  EXPECT_DOUBLE_EQ(result.accuracy, 3.0 / 8.0);
  torch::NoGradGuard no_grad;
  EXPECT_NEAR(result.loss,
              torch::nn::functional::cross_entropy(model->forward(images), labels).item<double>(),
              1e-6);
  EXPECT_TRUE(torch::equal(result.predictions, predicted));
  EXPECT_EQ(result.predictions.dtype(), torch::kLong);
}

TEST(Evaluate, UsesEvaluationModeAndBuildsNoGraph) {
  Mlp model;
  model->train();
  const Toy toy = toy_data(6, 5);
  const Evaluation result = evaluate(model, toy.images, toy.labels);
  EXPECT_FALSE(model->is_training());
  EXPECT_FALSE(result.predictions.requires_grad());
  EXPECT_TRUE(torch::GradMode::is_enabled());  // the no-grad guard ended with the function
  for (const auto& parameter : model->parameters()) EXPECT_FALSE(parameter.grad().defined());
}

// --------------------------------------------------------------------------- early stopping

// Feeds `losses` one by one; returns what update() answered and what should_stop() said after.
struct Trace {
  std::vector<bool> improved, stop;
};
Trace feed(EarlyStopping& stopping, const std::vector<double>& losses) {
  Trace trace;
  for (double loss : losses) {
    trace.improved.push_back(stopping.update(loss));
    trace.stop.push_back(stopping.should_stop());
  }
  return trace;
}

TEST(EarlyStopping, ImprovingLossNeverStops) {
  EarlyStopping stopping(2);
  const Trace trace = feed(stopping, {1.0, 0.9, 0.8, 0.7, 0.6, 0.5});
  EXPECT_EQ(trace.improved, std::vector<bool>(6, true));
  EXPECT_EQ(trace.stop, std::vector<bool>(6, false));
  EXPECT_EQ(stopping.best_epoch(), 6);
  EXPECT_DOUBLE_EQ(stopping.best_loss(), 0.5);
  EXPECT_EQ(stopping.epochs_seen(), 6);
}

TEST(EarlyStopping, PlateauStopsExactlyPatienceEpochsAfterTheBest) {
  EarlyStopping stopping(3);
  const Trace trace = feed(stopping, {1.0, 0.8, 0.9, 0.85, 0.81});
  EXPECT_EQ(trace.improved, (std::vector<bool>{true, true, false, false, false}));
  EXPECT_EQ(trace.stop, (std::vector<bool>{false, false, false, false, true}));
  EXPECT_EQ(stopping.best_epoch(), 2);
  EXPECT_DOUBLE_EQ(stopping.best_loss(), 0.8);
  EXPECT_EQ(stopping.epochs_without_improvement(), 3);
}

TEST(EarlyStopping, AnImprovementResetsTheCount) {
  EarlyStopping stopping(2);
  const Trace trace = feed(stopping, {1.0, 1.1, 0.9, 1.0, 1.0});
  EXPECT_EQ(trace.improved, (std::vector<bool>{true, false, true, false, false}));
  EXPECT_EQ(trace.stop, (std::vector<bool>{false, false, false, false, true}));
  EXPECT_EQ(stopping.best_epoch(), 3);
}

TEST(EarlyStopping, ATieIsNotAnImprovement) {
  EarlyStopping stopping(2);
  const Trace trace = feed(stopping, {0.5, 0.5, 0.5});
  EXPECT_EQ(trace.improved, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(trace.stop, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(stopping.best_epoch(), 1);
}

TEST(EarlyStopping, ATinyImprovementStillCounts) {
  EarlyStopping stopping(1);
  const Trace trace = feed(stopping, {0.5, std::nextafter(0.5, 0.0)});
  EXPECT_EQ(trace.improved, (std::vector<bool>{true, true}));
  EXPECT_EQ(stopping.best_epoch(), 2);
}

TEST(EarlyStopping, NaNNeverImprovesAndCountsTowardsPatience) {
  EarlyStopping stopping(2);
  const Trace trace = feed(stopping, {0.5, kNaN, kNaN});
  EXPECT_EQ(trace.improved, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(trace.stop, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(stopping.best_epoch(), 1);
  EXPECT_DOUBLE_EQ(stopping.best_loss(), 0.5);
}

TEST(EarlyStopping, NaNInTheFirstEpochLeavesNoBestUntilARealLoss) {
  EarlyStopping stopping(3);
  const Trace trace = feed(stopping, {kNaN, 0.7});
  EXPECT_EQ(trace.improved, (std::vector<bool>{false, true}));
  EXPECT_EQ(stopping.best_epoch(), 2);
  EXPECT_EQ(stopping.epochs_without_improvement(), 0);
}

TEST(EarlyStopping, PatienceZeroStopsAtTheFirstEpochWithoutImprovement) {
  EarlyStopping stopping(0);
  const Trace trace = feed(stopping, {1.0, 0.9, 0.95});
  EXPECT_EQ(trace.stop, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(stopping.best_epoch(), 2);
}

// ------------------------------------------------------------------------------- checkpoint

TEST(Checkpoint, RoundTripRestoresModelAndAdamSoTrainingGoesOnIdentically) {
  course::testing::TempDir dir;
  const auto path = dir.path() / "best.pt";
  const Toy toy = toy_data(20, 6);
  tools::Batches batches(toy.images, toy.labels, 5, 10);

  torch::manual_seed(16);
  Mlp model;
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  batches.set_epoch(1);
  train_one_epoch(model, optimizer, batches);
  tools::CheckpointInfo info;
  info.epoch = 1;
  info.history = nlohmann::json::array({{{"epoch", 1}, {"val_loss", 0.5}}});
  info.config = {{"seed", 42}};
  tools::save_checkpoint(path, *model, optimizer, info);

  torch::manual_seed(17);  // other initial weights, fresh optimizer state
  Mlp restored;
  torch::optim::Adam restored_optimizer(restored->parameters(), torch::optim::AdamOptions(1e-3));
  const tools::CheckpointInfo loaded =
      tools::load_checkpoint(path, *restored, restored_optimizer, torch::kCPU);
  expect_same_parameters(model, restored, 0.0);
  EXPECT_EQ(loaded.epoch, 1);
  EXPECT_EQ(loaded.history, info.history);
  EXPECT_EQ(loaded.config, info.config);

  // Adam's moments and step count came back too: the next epoch is the same, bit for bit.
  batches.set_epoch(2);
  train_one_epoch(model, optimizer, batches);
  train_one_epoch(restored, restored_optimizer, batches);
  expect_same_parameters(model, restored, 0.0);
}

}  // namespace
}  // namespace homework
