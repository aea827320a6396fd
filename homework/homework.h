// The homework: the course's Keras model of Fashion-MNIST, rebuilt in LibTorch.
//   MLP 784 -> 300 -> ReLU -> 100 -> ReLU -> 10, CrossEntropyLoss, Adam(lr = 1e-3), batch 32,
//   early stopping on the validation loss (patience 5) that restores the best weights,
//   and the test accuracy at the end (acceptance: >= 0.87).
//
// You write all of it in homework.cpp (look for TODO): the model, the optimizer, one training
// epoch, the evaluation, and fit(): the epoch loop with its early stopping. main.cpp is the
// harness around your fit() (flags, data, progress, checkpoints, the test, the results); it
// reaches into your training only through the Observer below.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "harness/batches.h"

namespace homework {

// 784*300 + 300 + 300*100 + 100 + 100*10 + 10: what model.parameters() adds up to.
inline constexpr int64_t kParameterCount = 266610;

// The model: Python's
//   nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
//                 nn.Linear(100, 10))
// as a module of its own (the pattern of pytorch/examples' C++ models: MlpImpl + TORCH_MODULE).
class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl();
  // images: float [B, 784] -> logits: float [B, 10] (no softmax: the loss applies log-softmax).
  torch::Tensor forward(torch::Tensor images);

  torch::nn::Linear hidden1{nullptr};  // 784 -> 300
  torch::nn::Linear hidden2{nullptr};  // 300 -> 100
  torch::nn::Linear output{nullptr};   // 100 -> 10
};
TORCH_MODULE(Mlp);  // Mlp: a shared handle to an MlpImpl, like every torch::nn module

// The optimizer that trains `model`: Python's
//   optimizer = optim.Adam(model.parameters(), lr=learning_rate)
torch::optim::Adam make_optimizer(Mlp& model, double learning_rate);

// One line of the history fit() returns (Keras: one entry of History.history per epoch).
struct EpochResult {
  int64_t epoch = 0;        // 1-based
  double train_loss = 0.0;  // mean over the epoch's training examples
  double val_loss = 0.0;    // mean over the validation examples
  double val_accuracy = 0.0;
  bool improved = false;  // val_loss strictly lower than in every earlier epoch
};

// What fit() did: every complete epoch, and the best one (whose weights the model holds after).
struct History {
  std::vector<EpochResult> epochs;
  int64_t best_epoch = 0;  // 1-based; 0 while no epoch has improved
  double best_val_loss = std::numeric_limits<double>::infinity();
};

// How the harness follows your training: fit() and train_one_epoch() tell it what happened and
// ask whether to go on. This base class does nothing and never asks to stop; the harness
// (progress bar, log line, checkpoint, Ctrl-C) and the tests derive from it.
class Observer {
 public:
  virtual ~Observer() = default;
  // After every training batch: the batches done so far in this epoch and their mean loss.
  // Returns false to end the epoch now (Ctrl-C).
  virtual bool on_batch(int64_t batches_done, double running_loss) {
    (void)batches_done, (void)running_loss;
    return true;
  }
  // After every complete epoch, once it is validated.
  virtual void on_epoch(const EpochResult& result) { (void)result; }
  // True once the training must end (Ctrl-C): the epoch that was cut short is not recorded.
  virtual bool stop_requested() const { return false; }
};

// One pass over `batches` (call batches.set_epoch() first): the body of Python's
//   model.train()
//   for images, labels in loader:
//       optimizer.zero_grad(); loss = loss_fn(model(images), labels)
//       loss.backward(); optimizer.step()
// Returns the mean training loss over the examples seen, each batch weighted by its size.
// Tells `observer` after each batch, and stops early when it answers false.
double train_one_epoch(Mlp& model, torch::optim::Optimizer& optimizer,
                       const harness::Batches& batches, Observer& observer);

struct Evaluation {
  double loss = 0.0;          // mean cross-entropy over the examples
  double accuracy = 0.0;      // fraction of examples whose largest logit is the label
  torch::Tensor predictions;  // int64 [N]: the predicted class of each example
};

// The model in evaluation mode, without building a graph: Python's
//   model.eval()
//   with torch.no_grad(): logits = model(images)
Evaluation evaluate(Mlp& model, const torch::Tensor& images, const torch::Tensor& labels);

struct FitOptions {
  int64_t patience = 5;      // epochs without improvement before stopping (0 acts as 1)
  int64_t max_epochs = 100;  // stop here at the latest
  // --resume: the epochs a checkpoint already holds, whose last one is its best (the model and
  // the optimizer were loaded from it). Empty for a fresh run.
  History resumed;
};

// The training with early stopping, by hand: the C++ side of Keras'
//   model.fit(..., epochs=max_epochs, callbacks=[EarlyStopping(monitor="val_loss",
//             patience=patience, restore_best_weights=True)])
// Epoch after epoch: train, validate, remember the best weights; stop after `patience` epochs
// in a row without a strictly lower validation loss (a tie does not improve, NaN never does),
// or at `max_epochs`, or when the observer asks. Before returning, put the best epoch's weights
// back into `model` (the weights fit() started with if no epoch improved).
History fit(Mlp& model, torch::optim::Optimizer& optimizer, harness::Batches& train_batches,
            const harness::Examples& validation, const FitOptions& options, Observer& observer);

}  // namespace homework
