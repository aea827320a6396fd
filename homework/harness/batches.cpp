#include "harness/batches.h"

#include <stdexcept>

#include <fmt/format.h>

#include "common/language.h"

namespace homework::harness {

Batches::Batches(torch::Tensor images, torch::Tensor labels, int64_t batch_size, uint64_t seed)
    : images_(std::move(images)), labels_(std::move(labels)), batch_size_(batch_size), seed_(seed) {
  if (batch_size_ < 1) {
    throw std::invalid_argument(course::trf("batch size must be at least 1, got {}", batch_size_));
  }
  if (images_.size(0) != labels_.size(0) || labels_.size(0) == 0) {
    throw std::invalid_argument(course::trf("{} images and {} labels: need as many of each, >= 1",
                                            images_.size(0), labels_.size(0)));
  }
  set_epoch(0);
}

void Batches::set_epoch(int64_t epoch) {
  epoch_ = epoch;
  // A generator of its own, seeded like torch.Generator().manual_seed(seed + epoch): the order
  // does not depend on what else drew random numbers (model initialisation, earlier epochs).
  auto generator = at::detail::createCPUGenerator(seed_ + static_cast<uint64_t>(epoch));
  order_ = torch::randperm(labels_.size(0), generator, torch::kInt64).to(labels_.device());
  if (world_size_ > 1) {
    const int64_t kept = labels_.size(0) - labels_.size(0) % world_size_;
    order_ = order_.slice(0, rank_, kept, world_size_).contiguous();
  }
}

void Batches::set_shard(int64_t rank, int64_t world_size) {
  if (world_size < 1 || rank < 0 || rank >= world_size) {
    throw std::invalid_argument(
        course::trf("shard {} of {}: need 0 <= rank < world size", rank, world_size));
  }
  if (labels_.size(0) < world_size) {
    throw std::invalid_argument(
        course::trf("{} examples cannot be shared by {} ranks", labels_.size(0), world_size));
  }
  rank_ = rank;
  world_size_ = world_size;
  set_epoch(epoch_);
}

Batch Batches::operator[](int64_t index) const {
  const int64_t start = index * batch_size_;
  const torch::Tensor positions = order_.slice(0, start, std::min(start + batch_size_, examples()));
  return {images_.index_select(0, positions), labels_.index_select(0, positions)};
}

}  // namespace homework::harness
