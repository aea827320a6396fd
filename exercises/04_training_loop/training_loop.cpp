// Exercise 04: the manual training loop. YOUR FILE: replace each TODO's not_implemented() call
// with the code its comment describes. training_loop.h says what every function must do;
// README.md has the lesson and graded hints. Check your work with
// `ctest --preset student -L 04_training_loop`. ([[maybe_unused]] only silences the
// warning about parameters a stub does not use yet; delete it once you use them.)
#include "training_loop.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/lesson.h"

namespace exercises::training_loop {

void check_same_device([[maybe_unused]] const torch::nn::Module& model,
                       [[maybe_unused]] const torch::Tensor& batch) {
  // TODO: loop over `model.named_parameters()`; when `parameter.value().device()` differs from
  // `batch.device()`, throw DeviceMismatch with a message naming parameter.key(), both devices
  // (`device.str()`) and the fix: "move both with model->to(device) and batch.to(device)".
  // Python: for name, p in model.named_parameters():
  //             if p.device != x.device: raise ValueError(f"{name} is on {p.device} ...")
  // (the check behind "Expected all tensors to be on the same device", made early and readable)
  course::not_implemented("04_training_loop", "check_same_device");
}

torch::Tensor batch_loss([[maybe_unused]] Classifier& model,
                         [[maybe_unused]] const torch::Tensor& images,
                         [[maybe_unused]] const torch::Tensor& labels) {
  // TODO: make a `torch::nn::CrossEntropyLoss criterion;` and return
  // `criterion(model->forward(images), labels)`.
  // Python: criterion = nn.CrossEntropyLoss(); loss = criterion(model(x), y)
  course::not_implemented("04_training_loop", "batch_loss");
}

double train_step([[maybe_unused]] Classifier& model,
                  [[maybe_unused]] torch::optim::Optimizer& optimizer,
                  [[maybe_unused]] const torch::Tensor& images,
                  [[maybe_unused]] const torch::Tensor& labels) {
  // TODO: check_same_device(*model, images); then the four lines of every step:
  //   optimizer.zero_grad();  auto loss = batch_loss(model, images, labels);
  //   loss.backward();        optimizer.step();
  // and return loss.item<double>().
  // Python: optimizer.zero_grad(); loss = criterion(model(x), y); loss.backward();
  //         optimizer.step(); return loss.item()
  course::not_implemented("04_training_loop", "train_step");
}

EpochStats train_one_epoch([[maybe_unused]] Classifier& model,
                           [[maybe_unused]] torch::optim::Optimizer& optimizer,
                           [[maybe_unused]] const torch::Tensor& images,
                           [[maybe_unused]] const torch::Tensor& labels,
                           [[maybe_unused]] int64_t batch_size) {
  // TODO: model->train(); draw `order = torch::randperm(n, ...)` on images.device(); for each
  // `start` in steps of batch_size take `index = order.slice(0, start, min(start + batch_size,
  // n))`, call train_step() on images.index_select(0, index) and labels.index_select(0, index),
  // keep the first loss, add loss * index.size(0) to a sum, count batches and examples; at the end
  // mean_loss = sum / examples.
  // Python: model.train()
  //         for x, y in DataLoader(dataset, batch_size, shuffle=True):
  //             total += train_step(x, y) * len(x)
  course::not_implemented("04_training_loop", "train_one_epoch");
}

torch::Tensor predict([[maybe_unused]] Classifier& model,
                      [[maybe_unused]] const torch::Tensor& images) {
  // TODO: check_same_device(*model, images); model->eval(); `torch::NoGradGuard no_grad;`
  // and return model->forward(images).
  // Python: model.eval(); with torch.no_grad(): return model(x)
  course::not_implemented("04_training_loop", "predict");
}

double accuracy([[maybe_unused]] Classifier& model, [[maybe_unused]] const torch::Tensor& images,
                [[maybe_unused]] const torch::Tensor& labels, [[maybe_unused]] int64_t batch_size) {
  // TODO: in chunks of batch_size (images.slice(0, start, end)), count
  // `predict(model, chunk).argmax(1).eq(label_chunk).sum().item<int64_t>()`; return
  // correct / n as a double.
  // Python: correct += (model(x).argmax(1) == y).sum().item(); return correct / len(dataset)
  course::not_implemented("04_training_loop", "accuracy");
}

RegressionResult fit_line([[maybe_unused]] const torch::Tensor& x,
                          [[maybe_unused]] const torch::Tensor& y, [[maybe_unused]] int64_t steps,
                          [[maybe_unused]] double learning_rate) {
  // TODO: `torch::nn::Linear model(1, 1); torch::nn::MSELoss criterion;
  // torch::optim::SGD optimizer(model->parameters(), learning_rate);` then `steps` times the
  // same zero_grad / loss = criterion(model(x), y) / backward / step loop. Record the first
  // loss; after the loop (under torch::NoGradGuard) the final loss, model->weight.item<double>()
  // and model->bias.item<double>().
  // Python: model = nn.Linear(1, 1); criterion = nn.MSELoss()
  //         optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
  course::not_implemented("04_training_loop", "fit_line");
}

}  // namespace exercises::training_loop
