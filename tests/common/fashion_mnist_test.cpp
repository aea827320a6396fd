// The Fashion-MNIST loader: small files the tests write themselves (known content, gzip'd and
// plain), every kind of bad input with its message, and the real data set installed by Debian.
#include "common/fashion_mnist.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/idx.h"
#include "support/idx_writer.h"
#include "support/temp_dir.h"

namespace course {
namespace {

using testing::gzip;
using testing::idx_bytes;
using testing::pattern_labels;
using testing::pattern_pixels;
using testing::TempDir;
using testing::write_file;
namespace fs = std::filesystem;

// Writes a complete small "test" split (images + labels) into `dir`.
void write_test_split(const fs::path& dir, uint32_t count, bool compressed) {
  std::string images = idx_bytes(idx::kImagesMagic, {count, 28, 28}, pattern_pixels(count));
  std::string labels = idx_bytes(idx::kLabelsMagic, {count}, pattern_labels(count));
  const std::string suffix = compressed ? ".gz" : "";
  write_file(dir / ("t10k-images-idx3-ubyte" + suffix), compressed ? gzip(images) : images);
  write_file(dir / ("t10k-labels-idx1-ubyte" + suffix), compressed ? gzip(labels) : labels);
}

// Runs `load` and returns the DataError's message ("" if nothing was thrown).
template <typename Load>
std::string error_of(Load load) {
  try {
    load();
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

std::string test_split_error(const fs::path& dir) {
  return error_of([&] { load_fashion_mnist(dir, Split::Test); });
}

class SmallFiles : public ::testing::TestWithParam<bool> {};

TEST_P(SmallFiles, LoadsKnownPixelsAndLabels) {
  TempDir dir;
  write_test_split(dir.path(), 12, /*compressed=*/GetParam());
  FashionMnist data = load_fashion_mnist(dir.path(), Split::Test);

  EXPECT_EQ(data.images.sizes(), (std::vector<int64_t>{12, 1, 28, 28}));
  EXPECT_EQ(data.images.dtype(), torch::kFloat);
  EXPECT_EQ(data.labels.sizes(), (std::vector<int64_t>{12}));
  EXPECT_EQ(data.labels.dtype(), torch::kInt64);
  // Pixel (image 3, row 5, column 7) was written as (3 + 5 + 7) % 256 = 15.
  EXPECT_FLOAT_EQ(data.images[3][0][5][7].item<float>(), 15.0f / 255.0f);
  EXPECT_EQ(data.labels[11].item<int64_t>(), 1);
  EXPECT_EQ(data.labels.sum().item<int64_t>(), 0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 0 + 1);
}

INSTANTIATE_TEST_SUITE_P(GzipAndPlain, SmallFiles, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Gzip" : "Plain"; });

TEST(FashionMnistLoader, FlattenAndNormalizeOptions) {
  TempDir dir;
  write_test_split(dir.path(), 4, true);
  FashionMnist data = load_fashion_mnist(dir.path(), Split::Test, {.flatten = true, .normalize = true});
  EXPECT_EQ(data.images.sizes(), (std::vector<int64_t>{4, 784}));
  // Pixel 0 of image 2 is 2/255, normalized with the data set's mean and std.
  EXPECT_NEAR(data.images[2][0].item<float>(), (2.0 / 255.0 - kPixelMean) / kPixelStd, 1e-6);
}

TEST(FashionMnistLoader, ClassNamesAreTheTenOfficialOnes) {
  EXPECT_EQ(class_names().size(), 10u);
  EXPECT_EQ(class_names()[0], "T-shirt/top");
  EXPECT_EQ(class_names()[9], "Ankle boot");
}

TEST(FashionMnistErrors, MissingDirectoryNamesItAndTheFix) {
  std::string message = test_split_error("/nonexistent/fashion");
  EXPECT_NE(message.find("/nonexistent/fashion"), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find("--data-dir"), std::string::npos) << message;
}

TEST(FashionMnistErrors, MissingFileNamesTheFile) {
  TempDir dir;
  write_test_split(dir.path(), 2, true);
  fs::remove(dir.path() / "t10k-labels-idx1-ubyte.gz");
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("missing t10k-labels-idx1-ubyte.gz"), std::string::npos) << message;
  EXPECT_NE(message.find("dataset-fashion-mnist"), std::string::npos) << message;
}

TEST(FashionMnistErrors, EmptyFile) {
  TempDir dir;
  write_test_split(dir.path(), 2, true);
  write_file(dir.path() / "t10k-images-idx3-ubyte.gz", "");
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("t10k-images-idx3-ubyte.gz: the file is empty"), std::string::npos)
      << message;
}

TEST(FashionMnistErrors, TruncatedGzip) {
  TempDir dir;
  std::string images = gzip(idx_bytes(idx::kImagesMagic, {3, 28, 28}, pattern_pixels(3)));
  write_test_split(dir.path(), 3, true);
  write_file(dir.path() / "t10k-images-idx3-ubyte.gz", images.substr(0, images.size() / 2));
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("t10k-images-idx3-ubyte.gz: the gzip stream ends early"),
            std::string::npos)
      << message;
}

TEST(FashionMnistErrors, CorruptGzip) {
  TempDir dir;
  std::string images = gzip(idx_bytes(idx::kImagesMagic, {3, 28, 28}, pattern_pixels(3)));
  for (size_t i = 12; i < 40; ++i) images[i] = static_cast<char>(images[i] ^ 0x5a);
  write_test_split(dir.path(), 3, true);
  write_file(dir.path() / "t10k-images-idx3-ubyte.gz", images);
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("t10k-images-idx3-ubyte.gz: the gzip data is corrupt"), std::string::npos)
      << message;
}

TEST(FashionMnistErrors, WrongMagicNumber) {
  TempDir dir;
  write_test_split(dir.path(), 2, false);
  write_file(dir.path() / "t10k-images-idx3-ubyte", idx_bytes(1234, {2, 28, 28}, pattern_pixels(2)));
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("t10k-images-idx3-ubyte: wrong magic number 1234"), std::string::npos)
      << message;
}

