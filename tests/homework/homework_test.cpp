// Checks of the student's part of the homework (homework/homework.cpp): the model, the
// optimizer, one training epoch, the evaluation, and fit() with its early stopping, on small
// synthetic problems. Every check calls those functions, so each one fails on the untouched
// stub; a failing check says what went wrong and which hint of homework/README.md to read.
#include "homework.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include <ATen/record_function.h>

#include "harness/checkpoint.h"
#include "support/operator_counter.h"
#include "support/temp_dir.h"

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

// `count` examples whose class is written into the image (its one-hot code, repeated), plus a
// little noise: a problem a few epochs of Adam must learn. Draws from the global generator.
harness::Examples separable_problem(int64_t count) {
  const torch::Tensor labels = torch::arange(count) % 10;
  const torch::Tensor images =
      torch::randn({count, 784}) * 0.1 +
      torch::one_hot(labels, 10).to(torch::kFloat).repeat({1, 79}).slice(1, 0, 784);
  return {images, labels};
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
    SCOPED_TRACE("learning rate " + std::to_string(lr));
    torch::manual_seed(8);
    Mlp model, reference;
    copy_parameters(model, reference);
    torch::optim::Adam optimizer = make_optimizer(model, lr);

    const auto& held = optimizer.param_groups().at(0).params();
    const auto parameters = model->parameters();
    ASSERT_EQ(held.size(), parameters.size())
        << "the optimizer must hold every parameter of the model, model->parameters() (hint 2)";
    for (size_t i = 0; i < held.size(); ++i) {
      EXPECT_TRUE(held[i].is_same(parameters[i]))
          << "parameter " << i << " is not the model's own tensor: build the optimizer from "
          << "model->parameters() of the model that trains (hint 2)";
    }
    const auto& options = static_cast<const torch::optim::AdamOptions&>(optimizer.defaults());
    EXPECT_DOUBLE_EQ(options.lr(), lr) << "use the learning_rate argument, not a number (hint 2)";

    // Three steps equal three steps of Python's optim.Adam(params, lr=lr): Adam's defaults for
    // everything else (betas 0.9 / 0.999, eps 1e-8, no weight decay).
    torch::optim::Adam expected(reference->parameters(), torch::optim::AdamOptions(lr));
    const auto got = step_with_fixed_gradients(optimizer, model->parameters(), 3);
    const auto want = step_with_fixed_gradients(expected, reference->parameters(), 3);
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(torch::allclose(got[i], want[i], 0, 1e-7))
          << "parameter " << i << ": three steps differ from torch::optim::Adam(params, "
          << "AdamOptions(lr)); keep Adam's other defaults (hint 2)";
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
  Mlp model, reference;
  copy_parameters(model, reference);
  const Toy toy = toy_data(10, 1);
  harness::Batches batches(toy.images, toy.labels, /*batch_size=*/4, /*seed=*/5);
  batches.set_epoch(1);

  const torch::Tensor initial = model->output->weight.detach().clone();

  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  Observer quiet;
  train_one_epoch(model, optimizer, batches, quiet);
  hand_written_sgd_epoch(reference, batches, 0.1, batches.size());
  SCOPED_TRACE(
      "after one epoch the weights differ from plain SGD steps: is zero_grad() called "
      "before every backward(), and step() after it, once per batch? (hint 3)");
  expect_same_parameters(model, reference, 1e-6);
  EXPECT_FALSE(torch::equal(model->output->weight, initial)) << "the epoch changed nothing";
}

TEST(TrainOneEpoch, ReturnsTheMeanLossPerExampleNotPerBatch) {
  // With lr = 0 the weights never change, so the epoch's mean loss is the loss over all 10
  // examples; batches of 4, 4 and 2 must count by their size.
  torch::manual_seed(12);
  Mlp model;
  const Toy toy = toy_data(10, 2);
  harness::Batches batches(toy.images, toy.labels, 4, 6);
  torch::optim::SGD frozen(model->parameters(), torch::optim::SGDOptions(0.0));
  Observer quiet;
  const double loss = train_one_epoch(model, frozen, batches, quiet);
  torch::NoGradGuard no_grad;
  const double expected =
      torch::nn::functional::cross_entropy(model->forward(toy.images), toy.labels).item<double>();
  EXPECT_NEAR(loss, expected, 1e-5)
      << "the mean loss of the epoch weighs each batch by its size (hint 3)";
}

