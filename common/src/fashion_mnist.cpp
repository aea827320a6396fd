#include "common/fashion_mnist.h"

#include <cstdlib>
#include <fstream>
#include <future>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "common/idx.h"

namespace course {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFixHint =
    "install Debian's dataset-fashion-mnist (sudo scripts/install-deps.sh), run "
    "data/download.sh, or pass --data-dir";

// The four files, as the official source names them.
std::string file_stem(Split split, bool images) {
  const char* prefix = split == Split::Train ? "train" : "t10k";
  return fmt::format("{}-{}-ubyte", prefix, images ? "images-idx3" : "labels-idx1");
}

// The .gz file if it is there, else the plain one.
fs::path find_file(const fs::path& dir, Split split, bool images) {
  std::string stem = file_stem(split, images);
  for (const fs::path& candidate : {dir / (stem + ".gz"), dir / stem}) {
    std::error_code ignored;
    if (fs::exists(candidate, ignored)) return candidate;
  }
  throw DataError(fmt::format("{}: missing {}.gz (or {}) in this directory; {}", dir.string(),
                              stem, stem, kFixHint));
}

std::string read_whole_file(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    throw DataError(fmt::format("{}: is a directory, expected an IDX file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError(fmt::format("{}: cannot be opened for reading (permissions?)", path.string()));
  }
  std::string bytes;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) throw DataError(fmt::format("{}: cannot read its size", path.string()));
  bytes.resize(static_cast<size_t>(size));
  in.seekg(0);
  in.read(bytes.data(), size);
  if (!in) throw DataError(fmt::format("{}: read error", path.string()));
  return bytes;
}

idx::Array load_idx(const fs::path& path, uint32_t expected_magic) {
  idx::Array array = idx::parse(read_whole_file(path), path.string());
  if (array.magic != expected_magic) {
    throw DataError(fmt::format("{}: holds {} but {} were expected; are the files swapped?",
                                path.string(),
                                array.magic == idx::kImagesMagic ? "images" : "labels",
                                expected_magic == idx::kImagesMagic ? "images" : "labels"));
  }
  return array;
}

torch::Tensor images_to_tensor(const idx::Array& array, const LoadOptions& options) {
  const int64_t count = array.dims[0];
  // from_blob borrows the vector's memory; to(kFloat) makes the copy the tensor owns.
  torch::Tensor images =
      torch::from_blob(const_cast<uint8_t*>(array.data.data()),
                       {count, 1, kImageSide, kImageSide}, torch::kUInt8)
          .to(torch::kFloat)
          .div_(255.0);
  if (options.normalize) images.sub_(kPixelMean).div_(kPixelStd);
  if (options.flatten) images = images.view({count, kImagePixels});
  return images;
}

torch::Tensor labels_to_tensor(const idx::Array& array, const fs::path& path) {
  const int64_t count = array.dims[0];
  for (int64_t i = 0; i < count; ++i) {
    if (array.data[i] >= kNumClasses) {
      throw DataError(fmt::format("{}: label {} at position {} is outside 0..9; the file is "
                                  "damaged, download it again",
                                  path.string(), array.data[i], i));
    }
  }
  return torch::from_blob(const_cast<uint8_t*>(array.data.data()), {count}, torch::kUInt8)
      .to(torch::kInt64);
}

}  // namespace

const std::array<std::string_view, kNumClasses>& class_names() {
  static const std::array<std::string_view, kNumClasses> names = {
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

FashionMnist load_fashion_mnist(const fs::path& dir, Split split, const LoadOptions& options) {
  std::error_code error;
  if (!fs::exists(dir, error)) {
    throw DataError(fmt::format("{}: data directory does not exist; {}", dir.string(), kFixHint));
  }
  if (!fs::is_directory(dir, error)) {
    throw DataError(fmt::format("{}: is a file, expected the directory that holds the four "
                                "Fashion-MNIST files; pass --data-dir with that directory",
                                dir.string()));
  }
  const fs::path images_path = find_file(dir, split, /*images=*/true);
  const fs::path labels_path = find_file(dir, split, /*images=*/false);

  // Inflating the images is most of the time; the labels inflate meanwhile on another thread.
  auto labels_future =
      std::async(std::launch::async, [&] { return load_idx(labels_path, idx::kLabelsMagic); });
  idx::Array images = load_idx(images_path, idx::kImagesMagic);
  idx::Array labels = labels_future.get();

  if (images.dims[0] != labels.dims[0]) {
    throw DataError(fmt::format("{} holds {} images but {} holds {} labels; the files do not "
                                "belong together, download them again",
                                images_path.string(), images.dims[0], labels_path.string(),
                                labels.dims[0]));
  }
  return FashionMnist{images_to_tensor(images, options), labels_to_tensor(labels, labels_path)};
}

fs::path locate_data_dir(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;  // explicit: load_fashion_mnist reports problems
  if (const char* env = std::getenv("FASHION_MNIST_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  const std::vector<fs::path> candidates = {
      fs::path(COURSE_SOURCE_DIR) / "data" / "fashion-mnist",
      "/usr/share/datasets/fashion-mnist",
  };
  for (const fs::path& dir : candidates) {
    std::error_code ignored;
    if (fs::exists(dir / "train-images-idx3-ubyte.gz", ignored) ||
        fs::exists(dir / "train-images-idx3-ubyte", ignored)) {
      return dir;
    }
  }
  throw DataError(fmt::format(
      "Fashion-MNIST not found: no --data-dir, no FASHION_MNIST_DIR, nothing in {} or {}; {}",
      candidates[0].string(), candidates[1].string(), kFixHint));
}

TrainValidationSplit split_train_validation(const FashionMnist& data, int64_t validation_size,
                                            uint64_t seed) {
  const int64_t n = data.size();
  if (validation_size <= 0 || validation_size >= n) {
    throw std::invalid_argument(fmt::format(
        "validation size must be between 1 and {} (the data set has {} examples), got {}",
        n - 1, n, validation_size));
  }
  // A generator of its own: the split depends on `seed` only, not on what drew numbers before.
  auto generator = at::detail::createCPUGenerator(seed);
  torch::Tensor order = torch::randperm(n, generator, torch::kInt64);
  torch::Tensor validation_indices = std::get<0>(order.slice(0, 0, validation_size).sort());
  torch::Tensor train_indices = std::get<0>(order.slice(0, validation_size).sort());
  return {FashionMnist{data.images.index_select(0, train_indices),
                       data.labels.index_select(0, train_indices)},
          FashionMnist{data.images.index_select(0, validation_indices),
                       data.labels.index_select(0, validation_indices)},
          train_indices, validation_indices};
}

}  // namespace course
