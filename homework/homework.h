// The homework: the course's Keras model of Fashion-MNIST, rebuilt in LibTorch.
//   MLP 784 -> 300 -> ReLU -> 100 -> ReLU -> 10, CrossEntropyLoss, Adam(lr = 1e-3), batch 32,
//   early stopping on the validation loss (patience 5) that restores the best weights,
//   and the test accuracy at the end (acceptance: >= 0.87).
//
// What you write lives in homework.cpp (look for TODO): the model, one training epoch, the
// evaluation, and the early-stopping rule. main.cpp does the rest (flags, data, checkpoints,
// metrics, plots) and calls your functions; read it to see how they fit together.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <limits>

#include "tools/batches.h"

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

// Called after every training batch with the number of batches done so far in this epoch and
// the mean loss of those batches. Returning false ends the epoch early (Ctrl-C does that).
using AfterBatch = std::function<bool(int64_t batches_done, double running_loss)>;

// One pass over `batches` (already shuffled for this epoch): the body of Python's
//   model.train()
//   for images, labels in loader:
//       optimizer.zero_grad(); loss = loss_fn(model(images), labels)
//       loss.backward(); optimizer.step()
// Returns the mean training loss over the examples seen, each batch weighted by its size.
double train_one_epoch(Mlp& model, torch::optim::Optimizer& optimizer,
                       const tools::Batches& batches, const AfterBatch& after_batch = {});

struct Evaluation {
  double loss = 0.0;          // mean cross-entropy over the examples
  double accuracy = 0.0;      // fraction of examples whose largest logit is the label
  torch::Tensor predictions;  // int64 [N]: the predicted class of each example
};

// The model in evaluation mode, without building a graph: Python's
//   model.eval()
//   with torch.no_grad(): logits = model(images)
Evaluation evaluate(Mlp& model, const torch::Tensor& images, const torch::Tensor& labels);

// Early stopping written by hand: the C++ side of Keras'
//   EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
// Feed it each epoch's validation loss; it remembers the best epoch and says when to stop.
//   - An epoch improves when its loss is strictly lower than the best so far (a tie does not).
//   - NaN never improves (a diverged model is not a better one).
//   - Training stops after `patience` epochs in a row without improvement (patience 0 counts as
//     1, as in Keras: stop at the first epoch that does not improve).
class EarlyStopping {
 public:
  explicit EarlyStopping(int64_t patience) : patience_(patience) {}

  // Records the validation loss of the next epoch. Returns true when it is a new best.
  bool update(double validation_loss);
  // True once the run should end.
  bool should_stop() const;

  int64_t patience() const { return patience_; }
  int64_t epochs_seen() const { return epochs_seen_; }  // how many times update() was called
  int64_t best_epoch() const { return best_epoch_; }    // 1-based; 0 until an epoch improves
  double best_loss() const { return best_loss_; }       // +infinity until an epoch improves
  int64_t epochs_without_improvement() const { return epochs_without_improvement_; }

 private:
  int64_t patience_;
  int64_t epochs_seen_ = 0;
  int64_t best_epoch_ = 0;
  double best_loss_ = std::numeric_limits<double>::infinity();
  int64_t epochs_without_improvement_ = 0;
};

}  // namespace homework
