// ex04_training_loop: the manual training loop on Fashion-MNIST, one section per idea, and the
// three mistakes it invites, each shown with numbers.
//
//   build/solutions/bin/ex04_training_loop [--device cpu] [--seed 42] [--batch-size 64]
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <chrono>

#include "common/cli.h"
#include "common/fashion_mnist.h"
#include "common/language.h"
#include "common/lesson.h"
#include "training_loop.h"

namespace ex = exercises::training_loop;
using course::trf;

namespace {

// The accuracy the mistake gives: predictions made with model->train(), Dropout still active.
double accuracy_in_train_mode(ex::Classifier& model, const torch::Tensor& images,
                              const torch::Tensor& labels) {
  model->train();
  torch::NoGradGuard no_grad;
  const torch::Tensor predicted = model->forward(images).argmax(1);
  return predicted.eq(labels).to(torch::kDouble).mean().item<double>();
}

// The norm of the first layer's weight gradient (0 when it has none yet).
double fc1_gradient_norm(ex::Classifier& model) {
  const torch::Tensor& gradient = model->fc1->weight.grad();
  return gradient.defined() ? gradient.norm().item<double>() : 0.0;
}

// The section "One step: zero_grad, forward, loss, backward, step".
void one_step(const torch::Device& device, const course::FashionMnist& train, int64_t batch_size) {
  // A throwaway copy, so the epoch below starts from the untouched model.
  ex::Classifier scratch(128, 0.0);
  scratch->to(device);
  torch::optim::Adam scratch_optimizer(scratch->parameters(), torch::optim::AdamOptions(1e-3));
  const torch::Tensor x = train.images.slice(0, 0, batch_size);
  const torch::Tensor y = train.labels.slice(0, 0, batch_size);
  for (int step = 1; step <= 5; ++step) {
    const double loss = ex::train_step(scratch, scratch_optimizer, x, y);
    fmt::print("{}\n", trf("step {}: loss of the same batch before the step {:.4f}", step, loss));
  }
  fmt::print("{}\n",
             course::tr("the loss falls: each step moves the weights against the gradient"));
}

// The section "make_adam: the model on its device first, then the optimizer".
void make_adam_first(const torch::Device& device, const course::FashionMnist& train,
                     int64_t batch_size) {
  ex::Classifier scratch(128, 0.0);
  torch::optim::Adam adam = ex::make_adam(scratch, device, 1e-3);
  fmt::print("{}\n", trf("Adam over {} tensors on {}; state before any step: {} entries",
                         adam.param_groups().at(0).params().size(),
                         scratch->parameters().front().device().str(), adam.state().size()));
  ex::train_step(scratch, adam, train.images.slice(0, 0, batch_size),
                 train.labels.slice(0, 0, batch_size));
  scratch->to(torch::kFloat64);  // the model moves after a step...
  const auto& state =
      static_cast<const torch::optim::AdamParamState&>(*adam.state().begin()->second);
  fmt::print("{}\n", trf("after a step, model->to(kFloat64): parameters {}, Adam's exp_avg still "
                         "{}: the state made at the first step does not move with the model",
                         std::string(scratch->parameters().front().dtype().name()),
                         std::string(state.exp_avg().dtype().name())));
}

// The section "Mistake 1: forgetting zero_grad() accumulates gradients".
void forgetting_zero_grad(const torch::Device& device, const course::FashionMnist& train,
                          int64_t batch_size) {
  ex::Classifier scratch(128, 0.2);
  scratch->to(device);
  scratch->eval();  // Dropout off, so both passes see the same network
  const torch::Tensor x = train.images.slice(0, 0, batch_size);
  const torch::Tensor y = train.labels.slice(0, 0, batch_size);
  scratch->zero_grad();
  ex::batch_loss(scratch, x, y).backward();
  const double once = fc1_gradient_norm(scratch);
  ex::batch_loss(scratch, x, y).backward();  // no zero_grad() in between
  const double twice = fc1_gradient_norm(scratch);
  scratch->zero_grad();
  ex::batch_loss(scratch, x, y).backward();
  const double zeroed = fc1_gradient_norm(scratch);
  // The three numbers line up: each language pads its own labels.
  fmt::print("{}\n", trf("|grad fc1.weight| after one backward:             {:.5f}", once));
  fmt::print("{}\n", trf("|grad fc1.weight| after a second, without zeroing: {:.5f} ({:.2f}x)",
                         twice, twice / once));
  fmt::print("{}\n", trf("|grad fc1.weight| after zero_grad() and backward:  {:.5f}", zeroed));
}

// The section "Mistake 3: model and batch on different devices".
void model_and_batch_apart(const torch::Device& device, const course::FashionMnist& test,
                           ex::Classifier& model) {
  // On a GPU machine the classic mistake is a CUDA model with a CPU batch. Without CUDA we use
  // the "meta" device (shapes, no data): LibTorch mixes it with CPU weights without a word,
  // which is exactly why an explicit check pays off.
  const torch::Device other = device.is_cpu() ? torch::Device(torch::kMeta) : torch::kCPU;
  const torch::Tensor batch = test.images.slice(0, 0, 4).to(other);
  try {
    ex::check_same_device(*model, batch);
    fmt::print("{}\n", trf("no error: check_same_device() let a batch on {} through", other.str()));
  } catch (const ex::DeviceMismatch& e) {
    // The message is the one the student's check_same_device() writes.
    fmt::print("{}\n", trf("caught (your message): \"{}\"", e.what()));
  }
}

// The section "A regression with MSELoss".
void regression_with_mse() {
  const ex::LineData line = ex::make_line_data(256, /*slope=*/3.0, /*intercept=*/2.0, 0.1);
  const ex::RegressionResult fit = ex::fit_line(line.x, line.y, /*steps=*/200, 0.1);
  fmt::print("{}\n", trf("MSE {:.4f} -> {:.4f} after 200 SGD steps (noise variance 0.01)",
                         fit.first_loss, fit.final_loss));
  fmt::print("{}\n", trf("fitted y = {:.3f} x + {:.3f} (true: y = 3 x + 2)", fit.weight, fit.bias));
}

int run(const course::CommonOptions& options, int64_t batch_size) {
  // The data first: a missing data set is reported before anything else is printed.
  const auto data_dir = course::locate_data_dir(options.data_dir);
  course::FashionMnistSplits splits =
      course::load_fashion_mnist_splits(data_dir, {/*flatten=*/true, /*normalize=*/true});
  course::FashionMnist& train = splits.train;  // references, not structured bindings: C++17
  course::FashionMnist& test = splits.test;    // lambdas cannot capture those
  const torch::Device device = course::apply_common_options(options);
  train.images = train.images.to(device);
  train.labels = train.labels.to(device);
  test.images = test.images.to(device);
  test.labels = test.labels.to(device);

  course::Lesson lesson("Exercise 04: the manual training loop");
  // The network and optimizer are built first, so the seed alone fixes their initial weights.
  ex::Classifier model(/*hidden=*/128, /*dropout_probability=*/0.2);
  model->to(device);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3));

  lesson.section("Data and model", [&] {
    fmt::print("{}\n", trf("train images {} | test images {} | data from {}",
                           fmt::join(train.images.sizes(), "x"),
                           fmt::join(test.images.sizes(), "x"), data_dir.string()));
    int64_t count = 0;
    for (const auto& parameter : model->parameters()) count += parameter.numel();
    fmt::print("{}\n",
               trf("Classifier 784 -> 128 -> ReLU -> Dropout(0.2) -> 10: {} parameters", count));
  });

  lesson.section("One step: zero_grad, forward, loss, backward, step",
                 [&] { one_step(device, train, batch_size); });

  lesson.section("make_adam: the model on its device first, then the optimizer",
                 [&] { make_adam_first(device, train, batch_size); });

  lesson.section("Mistake 1: forgetting zero_grad() accumulates gradients",
                 [&] { forgetting_zero_grad(device, train, batch_size); });

  bool trained = false;
  lesson.section("One epoch with Adam(1e-3)", [&] {
    const auto start = std::chrono::steady_clock::now();
    const ex::EpochStats stats =
        ex::train_one_epoch(model, optimizer, train.images, train.labels, batch_size);
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    trained = true;
    fmt::print("{}\n", trf("{} batches of {} ({} examples) in {:.2f} s", stats.batches, batch_size,
                           stats.examples, seconds.count()));
    fmt::print("{}\n", trf("first batch loss {:.4f} -> mean training loss {:.4f}",
                           stats.first_batch_loss, stats.mean_loss));
  });

  lesson.section("Test accuracy, and mistake 2: evaluating in train() mode", [&] {
    if (!trained) {
      fmt::print("{}\n", course::tr("(the epoch above is still TODO: this model is untrained)"));
    }
    const double in_eval = ex::accuracy(model, test.images, test.labels);
    const double in_train = accuracy_in_train_mode(model, test.images, test.labels);
    const double in_train_again = accuracy_in_train_mode(model, test.images, test.labels);
    fmt::print("{}\n", trf("test accuracy, eval() under NoGradGuard: {:.4f}", in_eval));
    fmt::print("{}\n", trf("test accuracy, left in train() mode:     {:.4f}, then {:.4f} (Dropout "
                           "differs each time)",
                           in_train, in_train_again));
  });

  lesson.section("Mistake 3: model and batch on different devices",
                 [&] { model_and_batch_apart(device, test, model); });

  lesson.section("A regression with MSELoss", regression_with_mse);

  return lesson.finish();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{std::string(course::tr("Exercise 04: the manual training loop on Fashion-MNIST")),
               "ex04_training_loop"};
  course::CommonOptions options;
  course::add_common_options(app, options);
  int64_t batch_size = 64;
  app.add_option("--batch-size", batch_size, std::string(course::tr("Examples per training step")))
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{60000}));
  return course::run_main(app, argc, argv, [&] { return run(options, batch_size); });
}
