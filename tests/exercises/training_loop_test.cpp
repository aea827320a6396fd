// Exercise 04, the manual training loop: one real epoch on Fashion-MNIST (trained once for the
// whole suite), the loop's parts on small synthetic batches, the three classic mistakes, and an
// MSELoss regression.
#include "training_loop.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "common/fashion_mnist.h"
#include "support/test_device.h"

namespace exercises::training_loop {
namespace {

constexpr int64_t kBatchSize = 64;

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

torch::Tensor meta_batch() {
  return torch::zeros({4, 784}, torch::TensorOptions().device(torch::kMeta));
}

// ---- The parts of the loop. ----

TEST(TrainingLoop, BatchLossIsTheMeanCrossEntropyOfTheLogits) {
  const Batch batch = random_batch(16, 1);
  Classifier model(32, 0.2);
  model->eval();  // Dropout off: the same logits in both computations
  const torch::Tensor loss = batch_loss(model, batch.images, batch.labels);
  EXPECT_EQ(loss.dim(), 0);
  EXPECT_TRUE(loss.requires_grad());
  torch::NoGradGuard no_grad;
  const torch::Tensor expected =
      reference_cross_entropy(model->forward(batch.images), batch.labels);
  EXPECT_NEAR(loss.item<double>(), expected.item<double>(), 1e-5);
}

TEST(TrainingLoop, ForgettingZeroGradDoublesTheGradient) {
  const Batch batch = random_batch(16, 2);
  Classifier model(32, 0.2);
  model->eval();
  model->zero_grad();
  batch_loss(model, batch.images, batch.labels).backward();
  const torch::Tensor once = model->fc1->weight.grad().clone();
  batch_loss(model, batch.images, batch.labels).backward();  // no zero_grad() in between
  const torch::Tensor twice = model->fc1->weight.grad().clone();
  ASSERT_GT(once.abs().sum().item<double>(), 0.0);
  EXPECT_TRUE(torch::allclose(twice, 2 * once, 1e-5, 1e-7));
  model->zero_grad();
  batch_loss(model, batch.images, batch.labels).backward();
  EXPECT_TRUE(torch::allclose(model->fc1->weight.grad(), once, 1e-5, 1e-7));
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
  train_step(model, optimizer, batch.images, batch.labels);
  const auto parameters = model->parameters();
  for (size_t i = 0; i < parameters.size(); ++i) {
    EXPECT_TRUE(torch::allclose(parameters[i].grad(), expected[i], 1e-5, 1e-7))
        << "parameter " << i << " kept its stale gradient: call optimizer.zero_grad() before "
        << "the backward, or every step adds to the last gradients (hint 2)";
  }
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
  EXPECT_NEAR(train_step(model, optimizer, batch.images, batch.labels), before, 1e-5)
      << "return the loss the step was computed from, the one before the step (hint 2)";
  torch::NoGradGuard no_grad;
  const double after =
      reference_cross_entropy(model->forward(batch.images), batch.labels).item<double>();
  EXPECT_LT(after, before - 0.01);
}

TEST(TrainingLoop, EpochMeanLossIsWeightedByBatchSize) {
  // 10 examples in batches of 4: 4 + 4 + 2. With a learning rate of 0 and no Dropout every batch
  // sees the same network, so the sample-weighted mean equals the loss of the whole set. A plain
  // mean of the three batch losses would give the short batch twice its weight.
  const Batch batch = random_batch(10, 5);
  Classifier model(32, 0.0);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.0));
  const EpochStats stats = train_one_epoch(model, optimizer, batch.images, batch.labels, 4);
  EXPECT_EQ(stats.batches, 3);
  EXPECT_EQ(stats.examples, 10);
  torch::NoGradGuard no_grad;
  const double whole_set =
      reference_cross_entropy(model->forward(batch.images), batch.labels).item<double>();
  EXPECT_NEAR(stats.mean_loss, whole_set, 1e-5)
      << "weigh each batch's loss by the examples it holds, then divide by all the examples: a "
         "plain mean of the batch losses counts the short last batch too much (hint 3)";
  EXPECT_GT(stats.first_batch_loss, 0.0);
}

