// Reference solution of exercise 05: Dataset and DataLoader.
#include "dataloader.h"

namespace exercises::dataloader {

torch::data::Example<> FashionDataset::get(size_t index) {
  // def __getitem__(self, index): return self.images[index], self.labels[index]
  const auto i = static_cast<int64_t>(index);
  return {images_[i], labels_[i]};
}

torch::optional<size_t> FashionDataset::size() const {
  // def __len__(self): return len(self.labels)
  return static_cast<size_t>(labels_.size(0));
}

NormalizedDataset make_pipeline(FashionDataset dataset, double mean, double stddev) {
  // transforms.Normalize((mean,), (std,)), then the default collate stacks the batch.
  return std::move(dataset)
      .map(torch::data::transforms::Normalize<>(mean, stddev))
      .map(torch::data::transforms::Stack<>());
}

std::unique_ptr<Loader> make_loader(NormalizedDataset dataset, const LoaderOptions& options) {
  // DataLoader(dataset, batch_size=32, shuffle=True, num_workers=2, drop_last=False)
  const size_t size = dataset.size().value();
  return torch::data::make_data_loader(std::move(dataset),
                                       torch::data::samplers::RandomSampler(size),
                                       torch::data::DataLoaderOptions()
                                           .batch_size(options.batch_size)
                                           .workers(options.workers)
                                           .drop_last(options.drop_last));
}

Batch to_device(Batch batch, const torch::Device& device) {
  if (!device.is_cuda()) return {batch.data.to(device), batch.target.to(device)};
  // DataLoader(..., pin_memory=True) and then x.to(device, non_blocking=True)
  return {batch.data.pin_memory().to(device, /*non_blocking=*/true),
          batch.target.pin_memory().to(device, /*non_blocking=*/true)};
}

EpochSummary run_epoch(Loader& loader, const torch::Device& device) {
  EpochSummary summary;
  std::vector<torch::Tensor> targets;
  for (Batch& batch : loader) {  // for x, y in loader:
    const Batch moved = to_device(std::move(batch), device);
    const int64_t size = moved.data.size(0);
    ++summary.batches;
    summary.examples += size;
    summary.batch_sizes.push_back(size);
    targets.push_back(moved.target.to(torch::kCPU));
  }
  summary.targets = targets.empty() ? torch::empty({0}, torch::kInt64) : torch::cat(targets);
  return summary;
}

}  // namespace exercises::dataloader