TEST(TrainOneEpoch, ReportsEachBatchAndStopsWhenTheCallbackSaysSo) {
  torch::manual_seed(13);
  Mlp model, reference;
  copy_parameters(model, reference);
  const Toy toy = toy_data(12, 3);
  harness::Batches batches(toy.images, toy.labels, 3, 7);  // 4 batches
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05));
  RecordingObserver observer;
  observer.stop_after = 2;  // stop after the second batch, as Ctrl-C does
  train_one_epoch(model, optimizer, batches, observer);
  EXPECT_EQ(observer.batches, (std::vector<int64_t>{1, 2}))
      << "call observer.on_batch(batches_done, running_loss) after each batch and leave the "
      << "loop when it returns false (hint 3)";
  ASSERT_EQ(observer.running.size(), 2u);
  EXPECT_TRUE(std::isfinite(observer.running[0]) && observer.running[0] > 0.0);
  // Exactly two steps were taken.
  hand_written_sgd_epoch(reference, batches, 0.05, 2);
  expect_same_parameters(model, reference, 1e-6);
}

TEST(TrainOneEpoch, PutsTheModelInTrainingMode) {
  Mlp model;
  model->eval();
  const Toy toy = toy_data(4, 4);
  harness::Batches batches(toy.images, toy.labels, 4, 8);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.0));
  Observer quiet;
  train_one_epoch(model, optimizer, batches, quiet);
  EXPECT_TRUE(model->is_training()) << "model->train() before the loop (hint 3): evaluate() "
                                    << "left the model in evaluation mode";
}

