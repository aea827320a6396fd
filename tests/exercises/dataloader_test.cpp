// Exercise 05, Dataset and DataLoader: a small synthetic data set whose label is each example's
// own index (so an epoch's targets say exactly which examples came, and in which order), and one
// pass over the real Fashion-MNIST test split. Every check that fails ends with the course's
// sentence (support/sentence.h): what was expected, what came, the likely cause and the hint.
#include "dataloader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "common/fashion_mnist.h"
#include "support/operator_counter.h"
#include "support/sentence.h"
#include "support/test_device.h"

namespace exercises::dataloader {
namespace {

using course::tr;
using course::trf;
using course::trn;
using course::testing::dtype_name;
using course::testing::explain_throw;
using course::testing::sentence;
using course::testing::text_of;

constexpr int64_t kExamples = 100;  // 3 full batches of 32 and a last one of 4
constexpr double kMean = 0.5;
constexpr double kStd = 0.25;

// A list of numbers as a sentence shows it: [32, 32, 32, 4], cut after `shown` of them.
std::string show(const std::vector<int64_t>& values, size_t shown = 8) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < values.size() && i < shown; ++i) out << (i == 0 ? "" : ", ") << values[i];
  if (values.size() > shown) out << trf(", ... ({} in all)", values.size());
  out << "]";
  return out.str();
}

// Example i: an image filled with i / kExamples and the label i (its own index).
FashionDataset indexed_dataset(int64_t n = kExamples) {
  const torch::Tensor values = torch::arange(n, torch::kFloat32) / static_cast<float>(n);
  torch::Tensor images = values.view({n, 1, 1, 1}).expand({n, 1, 28, 28}).contiguous();
  return FashionDataset(images, torch::arange(n, torch::kInt64));
}

std::unique_ptr<Loader> indexed_loader(const LoaderOptions& options = {}) {
  return explain_throw(
      [&] { return make_loader(make_pipeline(indexed_dataset(), kMean, kStd), options); },
      trf("building the loader of 100 examples (batch_size {}, workers {}) threw: read the "
          "dataset's size before std::move(dataset), then give make_data_loader the dataset, "
          "RandomSampler(size) and the DataLoaderOptions (hint 3)",
          options.batch_size, options.workers));
}

// What going through a loader throwing says.
std::string going_through_threw() {
  return trf(
      "going through the loader threw: its sampler must be RandomSampler(size) over the "
      "dataset's examples, size = dataset.size().value() (hint 3)");
}

