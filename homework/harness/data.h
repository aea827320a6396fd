// The homework's three data sets: training and validation from a seeded split of the 60000
// training images (Python: random_split(train, [55000, 5000], generator=...)), and the 10000
// test images, used once at the very end. Both files are read at once (the test split on a
// second thread). Images are flattened to [N, 784] and normalized with
// the training set's mean and standard deviation, then moved to the device once.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>

#include "harness/batches.h"

namespace homework::harness {

struct HomeworkData {
  Examples train;
  Examples validation;
  Examples test;
};

HomeworkData load_homework_data(const std::filesystem::path& dir, int64_t val_size, uint64_t seed,
                                const torch::Device& device);

}  // namespace homework::harness
