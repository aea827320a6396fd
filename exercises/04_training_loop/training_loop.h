// Exercise 04: the manual training loop. The C++ side of the five lines every PyTorch user types:
//
//   for x, y in loader:
//       optimizer.zero_grad()
//       loss = criterion(model(x), y)
//       loss.backward()
//       optimizer.step()
//
// plus the three mistakes this loop invites: forgetting zero_grad(), evaluating in train() mode,
// and a model and a batch on different devices. The functions below are yours to write in
// training_loop.cpp; the network and the synthetic data are given.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <stdexcept>

namespace exercises::training_loop {

// Given: the network the loop trains, 784 -> hidden -> ReLU -> Dropout -> 10. The Dropout is
// there on purpose: it is what makes train() and eval() give different outputs. The layers are
// members initialised in declaration order, so a seed gives the same weights every time.
class ClassifierImpl : public torch::nn::Module {
 public:
  explicit ClassifierImpl(int64_t hidden = 128, double dropout_probability = 0.2)
      : fc1(register_module("fc1", torch::nn::Linear(784, hidden))),
        dropout(register_module("dropout", torch::nn::Dropout(dropout_probability))),
        fc2(register_module("fc2", torch::nn::Linear(hidden, 10))) {}

  // images: [N, 784] or [N, 1, 28, 28]; returns logits [N, 10].
  torch::Tensor forward(torch::Tensor images) {
    torch::Tensor x = torch::relu(fc1(images.flatten(1)));
    return fc2(dropout(x));
  }

  torch::nn::Linear fc1;
  torch::nn::Dropout dropout;
  torch::nn::Linear fc2;
};
TORCH_MODULE(Classifier);

// Thrown by check_same_device(): the model and a batch live on different devices.
class DeviceMismatch : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws DeviceMismatch unless every parameter of `model` is on `batch.device()`. The message
// names the parameter, both devices and the fix (move both with .to(device)). On CUDA, LibTorch's
// own error comes from deep inside a kernel; this check says it before the forward pass.
void check_same_device(const torch::nn::Module& model, const torch::Tensor& batch);

// The mean cross-entropy of one batch: `criterion(model(x), y)` with nn.CrossEntropyLoss().
// images: float [B, 784], labels: int64 [B]. Returns a scalar tensor that requires grad.
torch::Tensor batch_loss(Classifier& model, const torch::Tensor& images,
                         const torch::Tensor& labels);

// Moves `model` to `device`, THEN builds Adam over all its parameters with this learning rate
// (every other option at Adam's default: betas 0.9 / 0.999, eps 1e-8, no weight decay). The
// order matters once training has begun: Adam creates its state (exp_avg, exp_avg_sq) next to
// each parameter at its first step, and moving the model later does not move that state.
//   model.to(device); return torch.optim.Adam(model.parameters(), lr=learning_rate)
torch::optim::Adam make_adam(Classifier& model, const torch::Device& device, double learning_rate);

// One optimisation step on one batch: zero_grad, forward, loss, backward, step. Checks the
// devices first. Returns the batch's loss (computed before the step) as a double.
double train_step(Classifier& model, torch::optim::Optimizer& optimizer,
                  const torch::Tensor& images, const torch::Tensor& labels);

struct EpochStats {
  double first_batch_loss = 0.0;  // the loss of the very first step
  double mean_loss = 0.0;         // sample-weighted: a short last batch counts for what it holds
  int64_t batches = 0;
  int64_t examples = 0;
};

// One epoch over in-memory tensors: model->train(), a fresh random order (randperm), then one
// train_step() per batch of `batch_size` examples (the last one may be shorter).
EpochStats train_one_epoch(Classifier& model, torch::optim::Optimizer& optimizer,
                           const torch::Tensor& images, const torch::Tensor& labels,
                           int64_t batch_size);

// Logits for `images` the way evaluation needs them: model->eval() (Dropout off) and no
// autograd graph (torch::NoGradGuard). Checks the devices first.
torch::Tensor predict(Classifier& model, const torch::Tensor& images);

// The fraction of `images` whose predicted class (argmax of predict()) equals `labels`,
// computed in chunks of `batch_size` examples.
double accuracy(Classifier& model, const torch::Tensor& images, const torch::Tensor& labels,
                int64_t batch_size = 1000);

// Given: points on the line y = slope * x + intercept plus Gaussian noise, x uniform in
// [-1, 1]. Both tensors are float [n, 1]. Uses the global generator (seed it first).
struct LineData {
  torch::Tensor x;
  torch::Tensor y;
};
inline LineData make_line_data(int64_t n, double slope, double intercept, double noise) {
  torch::Tensor x = torch::rand({n, 1}) * 2 - 1;
  torch::Tensor y = slope * x + intercept + noise * torch::randn({n, 1});
  return {x, y};
}

struct RegressionResult {
  double first_loss = 0.0;  // MSE before the first step
  double final_loss = 0.0;  // MSE after the last step
  double weight = 0.0;      // the fitted slope
  double bias = 0.0;        // the fitted intercept
};

// Fits nn::Linear(1, 1) to (x, y) with nn::MSELoss and full-batch SGD: `steps` steps of the
// same zero_grad / forward / loss / backward / step loop, at `learning_rate`.
RegressionResult fit_line(const torch::Tensor& x, const torch::Tensor& y, int64_t steps,
                          double learning_rate);

}  // namespace exercises::training_loop