TEST(TrainOneEpoch, AdamLearnsASmallSeparableProblem) {
  // 200 examples whose class is written into the image: a few epochs must get the loss down.
  torch::manual_seed(14);
  Mlp model;
  const harness::Examples problem = separable_problem(200);
  harness::Batches batches(problem.images, problem.labels, 32, 9);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
  Observer quiet;
  batches.set_epoch(1);
  const double first = train_one_epoch(model, optimizer, batches, quiet);
  double last = first;
  for (int64_t epoch = 2; epoch <= 5; ++epoch) {
    batches.set_epoch(epoch);
    last = train_one_epoch(model, optimizer, batches, quiet);
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
  Evaluation result;
  {
    // The linear layers' operators, counted apart by whether autograd was recording.
    using course::testing::OperatorCounter;
    const auto linear = OperatorCounter::named({"aten::linear", "aten::addmm"});
    OperatorCounter recording(
        [&](const at::RecordFunction& op) { return linear(op) && at::GradMode::is_enabled(); });
    OperatorCounter not_recording(
        [&](const at::RecordFunction& op) { return linear(op) && !at::GradMode::is_enabled(); });
    result = evaluate(model, toy.images, toy.labels);
    EXPECT_EQ(recording.count(), 0)
        << "evaluate's forward ran while autograd recorded a graph: it needs a named "
           "torch::NoGradGuard that lives until the forward is done; an unnamed "
           "torch::NoGradGuard{} ends at its own semicolon (hint 4)";
    EXPECT_GT(not_recording.count(), 0) << "evaluate must run the model";
  }
  EXPECT_FALSE(model->is_training())
      << "evaluate must switch the model to evaluation mode with model->eval() (hint 4)";
  EXPECT_FALSE(result.predictions.requires_grad())
      << "evaluate built a graph: it needs a named torch::NoGradGuard that lives until the "
         "forward is done; an unnamed torch::NoGradGuard{} ends at its own semicolon (hint 4)";
  EXPECT_TRUE(torch::GradMode::is_enabled())
      << "the no-grad guard must end with the function: a local variable, not a global switch";
  for (const auto& parameter : model->parameters()) EXPECT_FALSE(parameter.grad().defined());
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
  Mlp model;
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
    history = homework::fit(model, *optimizer, batches, validation, options, watcher);
    return *this;
  }

  std::vector<bool> improved() const {
    std::vector<bool> marks;
    for (const EpochResult& result : history.epochs) marks.push_back(result.improved);
    return marks;
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

const char* const kStopRule =
    "fit() must stop once `epoch - best_epoch` reaches max(patience, 1), where an epoch improves "
    "only with a validation loss strictly lower than the best so far (hint 5)";

TEST(Fit, StopsExactlyPatienceEpochsAfterTheBestAndATieDoesNotImprove) {
  ScriptedRun run({1.0, 2.0, 2.0, 1.5, 3.0, 4.0, 5.0});  // epoch 3 ties epoch 2
  run.fit(/*patience=*/2);
  EXPECT_EQ(run.improved(), (std::vector<bool>{true, true, false, false}))
      << "a tie is not an improvement (hint 5)";
  EXPECT_EQ(run.history.epochs.size(), 4u) << kStopRule;
  EXPECT_EQ(run.steps(), 4) << kStopRule;
  EXPECT_EQ(run.history.best_epoch, 2);
  ASSERT_GE(run.history.epochs.size(), 2u);
  EXPECT_EQ(run.history.best_val_loss, run.history.epochs[1].val_loss);
  for (size_t i = 0; i < run.history.epochs.size(); ++i) {
    EXPECT_EQ(run.history.epochs[i].epoch, static_cast<int64_t>(i) + 1) << "epochs count from 1";
  }
}

TEST(Fit, NaNNeverImprovesAndCountsTowardsPatience) {
  ScriptedRun run({1.0, kNaN, 3.0, kNaN, kNaN, 5.0, 6.0});
  run.fit(/*patience=*/2);
  EXPECT_EQ(run.improved(), (std::vector<bool>{true, false, true, false, false}))
      << "a NaN validation loss never improves; compare with `<`, which is false for NaN "
      << "(hint 5)";
  EXPECT_EQ(run.history.epochs.size(), 5u) << kStopRule;
  EXPECT_EQ(run.history.best_epoch, 3);
}

TEST(Fit, PatienceZeroActsAsOneAndOneStopsAtTheFirstEpochWithoutImprovement) {
  for (const int64_t patience : {0, 1}) {
    SCOPED_TRACE("patience " + std::to_string(patience));
    ScriptedRun run({1.0, 2.0, 1.5, 4.0, 5.0});
    run.fit(patience);
    EXPECT_EQ(run.history.epochs.size(), 3u) << kStopRule;
    EXPECT_EQ(run.history.best_epoch, 2);
  }
}

TEST(Fit, RunsToMaxEpochsWhileTheLossKeepsImproving) {
  ScriptedRun run({1.0, 2.0, 3.0, 4.0, 5.0, 6.0});
  run.fit(/*patience=*/1, /*max_epochs=*/4);
  EXPECT_EQ(run.history.epochs.size(), 4u) << "stop at max_epochs (hint 5)";
  EXPECT_EQ(run.history.best_epoch, 4);
}

TEST(Fit, PutsBackTheBestEpochsWeightsBitForBitNotTheLastOnes) {
  ScriptedRun run({1.0, 3.0, 2.0, 1.5, 2.5});
  run.fit(/*patience=*/3);
  ASSERT_EQ(run.history.best_epoch, 2) << kStopRule;
  ASSERT_EQ(run.steps(), 5) << kStopRule;
  EXPECT_FALSE(run.holds(run.optimizer->after_step.back()))
      << "after fit() the model holds the last epoch's weights: was the copy of the best weights "
      << "a real one? `Mlp best = model;` or a list of model->parameters() shares the live "
      << "tensors, which the next epochs change (hint 6)";
  EXPECT_TRUE(run.holds(run.optimizer->after_step[1]))
      << "after fit() the model must hold exactly the weights of the best epoch, 2 "
      << "(restore_best_weights, hint 6)";
}

TEST(Fit, WithoutAnyImprovementTheModelKeepsTheWeightsItStartedWith) {
  ScriptedRun run({kNaN, kNaN, kNaN});
  run.fit(/*patience=*/1);
  EXPECT_EQ(run.history.epochs.size(), 1u) << kStopRule;
  EXPECT_EQ(run.history.best_epoch, 0) << "no epoch improved: best_epoch stays 0";
  EXPECT_TRUE(run.holds(run.initial))
      << "with no best epoch, fit() puts back the weights it started with (hint 6)";
}

TEST(Fit, ReportsEachEpochAfterValidatingItWithANewShuffle) {
  ScriptedRun run({1.0, 2.0, 1.5, 1.2});
  run.fit(/*patience=*/2);
  ASSERT_EQ(run.watcher.reported.size(), run.history.epochs.size())
      << "call observer.on_epoch(result) once per complete epoch (hint 5)";
  for (size_t i = 0; i < run.history.epochs.size(); ++i) {
    const EpochResult& result = run.watcher.reported[i];
    const EpochResult& recorded = run.history.epochs[i];
    EXPECT_EQ(result.epoch, recorded.epoch);
    EXPECT_EQ(result.improved, recorded.improved);
    EXPECT_EQ(result.val_loss, recorded.val_loss);
    EXPECT_FALSE(run.watcher.training_mode_at_report[i])
        << "epoch " << result.epoch << " was validated in training mode: use evaluate() "
        << "(hint 4)";
    EXPECT_EQ(run.watcher.shuffle_epoch_at_report[i], result.epoch)
        << "train_batches.set_epoch(epoch) before each epoch, or every epoch sees the same "
        << "order (hint 5)";
  }
  // The recorded validation loss is the model's, measured like evaluate() does.
  ASSERT_FALSE(run.history.epochs.empty());
  const double first_loss = run.history.epochs[0].val_loss;
  const double expected = std::log1p(9.0 * std::exp(-1.0));  // bias [1, 0, ..., 0], label 0
  EXPECT_NEAR(first_loss, expected, 1e-5) << "the validation loss of epoch 1";
  EXPECT_GT(run.history.epochs[0].train_loss, 0.0);
}

TEST(Fit, StopsWhenTheObserverAsksAndDropsTheEpochItCut) {
  ScriptedRun run({1.0, 2.0, 3.0, 4.0, 5.0});
  run.watcher.stop_during_epoch = 3;  // Ctrl-C during epoch 3
  run.fit(/*patience=*/5);
  EXPECT_EQ(run.history.epochs.size(), 2u)
      << "after train_one_epoch, if observer.stop_requested(), leave the loop before validating "
      << "or recording the epoch (hint 5)";
  EXPECT_EQ(run.watcher.reported.size(), 2u);
  EXPECT_EQ(run.history.best_epoch, 2);
  EXPECT_TRUE(run.holds(run.optimizer->after_step[1]))
      << "an interrupted fit() still puts back the best weights (hint 6)";
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
      << "a resumed fit() starts from options.resumed: epochs 3 and 4 do not improve on epoch "
      << "2, so patience 2 stops after epoch 4 (hint 5)";
  EXPECT_EQ(run.history.epochs[0].val_loss, resumed.epochs[0].val_loss) << "keep the old epochs";
  EXPECT_EQ(run.history.epochs[2].epoch, 3);
  EXPECT_EQ(run.history.best_epoch, 2);
  ASSERT_FALSE(run.watcher.shuffle_epoch_at_report.empty());
  EXPECT_EQ(run.watcher.shuffle_epoch_at_report.front(), 3);
  EXPECT_TRUE(run.holds(checkpoint)) << "the best weights are still the checkpoint's (hint 6)";
}

TEST(Fit, TrainsASmallProblemWithTheOptimizerFromMakeOptimizer) {
  torch::manual_seed(14);
  Mlp model;
  const harness::Examples problem = separable_problem(240);
  harness::Batches batches(problem.images.slice(0, 0, 200), problem.labels.slice(0, 0, 200), 32, 9);
  const harness::Examples validation{problem.images.slice(0, 200), problem.labels.slice(0, 200)};
  torch::optim::Adam optimizer = make_optimizer(model, 1e-3);
  Observer quiet;
  FitOptions options;
  options.patience = 2;
  options.max_epochs = 5;
  const History history = fit(model, optimizer, batches, validation, options, quiet);
  ASSERT_FALSE(history.epochs.empty());
  EXPECT_LT(history.best_val_loss, 0.5 * history.epochs.front().train_loss);
  EXPECT_GE(evaluate(model, validation.images, validation.labels).accuracy, 0.95);
}

// ------------------------------------------------------------------------------- checkpoint

TEST(Checkpoint, RoundTripRestoresModelAndAdamSoTrainingGoesOnIdentically) {
  course::testing::TempDir dir;
  const auto path = dir.path() / "best.pt";
  const Toy toy = toy_data(20, 6);
  harness::Batches batches(toy.images, toy.labels, 5, 10);

  torch::manual_seed(16);
  Mlp model;
  torch::optim::Adam optimizer = make_optimizer(model, 1e-3);
  Observer quiet;
  batches.set_epoch(1);
  train_one_epoch(model, optimizer, batches, quiet);
  harness::CheckpointInfo info;
  info.epoch = 1;
  info.history = nlohmann::json::array({{{"epoch", 1}, {"val_loss", 0.5}}});
  info.config = {{"seed", 42}};
  harness::save_checkpoint(path, *model, optimizer, info);

  torch::manual_seed(17);  // other initial weights, fresh optimizer state
  Mlp restored;
  torch::optim::Adam restored_optimizer(restored->parameters(), torch::optim::AdamOptions(1e-3));
  const harness::CheckpointInfo loaded =
      harness::load_checkpoint(path, *restored, restored_optimizer, torch::kCPU);
  expect_same_parameters(model, restored, 0.0);
  EXPECT_EQ(loaded.epoch, 1);
  EXPECT_EQ(loaded.history, info.history);
  EXPECT_EQ(loaded.config, info.config);

  // Adam's moments and step count came back too: the next epoch is the same, bit for bit.
  batches.set_epoch(2);
  train_one_epoch(model, optimizer, batches, quiet);
  train_one_epoch(restored, restored_optimizer, batches, quiet);
  expect_same_parameters(model, restored, 0.0);
}

}  // namespace
}  // namespace homework