TEST(FashionMnistErrors, HeaderCountLargerThanPayload) {
  TempDir dir;
  write_test_split(dir.path(), 2, true);
  write_file(dir.path() / "t10k-images-idx3-ubyte.gz",
             gzip(idx_bytes(idx::kImagesMagic, {5, 28, 28}, pattern_pixels(2))));
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("announces 5 items"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST(FashionMnistErrors, ImageAndLabelCountsDiffer) {
  TempDir dir;
  write_test_split(dir.path(), 4, true);
  write_file(dir.path() / "t10k-labels-idx1-ubyte.gz",
             gzip(idx_bytes(idx::kLabelsMagic, {3}, pattern_labels(3))));
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("holds 4 images but"), std::string::npos) << message;
  EXPECT_NE(message.find("holds 3 labels"), std::string::npos) << message;
}

TEST(FashionMnistErrors, LabelTenIsRejected) {
  TempDir dir;
  write_test_split(dir.path(), 3, true);
  write_file(dir.path() / "t10k-labels-idx1-ubyte.gz",
             gzip(idx_bytes(idx::kLabelsMagic, {3}, {1, 10, 2})));
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("label 10 at position 1 is outside 0..9"), std::string::npos) << message;
}

TEST(FashionMnistErrors, DirectoryWhereAFileIsExpected) {
  TempDir dir;
  write_test_split(dir.path(), 2, true);
  fs::remove(dir.path() / "t10k-images-idx3-ubyte.gz");
  fs::create_directory(dir.path() / "t10k-images-idx3-ubyte.gz");
  std::string message = test_split_error(dir.path());
  EXPECT_NE(message.find("t10k-images-idx3-ubyte.gz: is a directory"), std::string::npos)
      << message;
}

