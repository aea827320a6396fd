// Reference solution of exercise 04: the manual training loop.
#include "training_loop.h"

#include <fmt/format.h>

#include <algorithm>

namespace exercises::training_loop {

void check_same_device(const torch::nn::Module& model, const torch::Tensor& batch) {
  for (const auto& parameter : model.named_parameters()) {
    if (parameter.value().device() != batch.device()) {
      throw DeviceMismatch(fmt::format(
          "the model's parameter '{}' is on {} but the batch is on {}: move both to one device "
          "with model->to(device) and batch.to(device)",
          parameter.key(), parameter.value().device().str(), batch.device().str()));
    }
  }
}

torch::Tensor batch_loss(Classifier& model, const torch::Tensor& images,
                         const torch::Tensor& labels) {
  // criterion = nn.CrossEntropyLoss(); loss = criterion(model(x), y)
  torch::nn::CrossEntropyLoss criterion;
  return criterion(model->forward(images), labels);
}

torch::optim::Adam make_adam(Classifier& model, const torch::Device& device, double learning_rate) {
  model->to(device);  // first the model, then the optimizer over the moved parameters
  return torch::optim::Adam(model->parameters(), torch::optim::AdamOptions(learning_rate));
}

double train_step(Classifier& model, torch::optim::Optimizer& optimizer,
                  const torch::Tensor& images, const torch::Tensor& labels) {
  check_same_device(*model, images);
  optimizer.zero_grad();                                   // optimizer.zero_grad()
  torch::Tensor loss = batch_loss(model, images, labels);  // loss = criterion(model(x), y)
  loss.backward();                                         // loss.backward()
  optimizer.step();                                        // optimizer.step()
  return loss.item<double>();                              // loss.item()
}

EpochStats train_one_epoch(Classifier& model, torch::optim::Optimizer& optimizer,
                           const torch::Tensor& images, const torch::Tensor& labels,
                           int64_t batch_size) {
  model->train();  // model.train(): Dropout on
  const int64_t n = images.size(0);
  // DataLoader(..., shuffle=True) draws a new order every epoch; so do we.
  const torch::Tensor order =
      torch::randperm(n, torch::TensorOptions().dtype(torch::kInt64).device(images.device()));
  EpochStats stats;
  double loss_sum = 0.0;
  for (int64_t start = 0; start < n; start += batch_size) {
    const torch::Tensor index = order.slice(0, start, std::min(start + batch_size, n));
    const double loss =
        train_step(model, optimizer, images.index_select(0, index), labels.index_select(0, index));
    if (stats.batches == 0) stats.first_batch_loss = loss;
    loss_sum += loss * static_cast<double>(index.size(0));  // weight by the batch's size
    ++stats.batches;
    stats.examples += index.size(0);
  }
  stats.mean_loss = loss_sum / static_cast<double>(stats.examples);
  return stats;
}

torch::Tensor predict(Classifier& model, const torch::Tensor& images) {
  check_same_device(*model, images);
  model->eval();               // model.eval(): Dropout off
  torch::NoGradGuard no_grad;  // with torch.no_grad():
  return model->forward(images);
}

double accuracy(Classifier& model, const torch::Tensor& images, const torch::Tensor& labels,
                int64_t batch_size) {
  const int64_t n = images.size(0);
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += batch_size) {
    const int64_t end = std::min(start + batch_size, n);
    const torch::Tensor predicted = predict(model, images.slice(0, start, end)).argmax(1);
    // correct += (model(x).argmax(1) == y).sum().item()
    correct += predicted.eq(labels.slice(0, start, end)).sum().item<int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

RegressionResult fit_line(const torch::Tensor& x, const torch::Tensor& y, int64_t steps,
                          double learning_rate) {
  torch::nn::Linear model(1, 1);                                    // nn.Linear(1, 1)
  torch::nn::MSELoss criterion;                                     // nn.MSELoss()
  torch::optim::SGD optimizer(model->parameters(), learning_rate);  // optim.SGD(params, lr)
  RegressionResult result;
  for (int64_t step = 0; step < steps; ++step) {
    optimizer.zero_grad();
    torch::Tensor loss = criterion(model(x), y);
    if (step == 0) result.first_loss = loss.item<double>();
    loss.backward();
    optimizer.step();
  }
  torch::NoGradGuard no_grad;
  result.final_loss = criterion(model(x), y).item<double>();
  result.weight = model->weight.item<double>();
  result.bias = model->bias.item<double>();
  return result;
}

}  // namespace exercises::training_loop