TEST(TrainingLoop, TrainOneEpochSwitchesTheModelToTrainMode) {
  const Batch batch = random_batch(8, 6);
  Classifier model(32, 0.2);
  model->eval();  // as a previous evaluation would leave it
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
  train_one_epoch(model, optimizer, batch.images, batch.labels, 4);
  EXPECT_TRUE(model->is_training())
      << "an epoch starts with model->train(): the last evaluation left Dropout off (hint 1)";
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
    train_one_epoch(model, optimizer, batch.images, batch.labels, 4);
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
  const std::string why =
      "train_one_epoch visits the examples in the same order every epoch: draw a new order each "
      "epoch with torch::randperm, as DataLoader(shuffle=True) does (hint 3)";
  EXPECT_FALSE(same(first, unshuffled) && same(second, unshuffled)) << why;
  EXPECT_FALSE(same(first, second)) << why;
}

// ---- Adam, built after the model is on its device. ----

TEST(TrainingLoop, MakeAdamMovesTheModelThenOptimizesEveryParameterWithTheLearningRate) {
  const torch::Device device = course::testing::test_device();
  for (const double lr : {1e-3, 0.05}) {
    SCOPED_TRACE("learning rate " + std::to_string(lr));
    torch::manual_seed(21);
    Classifier model(16, 0.0);
    torch::optim::Adam optimizer = make_adam(model, device, lr);
    const auto parameters = model->parameters();
    for (const auto& parameter : parameters) {
      EXPECT_EQ(parameter.device().type(), device.type())
          << "make_adam must move the model to the device first, model->to(device) (hint 6)";
    }
    const auto& held = optimizer.param_groups().at(0).params();
    ASSERT_EQ(held.size(), parameters.size())
        << "Adam must hold every parameter of the model, model->parameters() (hint 6)";
    for (size_t i = 0; i < held.size(); ++i) {
      EXPECT_TRUE(held[i].is_same(parameters[i]))
          << "parameter " << i << " is not the model's own tensor (hint 6)";
    }
    const auto& options = static_cast<const torch::optim::AdamOptions&>(optimizer.defaults());
    EXPECT_DOUBLE_EQ(options.lr(), lr)
        << "use the learning_rate argument, AdamOptions(learning_rate), not a number (hint 6)";
    EXPECT_DOUBLE_EQ(std::get<0>(options.betas()), 0.9) << "keep Adam's defaults (hint 6)";
    EXPECT_DOUBLE_EQ(std::get<1>(options.betas()), 0.999) << "keep Adam's defaults (hint 6)";
    EXPECT_DOUBLE_EQ(options.eps(), 1e-8) << "keep Adam's defaults (hint 6)";
    EXPECT_DOUBLE_EQ(options.weight_decay(), 0.0) << "keep Adam's defaults (hint 6)";
  }
}

TEST(TrainingLoop, AdamsStateIsMadeAtTheFirstStepNextToEachParameter) {
  // What makes the order matter: the state appears at the first step(), with the parameter's
  // device and dtype, and model->to() afterwards does not touch it.
  torch::manual_seed(22);
  Classifier model(8, 0.0);
  torch::optim::Adam optimizer = make_adam(model, torch::kCPU, 1e-3);
  EXPECT_TRUE(optimizer.state().empty()) << "no state before the first step";
  const Batch batch = random_batch(4, 23);
  train_step(model, optimizer, batch.images, batch.labels);
  ASSERT_EQ(optimizer.state().size(), model->parameters().size());
  model->to(torch::kFloat64);  // moved after a step: the state stays as it was made
  for (const auto& entry : optimizer.state()) {
    const auto& state = static_cast<const torch::optim::AdamParamState&>(*entry.second);
    EXPECT_EQ(state.exp_avg().dtype(), torch::kFloat32)
        << "Adam's state is not moved with the model: move the model before building the "
           "optimizer (hint 6)";
  }
}

// ---- Evaluation: eval() mode under NoGradGuard. ----

TEST(Evaluation, PredictTurnsDropoutOffAndBuildsNoGraph) {
  const Batch batch = random_batch(64, 7);
  Classifier model(64, 0.5);
  model->train();  // the mistake: a model left in train() mode
  const torch::Tensor first = predict(model, batch.images);
  const torch::Tensor second = predict(model, batch.images);
  EXPECT_FALSE(model->is_training())
      << "predict must switch the model to evaluation mode, model->eval(), or Dropout keeps "
         "dropping (hint 5)";
  EXPECT_FALSE(first.requires_grad())
      << "predict built a graph: a named torch::NoGradGuard must live until the forward is done; "
         "an unnamed torch::NoGradGuard{} ends at its own semicolon (hint 5)";
  EXPECT_EQ(first.sizes(), (std::vector<int64_t>{64, 10}));
  EXPECT_TRUE(torch::equal(first, second));  // deterministic: no Dropout
  // What evaluating in train() mode would have given: Dropout changes the logits.
  model->train();
  torch::NoGradGuard no_grad;
  EXPECT_FALSE(torch::allclose(model->forward(batch.images), first));
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
  EXPECT_DOUBLE_EQ(accuracy(model, batch.images, labels, /*batch_size=*/7), 0.75);
}