// What one pass over a loader gives, collected without the exercise's run_epoch().
struct Pass {
  std::vector<int64_t> batch_sizes;
  std::vector<int64_t> order;  // the targets, i.e. the example indices, in the order they came
};
Pass iterate(Loader& loader) {
  return explain_throw(
      [&] {
        Pass pass;
        for (const Batch& batch : loader) {
          pass.batch_sizes.push_back(batch.data.size(0));
          const torch::Tensor target = batch.target.to(torch::kInt64).contiguous();
          pass.order.insert(pass.order.end(), target.data_ptr<int64_t>(),
                            target.data_ptr<int64_t>() + target.numel());
        }
        return pass;
      },
      going_through_threw());
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

// Which indices of 0..n-1 an epoch's order missed and which came more than once: "" if none.
std::string coverage_problem(const std::vector<int64_t>& order, int64_t n) {
  std::vector<int64_t> missing;
  std::vector<int64_t> repeated;
  const std::vector<int64_t> seen = sorted(order);
  for (int64_t i = 0; i < n; ++i) {
    const auto count = std::count(seen.begin(), seen.end(), i);
    if (count == 0) missing.push_back(i);
    if (count > 1) repeated.push_back(i);
  }
  const auto strangers = std::count_if(seen.begin(), seen.end(),
                                       [n](int64_t index) { return index < 0 || index >= n; });
  if (missing.empty() && repeated.empty() && strangers == 0) return "";
  return trn("it delivered {} example; missing {}, more than once {}",
             "it delivered {} examples; missing {}, more than once {}", order.size(), order.size(),
             show(missing, 5), show(repeated, 5));
}

// ---- The Dataset. ----

TEST(Dataset, SizeIsTheNumberOfExamples) {
  const FashionDataset dataset = indexed_dataset();
  const torch::optional<size_t> size =
      explain_throw([&] { return dataset.size(); },
                    trf("size() threw: return labels_.size(0) as a size_t (hint 1)"));
  ASSERT_TRUE(size.has_value()) << sentence
                                << tr("size() returned no number: return the number of examples, "
                                      "labels_.size(0), like Python's __len__ (hint 1)");
  EXPECT_EQ(*size, static_cast<size_t>(kExamples))
      << sentence
      << trf("size() is {} for a data set of {} images [100, 1, 28, 28], expected the number of "
             "examples, {}: return labels_.size(0), like Python's __len__ (hint 1)",
             *size, kExamples, kExamples);
}

TEST(Dataset, GetReturnsTheImageAndLabelAtIndex) {
  FashionDataset dataset = indexed_dataset();
  const torch::data::Example<> example =
      explain_throw([&] { return dataset.get(37); },
                    trf("get(37) threw: return {{images_[i], labels_[i]}} with i = "
                        "static_cast<int64_t>(index) (hint 1)"));
  ASSERT_TRUE(example.data.defined() && example.target.defined())
      << sentence
      << tr("get(37) returned an empty image or label: return {images_[i], labels_[i]} (hint 1)");
  ASSERT_EQ(example.data.sizes(), (std::vector<int64_t>{1, 28, 28}))
      << sentence
      << trf("get(37)'s image has shape {}, expected [1, 28, 28]: index the images with "
             "images_[i], which drops the first dimension (slice keeps it) (hint 1)",
             text_of(example.data.sizes()));
  EXPECT_EQ(example.data.dtype(), torch::kFloat32)
      << sentence
      << trf("get(37)'s image is {}, expected float: return images_[i] as it is (hint 1)",
             dtype_name(example.data.dtype()));
  EXPECT_TRUE(torch::allclose(example.data, torch::full({1, 28, 28}, 0.37f)))
      << sentence
      << trf("get(37)'s image holds values from {:.6g} to {:.6g}, expected 0.37 everywhere, "
             "example 37's image: index images_ with the index given (hint 1)",
             example.data.min().item<double>(), example.data.max().item<double>());
  ASSERT_EQ(example.target.dim(), 0)
      << sentence
      << trf("get(37)'s label has shape {}, expected a scalar: labels_[i] (hint 1)",
             text_of(example.target.sizes()));
  EXPECT_EQ(example.target.dtype(), torch::kInt64)
      << sentence
      << trf("get(37)'s label is {}, expected int64: return labels_[i] as it is (hint 1)",
             dtype_name(example.target.dtype()));
  EXPECT_EQ(example.target.item<int64_t>(), 37)
      << sentence
      << trf("get(37)'s label is {}, expected 37: index labels_ with the index given (hint 1)",
             example.target.item<int64_t>());
}

// ---- The transform pipeline: Normalize + Stack. ----

TEST(Pipeline, NormalizesEachImageAndStacksTheBatch) {
  NormalizedDataset pipeline =
      explain_throw([&] { return make_pipeline(indexed_dataset(), kMean, kStd); },
                    trf("make_pipeline threw: two .map calls on std::move(dataset), "
                        "Normalize<>(mean, stddev) then Stack<>() (hint 2)"));
  const std::vector<size_t> indices{3, 60, 99};
  const Batch batch =
      explain_throw([&] { return pipeline.get_batch(indices); },
                    trf("the pipeline's get_batch({{3, 60, 99}}) threw: two .map calls, "
                        "Normalize<>(mean, stddev) then Stack<>() (hint 2)"));
  ASSERT_EQ(batch.data.sizes(), (std::vector<int64_t>{3, 1, 28, 28}))
      << sentence
      << trf("a batch of 3 examples has images of shape {}, expected [3, 1, 28, 28]: the second "
             ".map is Stack<>(), which stacks the images (hint 2)",
             text_of(batch.data.sizes()));
  ASSERT_EQ(batch.target.sizes(), (std::vector<int64_t>{3}))
      << sentence
      << trf("a batch of 3 examples has targets of shape {}, expected [3]: the second .map is "
             "Stack<>(), which stacks the labels (hint 2)",
             text_of(batch.target.sizes()));
  for (int64_t b = 0; b < 3; ++b) {
    const auto index = static_cast<int64_t>(indices[static_cast<size_t>(b)]);
    const double pixel = static_cast<double>(index) / kExamples;
    const float expected = static_cast<float>((pixel - kMean) / kStd);
    EXPECT_TRUE(torch::allclose(batch.data[b], torch::full({1, 28, 28}, expected)))
        << sentence
        << trf("example {}'s pixels became {:.6g}, expected ({:.6g} - {:.6g}) / {:.6g} = "
               "{:.6g}: Normalize<>(mean, stddev), in that order (hint 2)",
               index, batch.data[b].mean().item<double>(), pixel, kMean, kStd, expected);
    EXPECT_EQ(batch.target[b].item<int64_t>(), index)
        << sentence
        << trf("the target of example {} is {}: the pipeline must keep each example's label with "
               "its image (hint 2)",
               index, batch.target[b].item<int64_t>());
    if (HasFailure()) return;
  }
}

// ---- The DataLoader: batch 32, shuffled, 2 workers. ----

TEST(Loader, DefaultsAreBatch32TwoWorkersAndKeepTheLastBatch) {
  const auto loader = indexed_loader();
  const auto& options = loader->options();
  EXPECT_TRUE(options.batch_size == 32u && options.workers == 2u && !options.drop_last)
      << sentence
      << trf("with the default LoaderOptions the loader has batch_size {}, workers {}, drop_last "
             "{}, expected 32, 2 and false: pass options.batch_size, options.workers and "
             "options.drop_last on to DataLoaderOptions (hint 3)",
             options.batch_size, options.workers, options.drop_last ? "true" : "false");
}

TEST(Loader, HonoursTheOptionsItIsGiven) {
  LoaderOptions options;
  options.batch_size = 30;
  options.workers = 0;
  const auto loader = indexed_loader(options);
  EXPECT_TRUE(loader->options().batch_size == 30u && loader->options().workers == 0u)
      << sentence
      << trf("make_loader was given batch_size 30 and workers 0, the loader has {} and {}: "
             "make_loader must pass the options it is given on to DataLoaderOptions (batch_size, "
             "workers, drop_last), not fixed numbers (hint 3)",
             loader->options().batch_size, loader->options().workers);
  if (HasFailure()) return;
  const std::vector<int64_t> sizes = iterate(*loader).batch_sizes;
  EXPECT_EQ(sizes, (std::vector<int64_t>{30, 30, 30, 10}))
      << sentence
      << trf("100 examples in batches of 30 came as {}, expected [30, 30, 30, 10]: make_loader "
             "must pass the options it is given on to DataLoaderOptions (batch_size, workers, "
             "drop_last), not fixed numbers (hint 3)",
             show(sizes));
}

TEST(Loader, AnEpochHasCeilNOver32Batches) {
  const auto loader = indexed_loader();
  const std::vector<int64_t> sizes = iterate(*loader).batch_sizes;
  EXPECT_EQ(sizes.size(), static_cast<size_t>((kExamples + 31) / 32))
      << sentence
      << trn("an epoch over 100 examples in batches of 32 gave {} batch {}, expected 4: the "
             "sampler is RandomSampler(size) with size = dataset.size().value(), and the last, "
             "short batch is kept (hint 3)",
             "an epoch over 100 examples in batches of 32 gave {} batches {}, expected 4: the "
             "sampler is RandomSampler(size) with size = dataset.size().value(), and the last, "
             "short batch is kept (hint 3)",
             sizes.size(), sizes.size(), show(sizes));
}

TEST(Loader, EveryIndexAppearsExactlyOncePerEpoch) {
  const auto loader = indexed_loader();
  for (int epoch = 1; epoch <= 2; ++epoch) {
    const std::string problem = coverage_problem(iterate(*loader).order, kExamples);
    EXPECT_TRUE(problem.empty())
        << sentence
        << trf("in epoch {} the loader did not deliver each of the 100 examples once: {}; the "
               "sampler is RandomSampler(size) with size = dataset.size().value() (hint 3)",
               epoch, problem);
    if (HasFailure()) return;
  }
}

TEST(Loader, LastBatchHoldsTheRemainder) {
  const auto loader = indexed_loader();
  const std::vector<int64_t> sizes = iterate(*loader).batch_sizes;
  EXPECT_EQ(sizes, (std::vector<int64_t>{32, 32, 32, 4}))
      << sentence
      << trf("100 examples in batches of 32 came as {}, expected [32, 32, 32, 4]: keep the short "
             "last batch, drop_last false by default (hint 3)",
             show(sizes));
}

TEST(Loader, DropLastDropsTheShortBatch) {
  LoaderOptions options;
  options.drop_last = true;
  const auto loader = indexed_loader(options);
  const Pass pass = iterate(*loader);
  EXPECT_EQ(pass.batch_sizes, (std::vector<int64_t>{32, 32, 32}))
      << sentence
      << trf("with drop_last the 100 examples came as {}, expected [32, 32, 32]: "
             "options.drop_last must reach DataLoaderOptions().drop_last(...) (hint 3)",
             show(pass.batch_sizes));
  std::vector<int64_t> seen = sorted(pass.order);
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end())
      << sentence
      << tr("with drop_last an example came twice in one epoch: the sampler is "
            "RandomSampler(size) over the dataset's examples (hint 3)");
}