TEST(FashionMnistErrors, FileWhereTheDirectoryIsExpected) {
  TempDir dir;
  write_file(dir.path() / "not-a-dir", "x");
  std::string message = test_split_error(dir.path() / "not-a-dir");
  EXPECT_NE(message.find("is a file, expected the directory"), std::string::npos) << message;
}

TEST(DataDirectory, FlagWinsOverEnvironment) {
  ::setenv("FASHION_MNIST_DIR", "/from/environment", 1);
  EXPECT_EQ(locate_data_dir("/from/flag"), fs::path("/from/flag"));
  EXPECT_EQ(locate_data_dir(""), fs::path("/from/environment"));
  ::unsetenv("FASHION_MNIST_DIR");
}

TEST(TrainValidationSplit, SizesDisjointAndSeeded) {
  FashionMnist data{torch::arange(100, torch::kFloat).view({100, 1}), torch::arange(100) % 10};
  TrainValidationSplit split = split_train_validation(data, 20, 7);
  EXPECT_EQ(split.train.size(), 80);
  EXPECT_EQ(split.validation.size(), 20);
  // Together the two index sets are exactly 0..99: disjoint and complete.
  torch::Tensor all = std::get<0>(torch::cat({split.train_indices, split.validation_indices}).sort());
  EXPECT_TRUE(torch::equal(all, torch::arange(100)));
  // The rows follow their indices.
  EXPECT_TRUE(torch::equal(split.validation.images.view({20}).to(torch::kLong), split.validation_indices));
  // Same seed, same split; another seed, another split.
  EXPECT_TRUE(torch::equal(split_train_validation(data, 20, 7).validation_indices,
                           split.validation_indices));
  EXPECT_FALSE(torch::equal(split_train_validation(data, 20, 8).validation_indices,
                            split.validation_indices));
}

TEST(TrainValidationSplit, RejectsImpossibleSizes) {
  FashionMnist data{torch::zeros({10, 1}), torch::zeros({10}, torch::kLong)};
  EXPECT_THROW(split_train_validation(data, 0, 1), std::invalid_argument);
  EXPECT_THROW(split_train_validation(data, 10, 1), std::invalid_argument);
}

// The real data set, from Debian's dataset-fashion-mnist (or wherever locate_data_dir finds it).
class RealDataSet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path dir = locate_data_dir();
    train_ = new FashionMnist(load_fashion_mnist(dir, Split::Train));
    test_ = new FashionMnist(load_fashion_mnist(dir, Split::Test));
  }
  static void TearDownTestSuite() {
    delete train_;
    delete test_;
  }
  static FashionMnist* train_;
  static FashionMnist* test_;
};
FashionMnist* RealDataSet::train_ = nullptr;
FashionMnist* RealDataSet::test_ = nullptr;

TEST_F(RealDataSet, SixtyThousandTrainAndTenThousandTestImages) {
  EXPECT_EQ(train_->images.sizes(), (std::vector<int64_t>{60000, 1, 28, 28}));
  EXPECT_EQ(test_->images.sizes(), (std::vector<int64_t>{10000, 1, 28, 28}));
  EXPECT_EQ(train_->labels.size(0), 60000);
  EXPECT_EQ(test_->labels.size(0), 10000);
}

TEST_F(RealDataSet, BalancedClasses) {
  EXPECT_TRUE(torch::equal(torch::bincount(train_->labels, {}, 10), torch::full({10}, 6000, torch::kLong)));
  EXPECT_TRUE(torch::equal(torch::bincount(test_->labels, {}, 10), torch::full({10}, 1000, torch::kLong)));
}

TEST_F(RealDataSet, PixelsInUnitRangeWithKnownMean) {
  EXPECT_EQ(train_->images.min().item<float>(), 0.0f);
  EXPECT_EQ(train_->images.max().item<float>(), 1.0f);
  EXPECT_NEAR(train_->images.mean().item<double>(), kPixelMean, 5e-4);
  EXPECT_NEAR(train_->images.std().item<double>(), kPixelStd, 5e-4);
}

}  // namespace
}  // namespace course
