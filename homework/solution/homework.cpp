// Reference solution of the homework (see homework/README.md).
#include "homework.h"

#include <algorithm>

namespace homework {

MlpImpl::MlpImpl() {
  // One statement per layer, in order: the arguments of one big Sequential(...) call would be
  // evaluated in an unspecified order, and the layers initialised differently than in Python.
  hidden1 = register_module("hidden1", torch::nn::Linear(784, 300));
  hidden2 = register_module("hidden2", torch::nn::Linear(300, 100));
  output = register_module("output", torch::nn::Linear(100, 10));
}

torch::Tensor MlpImpl::forward(torch::Tensor images) {
  torch::Tensor x = torch::relu(hidden1->forward(images));
  x = torch::relu(hidden2->forward(x));
  return output->forward(x);
}

double train_one_epoch(Mlp& model, torch::optim::Optimizer& optimizer,
                       const tools::Batches& batches, const AfterBatch& after_batch) {
  model->train();
  double loss_sum = 0.0;  // sum over examples, so a short last batch weighs what it holds
  int64_t examples = 0;
  int64_t done = 0;
  for (const tools::Batch& batch : batches) {
    // Python's optimizer.zero_grad(): since PyTorch 2.0 it sets the gradients to None, so
    // backward() writes fresh ones instead of adding to zeros. LibTorch 1.13's
    // optimizer.zero_grad() still fills them with zeros (one more pass over 266610 floats, and
    // one more to add); model->zero_grad(true) does the 2.x thing on every version.
    model->zero_grad(/*set_to_none=*/true);
    torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(batch.images),
                                                              batch.labels);
    loss.backward();
    optimizer.step();

    loss_sum += loss.item<double>() * static_cast<double>(batch.size());
    examples += batch.size();
    ++done;
    if (after_batch && !after_batch(done, loss_sum / static_cast<double>(examples))) break;
  }
  return examples > 0 ? loss_sum / static_cast<double>(examples) : 0.0;
}

Evaluation evaluate(Mlp& model, const torch::Tensor& images, const torch::Tensor& labels) {
  model->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor logits = model->forward(images);
  Evaluation result;
  result.loss = torch::nn::functional::cross_entropy(logits, labels).item<double>();
  result.predictions = logits.argmax(1);
  result.accuracy = result.predictions.eq(labels).to(torch::kDouble).mean().item<double>();
  return result;
}

bool EarlyStopping::update(double validation_loss) {
  ++epochs_seen_;
  // `<` is false for NaN, and for a tie: neither counts as an improvement.
  if (validation_loss < best_loss_) {
    best_loss_ = validation_loss;
    best_epoch_ = epochs_seen_;
    epochs_without_improvement_ = 0;
    return true;
  }
  ++epochs_without_improvement_;
  return false;
}

bool EarlyStopping::should_stop() const {
  return epochs_without_improvement_ >= std::max<int64_t>(patience_, 1);
}

}  // namespace homework
