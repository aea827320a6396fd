// Fashion-MNIST, read straight from the IDX files (gzip'd or not): the C++ side of
// `torchvision.datasets.FashionMNIST(root, train=True, download=False)`.
#pragma once

#include <torch/torch.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/data_error.h"
#include "common/idx.h"

namespace course {

enum class Split { Train, Test };

inline constexpr int64_t kImageSide = idx::kImageSide;
inline constexpr int64_t kImagePixels = kImageSide * kImageSide;
inline constexpr int64_t kNumClasses = 10;
// Mean and standard deviation of the training images' pixels in [0, 1]
// (the values torchvision users pass to transforms.Normalize((0.2860,), (0.3530,))).
inline constexpr double kPixelMean = 0.2860;
inline constexpr double kPixelStd = 0.3530;

struct LoadOptions {
  bool flatten = false;    // images as [N, 784] instead of [N, 1, 28, 28]
  bool normalize = false;  // (pixel - kPixelMean) / kPixelStd instead of [0, 1]
};

struct FashionMnist {
  torch::Tensor images;  // float32, [N, 1, 28, 28] (or [N, 784] when flattened)
  torch::Tensor labels;  // int64, [N], values 0..9
  int64_t size() const { return labels.size(0); }
};

// "T-shirt/top", "Trouser", ..., "Ankle boot": the name of each label 0..9.
const std::array<std::string_view, kNumClasses>& class_names();

// Loads one split from `dir`, which holds train-images-idx3-ubyte.gz and its three siblings
// (plain, uncompressed files are read too). Every file is validated; throws DataError.
FashionMnist load_fashion_mnist(const std::filesystem::path& dir, Split split,
                                const LoadOptions& options = {});

// Both splits at once, the test split loaded on a second thread (what training programs need).
struct FashionMnistSplits {
  FashionMnist train;
  FashionMnist test;
};
FashionMnistSplits load_fashion_mnist_splits(const std::filesystem::path& dir,
                                             const LoadOptions& options = {});

// Where the data set is, first match wins:
//   1. `flag_value` (the --data-dir flag), if not empty; it must hold the files;
//   2. the FASHION_MNIST_DIR environment variable;
//   3. <repository>/data/fashion-mnist/ (what data/download.sh writes);
//   4. /usr/share/datasets/fashion-mnist/ (Debian's dataset-fashion-mnist package).
// Never relative to the working directory. Throws DataError listing what was tried.
std::filesystem::path locate_data_dir(const std::string& flag_value = "");

// A seeded split of one data set into two disjoint parts (`validation_size` examples for
// validation, the rest for training), like torch.utils.data.random_split with a generator.
struct TrainValidationSplit {
  FashionMnist train;
  FashionMnist validation;
  torch::Tensor train_indices;       // int64 positions in the original data set
  torch::Tensor validation_indices;  // disjoint from train_indices
};
TrainValidationSplit split_train_validation(const FashionMnist& data, int64_t validation_size,
                                            uint64_t seed);

}  // namespace course
