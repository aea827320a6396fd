// Exercise 05, Dataset and DataLoader: a small synthetic data set whose label is each example's
// own index (so an epoch's targets say exactly which examples came, and in which order), and one
// pass over the real Fashion-MNIST test split.
#include "dataloader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "common/fashion_mnist.h"
#include "support/test_device.h"

namespace exercises::dataloader {
namespace {

constexpr int64_t kExamples = 100;  // 3 full batches of 32 and a last one of 4
constexpr double kMean = 0.5;
constexpr double kStd = 0.25;

// Example i: an image filled with i / kExamples and the label i (its own index).
FashionDataset indexed_dataset(int64_t n = kExamples) {
  const torch::Tensor values = torch::arange(n, torch::kFloat32) / static_cast<float>(n);
  torch::Tensor images = values.view({n, 1, 1, 1}).expand({n, 1, 28, 28}).contiguous();
  return FashionDataset(images, torch::arange(n, torch::kInt64));
}

std::unique_ptr<Loader> indexed_loader(const LoaderOptions& options = {}) {
  return make_loader(make_pipeline(indexed_dataset(), kMean, kStd), options);
}

// What one pass over a loader gives, collected without the exercise's run_epoch().
struct Pass {
  std::vector<int64_t> batch_sizes;
  std::vector<int64_t> order;  // the targets, i.e. the example indices, in the order they came
};
Pass iterate(Loader& loader) {
  Pass pass;
  for (const Batch& batch : loader) {
    pass.batch_sizes.push_back(batch.data.size(0));
    const torch::Tensor target = batch.target.contiguous();
    pass.order.insert(pass.order.end(), target.data_ptr<int64_t>(),
                      target.data_ptr<int64_t>() + target.numel());
  }
  return pass;
}

std::vector<int64_t> sorted(std::vector<int64_t> values) {
  std::sort(values.begin(), values.end());
  return values;
}

std::vector<int64_t> iota(int64_t n) {
  std::vector<int64_t> values(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) values[static_cast<size_t>(i)] = i;
  return values;
}

// ---- The Dataset. ----

TEST(Dataset, SizeIsTheNumberOfExamples) {
  const FashionDataset dataset = indexed_dataset();
  ASSERT_TRUE(dataset.size().has_value());
  EXPECT_EQ(*dataset.size(), static_cast<size_t>(kExamples))
      << "size() is the number of examples, labels_.size(0), like Python's __len__ (hint 1)";
}

TEST(Dataset, GetReturnsTheImageAndLabelAtIndex) {
  FashionDataset dataset = indexed_dataset();
  const torch::data::Example<> example = dataset.get(37);
  EXPECT_EQ(example.data.sizes(), (std::vector<int64_t>{1, 28, 28}))
      << "one example's image is [1, 28, 28]: index the images with images_[i], which drops the "
         "first dimension (slice keeps it) (hint 1)";
  EXPECT_EQ(example.data.dtype(), torch::kFloat32);
  EXPECT_TRUE(torch::allclose(example.data, torch::full({1, 28, 28}, 0.37f)));
  EXPECT_EQ(example.target.dim(), 0);
  EXPECT_EQ(example.target.dtype(), torch::kInt64);
  EXPECT_EQ(example.target.item<int64_t>(), 37);
}

// ---- The transform pipeline: Normalize + Stack. ----

TEST(Pipeline, NormalizesEachImageAndStacksTheBatch) {
  NormalizedDataset pipeline = make_pipeline(indexed_dataset(), kMean, kStd);
  const std::vector<size_t> indices{3, 60, 99};
  const Batch batch = pipeline.get_batch(indices);
  EXPECT_EQ(batch.data.sizes(), (std::vector<int64_t>{3, 1, 28, 28}));
  EXPECT_EQ(batch.target.sizes(), (std::vector<int64_t>{3}));
  for (int64_t b = 0; b < 3; ++b) {
    const double pixel = static_cast<double>(indices[static_cast<size_t>(b)]) / kExamples;
    const float expected = static_cast<float>((pixel - kMean) / kStd);
    EXPECT_TRUE(torch::allclose(batch.data[b], torch::full({1, 28, 28}, expected)))
        << "example " << indices[static_cast<size_t>(b)]
        << " is not (pixel - mean) / std: Normalize<>(mean, stddev), in that order (hint 2)";
    EXPECT_EQ(batch.target[b].item<int64_t>(),
              static_cast<int64_t>(indices[static_cast<size_t>(b)]));
  }
}

// ---- The DataLoader: batch 32, shuffled, 2 workers. ----

TEST(Loader, DefaultsAreBatch32TwoWorkersAndKeepTheLastBatch) {
  const auto loader = indexed_loader();
  EXPECT_EQ(loader->options().batch_size, 32u);
  EXPECT_EQ(loader->options().workers, 2u);
  EXPECT_FALSE(loader->options().drop_last);
}

TEST(Loader, HonoursTheOptionsItIsGiven) {
  LoaderOptions options;
  options.batch_size = 30;
  options.workers = 0;
  const auto loader = indexed_loader(options);
  const std::string why =
      "make_loader must pass the options it is given on to DataLoaderOptions (batch_size, "
      "workers, drop_last), not fixed numbers (hint 3)";
  EXPECT_EQ(loader->options().batch_size, 30u) << why;
  EXPECT_EQ(loader->options().workers, 0u) << why;
  EXPECT_EQ(iterate(*loader).batch_sizes, (std::vector<int64_t>{30, 30, 30, 10})) << why;
}

TEST(Loader, AnEpochHasCeilNOver32Batches) {
  const auto loader = indexed_loader();
  EXPECT_EQ(iterate(*loader).batch_sizes.size(), static_cast<size_t>((kExamples + 31) / 32));
}

TEST(Loader, EveryIndexAppearsExactlyOncePerEpoch) {
  const auto loader = indexed_loader();
  for (int epoch = 0; epoch < 2; ++epoch) {
    EXPECT_EQ(sorted(iterate(*loader).order), iota(kExamples)) << "epoch " << epoch;
  }
}

TEST(Loader, LastBatchHoldsTheRemainder) {
  const auto loader = indexed_loader();
  EXPECT_EQ(iterate(*loader).batch_sizes, (std::vector<int64_t>{32, 32, 32, 4}));
}

TEST(Loader, DropLastDropsTheShortBatch) {
  LoaderOptions options;
  options.drop_last = true;
  const auto loader = indexed_loader(options);
  const Pass pass = iterate(*loader);
  EXPECT_EQ(pass.batch_sizes, (std::vector<int64_t>{32, 32, 32}))
      << "options.drop_last must reach DataLoaderOptions().drop_last(...) (hint 3)";
  std::vector<int64_t> seen = sorted(pass.order);
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << "an index came twice";
}

TEST(Loader, BatchesHaveTheImageShapeDtypesAndMatchingTargets) {
  const auto loader = indexed_loader();
  for (const Batch& batch : *loader) {
    const int64_t size = batch.data.size(0);
    EXPECT_EQ(batch.data.sizes(), (std::vector<int64_t>{size, 1, 28, 28}));
    EXPECT_EQ(batch.data.dtype(), torch::kFloat32);
    EXPECT_EQ(batch.target.sizes(), (std::vector<int64_t>{size}));
    EXPECT_EQ(batch.target.dtype(), torch::kInt64);
    EXPECT_TRUE(batch.data.device().is_cpu());
    // Each image still travels with its own label: pixel = (index / N - mean) / std.
    const torch::Tensor expected = (batch.target.to(torch::kFloat32) / kExamples - kMean) / kStd;
    EXPECT_TRUE(torch::allclose(batch.data.amax({1, 2, 3}), expected, 1e-5, 1e-6));
  }
}

TEST(Loader, ShufflesAndTwoEpochsComeInDifferentOrders) {
  torch::manual_seed(3);
  const auto loader = indexed_loader();
  const std::vector<int64_t> first = iterate(*loader).order;
  const std::vector<int64_t> second = iterate(*loader).order;
  EXPECT_NE(first, iota(kExamples)) << "the first epoch is not shuffled";
  EXPECT_NE(first, second) << "RandomSampler must draw a new order for each epoch";
}

TEST(Loader, TheSameSeedGivesTheSameOrder) {
  // RandomSampler draws one permutation when it is built and a new one at every begin(): the
  // seed must be set before the loader is made.
  torch::manual_seed(7);
  const std::vector<int64_t> first = iterate(*indexed_loader()).order;
  torch::manual_seed(7);
  const std::vector<int64_t> again = iterate(*indexed_loader()).order;
  torch::manual_seed(8);
  const std::vector<int64_t> other_seed = iterate(*indexed_loader()).order;
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other_seed);
}

TEST(Loader, TwoWorkersDeliverTheSameOrderAsZero) {
  // Workers fetch batches in parallel, but the loader hands them out in the sampler's order.
  LoaderOptions no_workers;
  no_workers.workers = 0;
  torch::manual_seed(11);
  const std::vector<int64_t> inline_order = iterate(*indexed_loader(no_workers)).order;
  torch::manual_seed(11);
  const std::vector<int64_t> worker_order = iterate(*indexed_loader()).order;
  EXPECT_EQ(inline_order, worker_order);
}

// ---- Moving batches, and one whole epoch. ----

TEST(ToDevice, LeavesACpuBatchUnchangedAndUnpinned) {
  const Batch batch{torch::rand({4, 1, 28, 28}), torch::arange(4, torch::kInt64)};
  const Batch moved = to_device(batch, torch::kCPU);
  EXPECT_TRUE(moved.data.device().is_cpu());
  EXPECT_TRUE(moved.target.device().is_cpu());
  EXPECT_TRUE(torch::equal(moved.data, batch.data));
  EXPECT_TRUE(torch::equal(moved.target, batch.target));
  EXPECT_FALSE(moved.data.is_pinned());  // pinning is for CUDA copies only
}

// On CUDA (COURSE_TEST_DEVICE=cuda) this is the pinned-memory, non-blocking path.
TEST(ToDevice, MovesABatchToTheTestDeviceIntact) {
  const torch::Device device = course::testing::test_device();
  const Batch batch{torch::rand({4, 1, 28, 28}), torch::arange(4, torch::kInt64)};
  const Batch moved = to_device(batch, device);
  EXPECT_EQ(moved.data.device().type(), device.type()) << moved.data.device();
  EXPECT_EQ(moved.target.device().type(), device.type()) << moved.target.device();
  EXPECT_TRUE(torch::equal(moved.data.cpu(), batch.data));
  EXPECT_TRUE(torch::equal(moved.target.cpu(), batch.target));
  // The "meta" device (shapes without data) stands in for a GPU where there is none.
  const Batch on_meta = to_device(batch, torch::kMeta);
  EXPECT_TRUE(on_meta.data.is_meta() && on_meta.target.is_meta())
      << "to_device left the batch on " << on_meta.data.device()
      << ": move both tensors to the device it is given (hint 4)";
}

TEST(RunEpoch, CountsBatchesAndExamplesAndKeepsEveryTarget) {
  const auto loader = indexed_loader();
  const EpochSummary summary = run_epoch(*loader, torch::kCPU);
  EXPECT_EQ(summary.batches, 4);
  EXPECT_EQ(summary.examples, kExamples);
  EXPECT_EQ(summary.batch_sizes, (std::vector<int64_t>{32, 32, 32, 4}));
  ASSERT_EQ(summary.targets.sizes(), (std::vector<int64_t>{kExamples}));
  EXPECT_EQ(summary.targets.dtype(), torch::kInt64);
  EXPECT_TRUE(torch::equal(std::get<0>(summary.targets.sort()), torch::arange(kExamples)));
}

// ---- The real test split. ----

TEST(RealData, TestSplitGives313BatchesEndingWith16NormalisedImages) {
  const auto data = course::load_fashion_mnist(course::locate_data_dir(), course::Split::Test);
  const auto loader = make_loader(make_pipeline(FashionDataset(data.images, data.labels),
                                                course::kPixelMean, course::kPixelStd));
  int64_t batches = 0;
  int64_t last_size = 0;
  double sum = 0.0;
  double sum_of_squares = 0.0;
  for (const Batch& batch : *loader) {
    ++batches;
    last_size = batch.data.size(0);
    sum += batch.data.sum().item<double>();
    sum_of_squares += batch.data.square().sum().item<double>();
  }
  EXPECT_EQ(batches, 313);   // ceil(10000 / 32)
  EXPECT_EQ(last_size, 16);  // 10000 - 312 * 32
  // Normalised with the training set's mean and std, the test pixels have mean ~0 and std ~1.
  const double count = 10000.0 * 784.0;
  const double mean = sum / count;
  EXPECT_NEAR(mean, 0.0, 0.05);
  EXPECT_NEAR(std::sqrt(sum_of_squares / count - mean * mean), 1.0, 0.05);
}

}  // namespace
}  // namespace exercises::dataloader