TEST(Loader, BatchesHaveTheImageShapeDtypesAndMatchingTargets) {
  const auto loader = indexed_loader();
  // One sentence, for the first batch that is not as it should be.
  std::string problem;
  explain_throw(
      [&] {
        for (const Batch& batch : *loader) {
          const int64_t size = batch.data.size(0);
          if (batch.data.sizes() != torch::IntArrayRef{size, 1, 28, 28} ||
              batch.data.dtype() != torch::kFloat32) {
            problem = trf(
                "a batch's images are {} {}, expected float [{}, 1, 28, 28]: Stack<>() stacks the "
                "[1, 28, 28] images of get() (hint 2)",
                text_of(batch.data.dtype()), text_of(batch.data.sizes()), size);
          } else if (batch.target.sizes() != torch::IntArrayRef{size} ||
                     batch.target.dtype() != torch::kInt64) {
            problem =
                trf("a batch's targets are {} {}, expected int64 [{}]: get() returns labels_[i], a "
                    "scalar (hint 1)",
                    text_of(batch.target.dtype()), text_of(batch.target.sizes()), size);
          } else if (!batch.data.device().is_cpu()) {
            problem = trf(
                "a batch came on {}, expected the cpu: the loader does not move batches (hint 3)",
                text_of(batch.data.device()));
          } else {
            // Each image still travels with its own label: pixel = (index / N - mean) / std.
            const torch::Tensor expected =
                (batch.target.to(torch::kFloat32) / kExamples - kMean) / kStd;
            if (!torch::allclose(batch.data.amax({1, 2, 3}), expected, 1e-5, 1e-6)) {
              problem = trf(
                  "a batch's images do not match its targets: the image of target {} is {:.6g}, "
                  "expected {:.6g}; get(i) returns image i with label i, Normalize<>(mean, "
                  "stddev) (hint 2)",
                  batch.target[0].item<int64_t>(), batch.data[0].amax().item<double>(),
                  expected[0].item<double>());
            }
          }
          if (!problem.empty()) return;
        }
      },
      going_through_threw());
  EXPECT_TRUE(problem.empty()) << sentence << problem;
}

