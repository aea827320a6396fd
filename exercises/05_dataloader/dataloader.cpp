// Exercise 05: Dataset and DataLoader. YOUR FILE: replace each TODO's not_implemented() call with
// the code its comment describes. dataloader.h says what every function must do; README.md has
// the lesson and graded hints. Check your work with
// `ctest --preset student -L 05_dataloader`. ([[maybe_unused]] only silences the
// warning about parameters a stub does not use yet; delete it once you use them.)
#include "dataloader.h"

#include "common/lesson.h"

namespace exercises::dataloader {

torch::data::Example<> FashionDataset::get([[maybe_unused]] size_t index) {
  // TODO: return `{images_[i], labels_[i]}` with `i = static_cast<int64_t>(index)`.
  // Python: def __getitem__(self, index): return self.images[index], self.labels[index]
  course::not_implemented("05_dataloader", "FashionDataset::get");
}

torch::optional<size_t> FashionDataset::size() const {
  // TODO: return the number of examples, `static_cast<size_t>(labels_.size(0))`.
  // Python: def __len__(self): return len(self.labels)
  course::not_implemented("05_dataloader", "FashionDataset::size");
}

NormalizedDataset make_pipeline([[maybe_unused]] FashionDataset dataset,
                                [[maybe_unused]] double mean, [[maybe_unused]] double stddev) {
  // TODO: return `std::move(dataset).map(torch::data::transforms::Normalize<>(mean, stddev))
  //                                   .map(torch::data::transforms::Stack<>());`
  // Python: transforms.Normalize((mean,), (std,)) in the Dataset; the DataLoader's default
  //         collate_fn stacks the examples of a batch (that is Stack<>).
  course::not_implemented("05_dataloader", "make_pipeline");
}

std::unique_ptr<Loader> make_loader([[maybe_unused]] NormalizedDataset dataset,
                                    [[maybe_unused]] const LoaderOptions& options) {
  // TODO: return `torch::data::make_data_loader(std::move(dataset),
  //     torch::data::samplers::RandomSampler(size), torch::data::DataLoaderOptions()
  //         .batch_size(options.batch_size).workers(options.workers)
  //         .drop_last(options.drop_last));` where `size = dataset.size().value()` (read it
  //     before the move).
  // Python: DataLoader(dataset, batch_size=32, shuffle=True, num_workers=2, drop_last=False)
  course::not_implemented("05_dataloader", "make_loader");
}

Batch to_device([[maybe_unused]] Batch batch, [[maybe_unused]] const torch::Device& device) {
  // TODO: if the device is not CUDA, return the batch as it is. Otherwise return
  // `{batch.data.pin_memory().to(device, /*non_blocking=*/true), ...the same for target}`.
  // Python: DataLoader(..., pin_memory=True); x = x.to(device, non_blocking=True)
  course::not_implemented("05_dataloader", "to_device");
}

EpochSummary run_epoch([[maybe_unused]] Loader& loader,
                       [[maybe_unused]] const torch::Device& device) {
  // TODO: `for (Batch& batch : loader)`: move it with to_device(), count the batch and its
  // examples (batch.data.size(0)), append the size to batch_sizes and the target (on the CPU)
  // to a vector; at the end `summary.targets = torch::cat(those targets)`.
  // Python: for x, y in loader: x, y = x.to(device), y.to(device); ...
  course::not_implemented("05_dataloader", "run_epoch");
}

}  // namespace exercises::dataloader
