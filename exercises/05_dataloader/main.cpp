// ex05_dataloader: a Dataset over Fashion-MNIST, its Normalize + Stack pipeline and a shuffling
// DataLoader with worker threads, one section per idea, with the batches per second it delivers.
//
//   build/solutions/bin/ex05_dataloader [--device cpu] [--seed 42]
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/cli.h"
#include "common/fashion_mnist.h"
#include "common/language.h"
#include "common/lesson.h"
#include "dataloader.h"

namespace ex = exercises::dataloader;
using course::trf;

namespace {

std::string shape(const torch::Tensor& tensor) {
  return fmt::format("[{}]", fmt::join(tensor.sizes(), ", "));
}

std::string dtype(const torch::Tensor& tensor) {
  return c10::toString(tensor.scalar_type());
}

// One epoch's order over a ten-example data set whose labels are the example indices.
std::string epoch_order(ex::Loader& loader) {
  const ex::EpochSummary summary = ex::run_epoch(loader, torch::kCPU);
  const torch::Tensor targets = summary.targets.contiguous();
  const std::vector<int64_t> order(targets.data_ptr<int64_t>(),
                                   targets.data_ptr<int64_t>() + targets.numel());
  return fmt::format("{}", fmt::join(order, " "));
}

// The section "Shuffling: a new order every epoch, the same one for the same seed".
void shuffling_per_epoch(uint64_t seed) {
  // Ten examples whose labels are their own indices, so the targets show the order.
  const ex::FashionDataset tiny(torch::zeros({10, 1, 28, 28}), torch::arange(10, torch::kInt64));
  ex::LoaderOptions loader_options;
  loader_options.batch_size = 4;
  torch::manual_seed(seed);
  auto loader = ex::make_loader(ex::make_pipeline(tiny, 0.0, 1.0), loader_options);
  for (const int epoch : {1, 2})
    fmt::print("{}\n", trf("epoch {}: {}", epoch, epoch_order(*loader)));
  torch::manual_seed(seed);
  auto again = ex::make_loader(ex::make_pipeline(tiny, 0.0, 1.0), loader_options);
  fmt::print("{}\n", trf("same seed, new loader, epoch 1: {}", epoch_order(*again)));
}

// The section "Speed: batches per second with 0 and 2 workers".
void loader_speed(const course::FashionMnist& train, const torch::Device& device) {
  for (const size_t workers : {size_t{0}, size_t{2}}) {
    ex::LoaderOptions loader_options;
    loader_options.workers = workers;
    auto loader = ex::make_loader(ex::make_pipeline(ex::FashionDataset(train.images, train.labels),
                                                    course::kPixelMean, course::kPixelStd),
                                  loader_options);
    const auto start = std::chrono::steady_clock::now();
    const ex::EpochSummary summary = ex::run_epoch(*loader, device);
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    fmt::print("{}\n", trf("workers={}: {} batches in {:.2f} s = {:.0f} batches/s", workers,
                           summary.batches, seconds.count(),
                           static_cast<double>(summary.batches) / seconds.count()));
  }
  // Here the loop does nothing with a batch, so there is no work for the workers to overlap
  // with; they pay off when building a batch is slow (decoding files, augmentation) and the
  // training step keeps the main thread busy meanwhile.
  const unsigned cores = std::thread::hardware_concurrency();
  fmt::print("{}\n", course::trn("workers are threads that build the next batches while the main "
                                 "thread uses this one ({} core here)",
                                 "workers are threads that build the next batches while the main "
                                 "thread uses this one ({} cores here)",
                                 cores, cores));
}

int run(const course::CommonOptions& options) {
  // The data first: a missing data set is reported before anything else is printed. Pixels
  // stay in [0, 1] here: normalising is the pipeline's job.
  const auto data_dir = course::locate_data_dir(options.data_dir);
  const course::FashionMnistSplits splits = course::load_fashion_mnist_splits(data_dir);
  const course::FashionMnist& train = splits.train;
  const course::FashionMnist& test = splits.test;
  const torch::Device device = course::apply_common_options(options);

  course::Lesson lesson("Exercise 05: Dataset and DataLoader");

  lesson.section("A Dataset over tensors in memory", [&] {
    ex::FashionDataset dataset(train.images, train.labels);
    const torch::data::Example<> example = dataset.get(0);
    fmt::print(
        "{}\n",
        trf("len(dataset) = {} | dataset[0]: image {} {}, label {} ({})", dataset.size().value(),
            shape(example.data), dtype(example.data), example.target.item<int64_t>(),
            course::class_names()[static_cast<size_t>(example.target.item<int64_t>())]));
    fmt::print("{}\n", trf("pixels in [{:.1f}, {:.1f}]", example.data.min().item<double>(),
                           example.data.max().item<double>()));
  });

  lesson.section("The pipeline: Normalize, then Stack", [&] {
    ex::NormalizedDataset pipeline = ex::make_pipeline(
        ex::FashionDataset(train.images, train.labels), course::kPixelMean, course::kPixelStd);
    std::vector<size_t> first(1000);
    for (size_t i = 0; i < first.size(); ++i) first[i] = i;
    const ex::Batch batch = pipeline.get_batch(first);
    fmt::print("get_batch(0..999): data {} {}, target {} {}\n", shape(batch.data),
               dtype(batch.data), shape(batch.target), dtype(batch.target));
    fmt::print("{}\n", trf("after Normalize({}, {}): mean {:.3f}, std {:.3f} (was about 0.286 "
                           "and 0.353)",
                           course::kPixelMean, course::kPixelStd, batch.data.mean().item<double>(),
                           batch.data.std().item<double>()));
  });

  lesson.section("DataLoader: batch 32, shuffled, 2 workers", [&] {
    for (const bool drop_last : {false, true}) {
      ex::LoaderOptions loader_options;
      loader_options.drop_last = drop_last;
      auto loader = ex::make_loader(ex::make_pipeline(ex::FashionDataset(test.images, test.labels),
                                                      course::kPixelMean, course::kPixelStd),
                                    loader_options);
      const ex::EpochSummary summary = ex::run_epoch(*loader, torch::kCPU);
      fmt::print("{}\n",
                 trf("test set, drop_last={}: {} batches, {} examples, last batch of {}", drop_last,
                     summary.batches, summary.examples, summary.batch_sizes.back()));
    }
    fmt::print("{}\n", course::tr("ceil(10000 / 32) = 313; drop_last leaves out the 16 examples "
                                  "of the last one"));
  });

  lesson.section("Shuffling: a new order every epoch, the same one for the same seed",
                 [&] { shuffling_per_epoch(options.seed); });

  lesson.section("Speed: batches per second with 0 and 2 workers",
                 [&] { loader_speed(train, device); });

  lesson.section("Pinned memory and non-blocking copies (CUDA)", [&] {
    const ex::Batch batch{train.images.slice(0, 0, 32), train.labels.slice(0, 0, 32)};
    const ex::Batch moved = ex::to_device(batch, device);
    fmt::print("{}\n", trf("to_device: batch now on {}", moved.data.device().str()));
    if (device.is_cuda()) {
      fmt::print("{}\n", course::tr("pinned host copy, then .to(device, non_blocking=true): the "
                                    "copy overlaps the GPU's work"));
    } else {
      fmt::print("{}\n", course::tr("on the CPU there is nothing to copy: pinning needs CUDA, and "
                                    "the batch is already where the model is"));
    }
  });

  return lesson.finish();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{std::string(course::tr("Exercise 05: Dataset and DataLoader over Fashion-MNIST")),
               "ex05_dataloader"};
  course::CommonOptions options;
  course::add_common_options(app, options);
  return course::run_main(app, argc, argv, [&] { return run(options); });
}
