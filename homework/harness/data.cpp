#include "harness/data.h"

#include <fmt/format.h>

#include "common/cli.h"
#include "common/fashion_mnist.h"
#include "common/language.h"

namespace homework::harness {

HomeworkData load_homework_data(const std::filesystem::path& dir, int64_t val_size, uint64_t seed,
                                const torch::Device& device) {
  const course::LoadOptions options{/*flatten=*/true, /*normalize=*/true};
  const course::FashionMnistSplits splits = course::load_fashion_mnist_splits(dir, options);
  const course::FashionMnist& train = splits.train;
  const course::FashionMnist& test = splits.test;
  if (val_size < 1 || val_size >= train.size()) {
    throw course::UsageError(
        course::trf("--val-size {} must be between 1 and {} (the training "
                    "set has {} images)",
                    val_size, train.size() - 1, train.size()));
  }
  const course::TrainValidationSplit split = course::split_train_validation(train, val_size, seed);
  return {{split.train.images.to(device), split.train.labels.to(device)},
          {split.validation.images.to(device), split.validation.labels.to(device)},
          {test.images.to(device), test.labels.to(device)}};
}

}  // namespace homework::harness