TEST(Loader, ShufflesAndTwoEpochsComeInDifferentOrders) {
  torch::manual_seed(3);
  const auto loader = indexed_loader();
  const std::vector<int64_t> first = iterate(*loader).order;
  const std::vector<int64_t> second = iterate(*loader).order;
  EXPECT_NE(first, iota(kExamples))
      << sentence
      << trf("the first epoch came in the order {}, not shuffled: the sampler is "
             "torch::data::samplers::RandomSampler(size) (hint 3)",
             show(first));
  EXPECT_NE(first, second)
      << sentence
      << trf("two epochs came in the same order {}: RandomSampler draws a new order at each "
             "begin(), so keep one loader and its sampler for every epoch (hint 3)",
             show(first));
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
  EXPECT_EQ(first, again) << sentence
                          << trf("two loaders made after torch::manual_seed(7) gave {} and {}: "
                                 "RandomSampler must draw from the global generator, with no "
                                 "seed or generator of its own (hint 3)",
                                 show(first), show(again));
  EXPECT_NE(first, other_seed)
      << sentence
      << trf("loaders made after torch::manual_seed(7) and (8) gave the same order {}: do not "
             "seed inside make_loader, RandomSampler(size) draws from the global generator "
             "(hint 3)",
             show(first));
}

TEST(Loader, TwoWorkersDeliverTheSameOrderAsZero) {
  // Workers fetch batches in parallel, but the loader hands them out in the sampler's order.
  LoaderOptions no_workers;
  no_workers.workers = 0;
  torch::manual_seed(11);
  const std::vector<int64_t> inline_order = iterate(*indexed_loader(no_workers)).order;
  torch::manual_seed(11);
  const std::vector<int64_t> worker_order = iterate(*indexed_loader()).order;
  EXPECT_EQ(inline_order, worker_order)
      << sentence
      << trf("after the same seed, 0 workers gave {} and 2 workers {}: the loader hands batches "
             "out in the sampler's order, so pass only options.workers to "
             "DataLoaderOptions().workers(...), nothing else changes (hint 3)",
             show(inline_order), show(worker_order));
}

