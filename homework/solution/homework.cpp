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

torch::optim::Adam make_optimizer(Mlp& model, double learning_rate) {
  return torch::optim::Adam(model->parameters(), torch::optim::AdamOptions(learning_rate));
}

double train_one_epoch(Mlp& model, torch::optim::Optimizer& optimizer,
                       const harness::Batches& batches, Observer& observer) {
  model->train();
  double loss_sum = 0.0;  // sum over examples, so a short last batch weighs what it holds
  int64_t examples = 0;
  int64_t done = 0;
  for (const harness::Batch& batch : batches) {
    optimizer.zero_grad();
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(model->forward(batch.images), batch.labels);
    loss.backward();
    optimizer.step();

    loss_sum += loss.item<double>() * static_cast<double>(batch.size());
    examples += batch.size();
    ++done;
    if (!observer.on_batch(done, loss_sum / static_cast<double>(examples))) break;
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

namespace {

// Python: copy.deepcopy(model.state_dict()). clone() gives each tensor storage of its own;
// `Mlp best = model;` or a list of model->parameters() would share the live ones.
std::vector<torch::Tensor> copy_of_weights(const Mlp& model) {
  std::vector<torch::Tensor> copies;
  for (const torch::Tensor& parameter : model->parameters()) {
    copies.push_back(parameter.detach().clone());
  }
  return copies;
}

// Python: model.load_state_dict(best_state). Writing into a parameter in place is not
// something autograd should record, hence the guard.
void load_weights(Mlp& model, const std::vector<torch::Tensor>& weights) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parameters = model->parameters();
  for (size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(weights[i]);
}

}  // namespace

History fit(Mlp& model, torch::optim::Optimizer& optimizer, harness::Batches& train_batches,
            const harness::Examples& validation, const FitOptions& options, Observer& observer) {
  History history = options.resumed;
  std::vector<torch::Tensor> best_weights = copy_of_weights(model);
  const int64_t patience = std::max<int64_t>(options.patience, 1);  // the course: 0 acts as 1

  for (int64_t epoch = static_cast<int64_t>(history.epochs.size()) + 1; epoch <= options.max_epochs;
       ++epoch) {
    train_batches.set_epoch(epoch);  // a new shuffle each epoch
    const double train_loss = train_one_epoch(model, optimizer, train_batches, observer);
    if (observer.stop_requested()) break;  // the epoch was cut short: not recorded

    const Evaluation validation_result = evaluate(model, validation.images, validation.labels);
    // `<` is false for NaN and for a tie: neither counts as an improvement.
    const bool improved = validation_result.loss < history.best_val_loss;
    if (improved) {
      history.best_val_loss = validation_result.loss;
      history.best_epoch = epoch;
      best_weights = copy_of_weights(model);
    }
    history.epochs.push_back(
        {epoch, train_loss, validation_result.loss, validation_result.accuracy, improved});
    observer.on_epoch(history.epochs.back());

    if (epoch - history.best_epoch >= patience) break;  // early stopping
  }
  load_weights(model, best_weights);  // restore_best_weights=True
  return history;
}

}  // namespace homework