// ---- Mistake 3: model and data on different devices. ----

TEST(Devices, CheckSameDeviceAcceptsAModelAndBatchOnOneDevice) {
  Classifier model(8, 0.0);
  EXPECT_NO_THROW(check_same_device(*model, torch::zeros({2, 784})));
}

TEST(Devices, MismatchMessageNamesTheParameterBothDevicesAndTheFix) {
  // Without CUDA the "meta" device stands in for the GPU: a real device that is not the CPU.
  Classifier model(8, 0.0);
  try {
    check_same_device(*model, meta_batch());
    FAIL() << "a model on cpu and a batch on meta must throw DeviceMismatch";
  } catch (const DeviceMismatch& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("fc1.weight"), std::string::npos) << message;
    EXPECT_NE(message.find("cpu"), std::string::npos) << message;
    EXPECT_NE(message.find("meta"), std::string::npos) << message;
    EXPECT_NE(message.find(".to("), std::string::npos) << message;
  }
}

TEST(Devices, TrainStepAndPredictRefuseABatchOnAnotherDevice) {
  Classifier model(8, 0.0);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  const torch::Tensor labels = torch::zeros({4}, torch::TensorOptions().dtype(torch::kInt64));
  EXPECT_THROW(train_step(model, optimizer, meta_batch(), labels.to(torch::kMeta)), DeviceMismatch)
      << "train_step must call check_same_device(*model, images) before anything else (hint 2)";
  EXPECT_THROW(predict(model, meta_batch()), DeviceMismatch)
      << "predict must call check_same_device(*model, images) first (hint 5)";
}

// ---- A regression with MSELoss. ----

TEST(Regression, MseLossFallsBelowThresholdAndRecoversTheLine) {
  torch::manual_seed(9);
  const LineData line = make_line_data(256, /*slope=*/3.0, /*intercept=*/2.0, /*noise=*/0.1);
  const RegressionResult fit = fit_line(line.x, line.y, /*steps=*/200, /*learning_rate=*/0.1);
  // Noise of standard deviation 0.1 leaves an MSE of about 0.01 at best.
  EXPECT_GT(fit.first_loss, 1.0);
  EXPECT_LT(fit.final_loss, 0.02);
  EXPECT_NEAR(fit.weight, 3.0, 0.05);
  EXPECT_NEAR(fit.bias, 2.0, 0.05);
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
    try {
      torch::set_num_threads(1);
      const auto [train, test] = course::load_fashion_mnist_splits(
          course::locate_data_dir(), {/*flatten=*/true, /*normalize=*/true});
      torch::manual_seed(42);
      Classifier model(128, 0.2);
      torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));
      Result result;
      result.stats = train_one_epoch(model, optimizer, train.images, train.labels, kBatchSize);
      result.test_accuracy = accuracy(model, test.images, test.labels);
      result_ = result;
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }

  static const Result& result() { return *result_; }
  void SetUp() override { ASSERT_TRUE(result_.has_value()) << "training failed: " << error_; }

 private:
  static inline std::optional<Result> result_;
  static inline std::string error_;
};

TEST_F(OneEpochOnFashionMnist, MeanLossEndsWellBelowTheFirstBatchLoss) {
  // An untrained 10-class network starts near ln(10) = 2.30; one epoch of Adam brings the
  // running mean to about 0.55.
  EXPECT_GT(result().stats.first_batch_loss, 1.8);
  EXPECT_LT(result().stats.mean_loss, result().stats.first_batch_loss - 1.0);
  EXPECT_LT(result().stats.mean_loss, 0.8);
}

TEST_F(OneEpochOnFashionMnist, TestAccuracyIsAbove80Percent) {
  EXPECT_GT(result().test_accuracy, 0.80);
  EXPECT_LE(result().test_accuracy, 1.0);
}

TEST_F(OneEpochOnFashionMnist, VisitsEveryTrainingExampleOnceInCeilNOverBBatches) {
  EXPECT_EQ(result().stats.examples, 60000);
  EXPECT_EQ(result().stats.batches, (60000 + kBatchSize - 1) / kBatchSize);  // 938
}

}  // namespace
}  // namespace exercises::training_loop