// ---- Moving batches, and one whole epoch. ----

Batch checked_to_device(const Batch& batch, const torch::Device& device) {
  return explain_throw([&] { return to_device(batch, device); },
                       trf("to_device(batch, {}) threw: pin_memory() is for CUDA copies only; "
                           "for any other device return {{batch.data.to(device), "
                           "batch.target.to(device)}} (hint 4)",
                           text_of(device)));
}

// The sentences that to_device(batch, `device`) returned an empty tensor, or put the batch
// elsewhere (`moved`).
std::string returned_empty(const std::string& device) {
  return trf(
      "to_device(batch, {}) returned an empty tensor: return {{batch.data.to(device), "
      "batch.target.to(device)}} (hint 4)",
      device);
}
std::string put_elsewhere(const std::string& device, const Batch& moved) {
  return trf(
      "to_device(batch, {}) put the batch on {} and {}: move both tensors to the device "
      "it is given (hint 4)",
      device, text_of(moved.data.device()), text_of(moved.target.device()));
}

TEST(ToDevice, LeavesACpuBatchUnchangedAndUnpinned) {
  const Batch batch{torch::rand({4, 1, 28, 28}), torch::arange(4, torch::kInt64)};
  const Batch moved = checked_to_device(batch, torch::kCPU);
  ASSERT_TRUE(moved.data.defined() && moved.target.defined()) << sentence << returned_empty("cpu");
  EXPECT_TRUE(moved.data.device().is_cpu() && moved.target.device().is_cpu())
      << sentence << put_elsewhere("cpu", moved);
  if (HasFailure()) return;
  EXPECT_TRUE(torch::equal(moved.data, batch.data) && torch::equal(moved.target, batch.target))
      << sentence
      << trf("to_device(batch, cpu) changed the batch: images {}, targets {}, expected the same "
             "tensors: only .to(device), no other change (hint 4)",
             text_of(moved.data.sizes()), course::show(moved.target));
  EXPECT_FALSE(moved.data.is_pinned())
      << sentence
      << tr("to_device(batch, cpu) pinned the images: pin_memory() is for CUDA copies only "
            "(hint 4)");
}

