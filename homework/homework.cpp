// YOUR HOMEWORK: fill in the four TODO parts below, then run
//   cmake --build --preset student && build/student/bin/homework
//   ctest --preset student -L homework        # the grade: test accuracy >= 0.87, and more
// The task and the hints are in homework/README.md; main.cpp shows how your functions are used.
#include "homework.h"

#include <algorithm>

#include "common/lesson.h"

namespace homework {

MlpImpl::MlpImpl() {
  // TODO 1a: create the three layers and register them, one statement each, in this order:
  //   hidden1 = register_module("hidden1", torch::nn::Linear(784, 300));
  // then hidden2 (300 -> 100) and output (100 -> 10) the same way.
  // Python: self.hidden1 = nn.Linear(784, 300), ...  (register_module is what the assignment
  // does for you in Python: it makes the layer's parameters part of model.parameters()).
  course::not_implemented("homework", "MlpImpl::MlpImpl");
}

torch::Tensor MlpImpl::forward(torch::Tensor images) {
  // TODO 1b: return the logits: hidden1 -> ReLU -> hidden2 -> ReLU -> output.
  // Python: x = F.relu(self.hidden1(x)); x = F.relu(self.hidden2(x)); return self.output(x)
  // C++: torch::relu(hidden1->forward(images)), ...  No softmax at the end: cross_entropy
  // applies log-softmax itself.
  (void)images;
  course::not_implemented("homework", "MlpImpl::forward");
}

double train_one_epoch(Mlp& model, torch::optim::Optimizer& optimizer,
                       const tools::Batches& batches, const AfterBatch& after_batch) {
  // TODO 2: one epoch of training. Python:
  //   model.train()
  //   for images, labels in loader:
  //       optimizer.zero_grad()
  //       loss = F.cross_entropy(model(images), labels)
  //       loss.backward()
  //       optimizer.step()
  // C++: model->train(); then `for (const tools::Batch& batch : batches)` with batch.images and
  // batch.labels, and torch::nn::functional::cross_entropy(logits, labels). For zero_grad,
  // optimizer.zero_grad() works; model->zero_grad(/*set_to_none=*/true) is what Python 2.x's
  // zero_grad() does (drop the old gradients instead of filling them with zeros), a bit faster.
  // Keep the sum of loss.item<double>() * batch.size() and the number of examples, and return
  // their ratio (the mean loss per example). After each batch, if after_batch is set, call
  // after_batch(batches_done, mean_loss_so_far) and stop the loop when it returns false.
  (void)model, (void)optimizer, (void)batches, (void)after_batch;
  course::not_implemented("homework", "train_one_epoch");
}

Evaluation evaluate(Mlp& model, const torch::Tensor& images, const torch::Tensor& labels) {
  // TODO 3: evaluate without training. Python:
  //   model.eval()
  //   with torch.no_grad():
  //       logits = model(images)
  //       loss = F.cross_entropy(logits, labels).item()
  //       predictions = logits.argmax(1)
  //       accuracy = (predictions == labels).double().mean().item()
  // C++: model->eval(); torch::NoGradGuard no_grad; ... Fill and return an Evaluation.
  (void)model, (void)images, (void)labels;
  course::not_implemented("homework", "evaluate");
}

bool EarlyStopping::update(double validation_loss) {
  // TODO 4a: count the epoch (++epochs_seen_). If validation_loss is strictly lower than
  // best_loss_, it is the new best: remember the loss and the epoch (best_epoch_ is 1-based:
  // epochs_seen_), reset epochs_without_improvement_ and return true. Otherwise add one to
  // epochs_without_improvement_ and return false. Make sure a tie and a NaN do not improve.
  (void)validation_loss;
  course::not_implemented("homework", "EarlyStopping::update");
}

bool EarlyStopping::should_stop() const {
  // TODO 4b: true once epochs_without_improvement_ reaches the patience (a patience of 0 acts
  // as 1: stop at the first epoch that does not improve). Keras: wait >= patience.
  course::not_implemented("homework", "EarlyStopping::should_stop");
}

}  // namespace homework
