#include "common/fashion_mnist.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "common/idx.h"
#include "common/idx_language.h"
#include "common/language.h"

namespace course {
namespace fs = std::filesystem;

namespace {

// What to do about a missing or damaged data set (translated where it is printed).
constexpr const char* kFixHint =
    N_("install Debian's dataset-fashion-mnist (scripts/install-deps.sh), run "
       "data/download.sh, or pass --data-dir");

// The IDX reader's messages in the student's language too (common/idx_language.h), from before
// main() in every program that reads the data set.
[[maybe_unused]] const bool kIdxMessagesTranslated = (idx::translate_message = &tr, true);

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
  throw DataError(trf("{}: missing {}.gz (or {}) in this directory; {}", dir.string(), stem, stem,
                      tr(kFixHint)));
}

std::string read_whole_file(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    throw DataError(trf("{}: is a directory, expected an IDX file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError(trf("{}: cannot be opened for reading (permissions?)", path.string()));
  }
  std::string bytes;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) throw DataError(trf("{}: cannot read its size", path.string()));
  bytes.resize(static_cast<size_t>(size));
  in.seekg(0);
  in.read(bytes.data(), size);
  if (!in) throw DataError(trf("{}: read error", path.string()));
  return bytes;
}

void check_magic(const fs::path& path, uint32_t magic, uint32_t expected) {
  if (magic != expected) {
    throw DataError(expected == idx::kImagesMagic
                        ? trf("{}: holds labels but images were expected; are the files swapped?",
                              path.string())
                        : trf("{}: holds images but labels were expected; are the files swapped?",
                              path.string()));
  }
}

// Images as float32 [N, 1, 28, 28]. Inflating is the slow part, so a second thread converts
// each chunk of pixels to floats while the next chunk inflates.
torch::Tensor read_images(const fs::path& path, const LoadOptions& options) {
  const std::string bytes = read_whole_file(path);
  idx::Reader reader(bytes, path.string());
  check_magic(path, reader.magic(), idx::kImagesMagic);
  const int64_t count = reader.dims()[0];
  const uint64_t total = reader.payload_size();

  // One table lookup per pixel: exactly pixel / 255 (then normalized), as ToTensor() computes.
  std::array<float, 256> to_float;
  for (int value = 0; value < 256; ++value) {
    float x = static_cast<float>(value) / 255.0f;
    if (options.normalize) x = (x - static_cast<float>(kPixelMean)) / static_cast<float>(kPixelStd);
    to_float[value] = x;
  }
  torch::Tensor images = torch::empty({count, 1, kImageSide, kImageSide}, torch::kFloat);
  float* out = images.data_ptr<float>();
  std::unique_ptr<uint8_t[]> pixels(new uint8_t[total]);

  std::mutex mutex;
  std::condition_variable inflated;
  uint64_t ready = 0;    // pixels[0, ready) are inflated
  bool stopped = false;  // inflating ended early (error)
  std::thread converter([&] {
    uint64_t done = 0;
    while (done < total) {
      uint64_t until;
      {
        std::unique_lock<std::mutex> lock(mutex);
        inflated.wait(lock, [&] { return ready > done || stopped; });
        if (stopped) return;
        until = ready;
      }
      for (uint64_t i = done; i < until; ++i) out[i] = to_float[pixels[i]];
      done = until;
    }
  });
  auto publish = [&](uint64_t value, bool stop) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ready = value;
      stopped = stop;
    }
    inflated.notify_one();
  };
  try {
    constexpr uint64_t kChunk = uint64_t{1} << 20;
    for (uint64_t offset = 0; offset < total; offset += kChunk) {
      const uint64_t size = std::min(kChunk, total - offset);
      reader.read_payload(pixels.get() + offset, size);
      publish(offset + size, false);
    }
    reader.finish();
  } catch (...) {
    publish(ready, true);
    converter.join();
    throw;
  }
  converter.join();
  if (options.flatten) images = images.view({count, kImagePixels});
  return images;
}

// Labels as int64 [N], each checked to be a class 0..9.
torch::Tensor read_labels(const fs::path& path) {
  idx::Array array = idx::parse(read_whole_file(path), path.string());
  check_magic(path, array.magic, idx::kLabelsMagic);
  const int64_t count = array.dims[0];
  for (int64_t i = 0; i < count; ++i) {
    if (array.data[i] >= kNumClasses) {
      throw DataError(
          trf("{}: label {} at position {} is outside 0..9; the file is "
              "damaged, download it again",
              path.string(), array.data[i], i));
    }
  }
  return torch::from_blob(array.data.data(), {count}, torch::kUInt8).to(torch::kInt64);
}

}  // namespace

const std::array<std::string_view, kNumClasses>& class_names() {
  // Marked N_: a program that prints them translates them, tr(class_names()[label]).
  static const std::array<std::string_view, kNumClasses> names = {
      N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
      N_("Sandal"),      N_("Shirt"),   N_("Sneaker"),  N_("Bag"),   N_("Ankle boot")};
  return names;
}

FashionMnist load_fashion_mnist(const fs::path& dir, Split split, const LoadOptions& options) {
  std::error_code error;
  if (!fs::exists(dir, error)) {
    throw DataError(trf("{}: data directory does not exist; {}", dir.string(), tr(kFixHint)));
  }
  if (!fs::is_directory(dir, error)) {
    throw DataError(
        trf("{}: is a file, expected the directory that holds the four "
            "Fashion-MNIST files; pass --data-dir with that directory",
            dir.string()));
  }
  const fs::path images_path = find_file(dir, split, /*images=*/true);
  const fs::path labels_path = find_file(dir, split, /*images=*/false);

  torch::Tensor labels = read_labels(labels_path);  // small: read first, fail fast
  torch::Tensor images = read_images(images_path, options);
  if (images.size(0) != labels.size(0)) {
    throw DataError(
        trf("{} holds {} images but {} holds {} labels; the files do not "
            "belong together, download them again",
            images_path.string(), images.size(0), labels_path.string(), labels.size(0)));
  }
  return FashionMnist{images, labels};
}

FashionMnistSplits load_fashion_mnist_splits(const fs::path& dir, const LoadOptions& options) {
  auto test =
      std::async(std::launch::async, [&] { return load_fashion_mnist(dir, Split::Test, options); });
  FashionMnist train = load_fashion_mnist(dir, Split::Train, options);
  return {std::move(train), test.get()};
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
  throw DataError(
      trf("Fashion-MNIST not found: no --data-dir, no FASHION_MNIST_DIR, nothing in {} or {}; {}",
          candidates[0].string(), candidates[1].string(), tr(kFixHint)));
}

TrainValidationSplit split_train_validation(const FashionMnist& data, int64_t validation_size,
                                            uint64_t seed) {
  const int64_t n = data.size();
  if (validation_size <= 0 || validation_size >= n) {
    throw std::invalid_argument(
        trf("validation size must be between 1 and {} (the data set has {} examples), got {}",
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