// On CUDA (COURSE_TEST_DEVICE=cuda) this is the pinned-memory, non-blocking path.
TEST(ToDevice, MovesABatchToTheTestDeviceIntact) {
  const torch::Device device = course::testing::test_device();
  const Batch batch{torch::rand({4, 1, 28, 28}), torch::arange(4, torch::kInt64)};
  const Batch moved = checked_to_device(batch, device);
  ASSERT_TRUE(moved.data.defined() && moved.target.defined())
      << sentence << returned_empty(text_of(device));
  EXPECT_TRUE(moved.data.device().type() == device.type() &&
              moved.target.device().type() == device.type())
      << sentence << put_elsewhere(text_of(device), moved);
  if (HasFailure()) return;
  EXPECT_TRUE(torch::equal(moved.data.cpu(), batch.data) &&
              torch::equal(moved.target.cpu(), batch.target))
      << sentence
      << trf("to_device(batch, {}) changed the batch's values: targets {}, expected {}: only "
             "move the tensors, .to(device) (hint 4)",
             text_of(device), course::show(moved.target), course::show(batch.target));
  // The "meta" device (shapes without data) stands in for a GPU where there is none.
  const Batch on_meta = checked_to_device(batch, torch::kMeta);
  EXPECT_TRUE(on_meta.data.is_meta() && on_meta.target.is_meta())
      << sentence
      << trf("to_device(batch, meta) left the batch on {} and {}: move both tensors to the "
             "device it is given, not only to CUDA (hint 4)",
             text_of(on_meta.data.device()), text_of(on_meta.target.device()));
}

// The pinned, non-blocking copy runs only on CUDA, but its first step can be seen anywhere: asked
// for "cuda", to_device must start by pinning the batch (aten::pin_memory). On a machine without
// CUDA, LibTorch refuses that pinning (or the copy), and the check counts what was asked for.
// What no check can see without a GPU: that the copy is non_blocking, and that it overlaps.
TEST(ToDevice, PinsTheBatchBeforeACudaCopy) {
  const Batch batch{torch::rand({4, 1, 28, 28}), torch::arange(4, torch::kInt64)};
  course::testing::OperatorCounter pins(
      course::testing::OperatorCounter::named({"aten::pin_memory"}));
  try {
    to_device(batch, torch::Device(torch::kCUDA));
  } catch (const c10::Error&) {
    // No CUDA here: LibTorch refused the pinning or the copy, after the request was counted.
  }
  EXPECT_GE(pins.count(), 1)
      << sentence
      << tr("to_device(batch, cuda) did not pin the batch before copying it: on CUDA, copy each "
            "tensor into pinned memory first, batch.data.pin_memory(), then .to(device, "
            "/*non_blocking=*/true), what DataLoader(..., pin_memory=True) does (hint 4)");
}

TEST(RunEpoch, CountsBatchesAndExamplesAndKeepsEveryTarget) {
  const auto loader = indexed_loader();
  const EpochSummary summary = explain_throw(
      [&] { return run_epoch(*loader, torch::kCPU); },
      trf("run_epoch(loader, cpu) threw: for each batch of the loader, to_device, count it, and "
          "keep moved.target.to(torch::kCPU); torch::cat the targets at the end (hint 5)"));
  EXPECT_TRUE(summary.batches == 4 && summary.examples == kExamples)
      << sentence
      << trn("run_epoch counted {} batch and {} examples, expected 4 and 100: count every batch "
             "and add up moved.data.size(0) (hint 5)",
             "run_epoch counted {} batches and {} examples, expected 4 and 100: count every "
             "batch and add up moved.data.size(0) (hint 5)",
             summary.batches, summary.batches, summary.examples);
  EXPECT_EQ(summary.batch_sizes, (std::vector<int64_t>{32, 32, 32, 4}))
      << sentence
      << trf("run_epoch's batch_sizes are {}, expected [32, 32, 32, 4]: push back each batch's "
             "size in the order they came (hint 5)",
             show(summary.batch_sizes));
  if (HasFailure()) return;
  ASSERT_TRUE(summary.targets.defined() && summary.targets.dim() == 1 &&
              summary.targets.size(0) == kExamples)
      << sentence
      << (summary.targets.defined()
              ? trf("run_epoch's targets are {}, expected [100]: keep each batch's targets and "
                    "torch::cat them at the end (hint 5)",
                    text_of(summary.targets.sizes()))
              : trf("run_epoch's targets are empty, expected [100]: keep each batch's targets "
                    "and torch::cat them at the end (hint 5)"));
  EXPECT_EQ(summary.targets.dtype(), torch::kInt64)
      << sentence
      << trf("run_epoch's targets are {}, expected int64: keep moved.target as it is, only "
             ".to(torch::kCPU) (hint 5)",
             dtype_name(summary.targets.dtype()));
  const torch::Tensor sorted_targets = std::get<0>(summary.targets.sort());
  EXPECT_TRUE(torch::equal(sorted_targets, torch::arange(kExamples)))
      << sentence
      << trf("run_epoch's targets, sorted, are {}..., expected each index 0..99 once: keep every "
             "batch's targets (hint 5)",
             course::show(sorted_targets.slice(0, 0, 6)));
}

// ---- The real test split. ----

TEST(RealData, TestSplitGives313BatchesEndingWith16NormalisedImages) {
  const auto data = explain_throw(
      [] { return course::load_fashion_mnist(course::locate_data_dir(), course::Split::Test); },
      trf("the Fashion-MNIST test split could not be loaded, so nothing was checked"));
  const auto loader = explain_throw(
      [&] {
        return make_loader(make_pipeline(FashionDataset(data.images, data.labels),
                                         course::kPixelMean, course::kPixelStd));
      },
      trf("building the loader of the Fashion-MNIST test split threw: make_pipeline, then "
          "make_loader with the default options (hint 3)"));
  int64_t batches = 0;
  int64_t last_size = 0;
  double sum = 0.0;
  double sum_of_squares = 0.0;
  explain_throw(
      [&] {
        for (const Batch& batch : *loader) {
          ++batches;
          last_size = batch.data.size(0);
          sum += batch.data.sum().item<double>();
          sum_of_squares += batch.data.square().sum().item<double>();
        }
      },
      trf("going through the loader of the test split threw: its sampler must be "
          "RandomSampler(size) over the dataset's examples (hint 3)"));
  EXPECT_TRUE(batches == 313 && last_size == 16)  // ceil(10000 / 32), 10000 - 312 * 32
      << sentence
      << trn("the 10000 test images came in {} batch, the last of {}, expected 313 batches, the "
             "last of 16: batch_size 32 and the short last batch kept (hint 3)",
             "the 10000 test images came in {} batches, the last of {}, expected 313 batches, "
             "the last of 16: batch_size 32 and the short last batch kept (hint 3)",
             batches, batches, last_size);
  // Normalised with the training set's mean and std, the test pixels have mean ~0 and std ~1.
  const double count = 10000.0 * 784.0;
  const double mean = sum / count;
  const double deviation = std::sqrt(sum_of_squares / count - mean * mean);
  EXPECT_TRUE(std::abs(mean) <= 0.05 && std::abs(deviation - 1.0) <= 0.05)
      << sentence
      << trf("the normalised test pixels have mean {:.6g} and std {:.6g}, expected about 0 and "
             "1: Normalize<>(mean, stddev), in that order (hint 2)",
             mean, deviation);
}

}  // namespace
}  // namespace exercises::dataloader
