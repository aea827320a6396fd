// The training set held in memory as two tensors and cut into shuffled batches by index: the
// in-memory equivalent of Python's
//   DataLoader(TensorDataset(images, labels), batch_size=32, shuffle=True)
// Chosen by measurement over torch::data's per-example pipeline (homework/README.md,
// "Performance"): one randperm per epoch and one index_select per batch, no per-example work.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <iterator>

namespace homework::harness {

// A set of labelled examples held as two tensors (validation, test): Python's
// TensorDataset(images, labels).
struct Examples {
  torch::Tensor images;  // float [N, 784]
  torch::Tensor labels;  // int64 [N]
  int64_t size() const { return labels.size(0); }
};

struct Batch {
  torch::Tensor images;  // float [B, 784]
  torch::Tensor labels;  // int64 [B]
  int64_t size() const { return labels.size(0); }
};

class Batches {
 public:
  // `images` [N, ...] and `labels` [N] stay where they are (move them to the device first).
  Batches(torch::Tensor images, torch::Tensor labels, int64_t batch_size, uint64_t seed);

  // Shuffles for `epoch`. The order depends on (seed, epoch) only, like
  // DistributedSampler.set_epoch(), so a resumed run sees the same batches as an unbroken one.
  void set_epoch(int64_t epoch);

  // Keeps only this rank's share of every epoch's order, like Python's
  //   DistributedSampler(dataset, num_replicas=world_size, rank=rank, drop_last=True)
  // The permutation is the same on every rank; rank r takes its positions r, r + world_size,
  // r + 2 world_size, ... The last N % world_size positions are left out, so every rank has
  // N / world_size examples and as many steps (a different few each epoch). Step k of the ranks
  // together then covers what step k of one process with world_size times the batch covers.
  // (0, 1), the default: everything.
  void set_shard(int64_t rank, int64_t world_size);

  int64_t size() const { return (examples() + batch_size_ - 1) / batch_size_; }  // batches
  int64_t examples() const { return order_.size(0); }  // in this rank's share
  int64_t batch_size() const { return batch_size_; }
  int64_t epoch() const { return epoch_; }
  const torch::Tensor& order() const { return order_; }  // int64 [N], this epoch's permutation

  // The `index`-th batch of this epoch (the last one may be smaller).
  Batch operator[](int64_t index) const;

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Batch;
    using difference_type = int64_t;
    using pointer = const Batch*;
    using reference = Batch;
    Iterator(const Batches* batches, int64_t index) : batches_(batches), index_(index) {}
    Batch operator*() const { return (*batches_)[index_]; }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }
    bool operator!=(const Iterator& other) const { return index_ != other.index_; }

   private:
    const Batches* batches_;
    int64_t index_;
  };
  // `for (const harness::Batch& batch : batches)` walks this epoch's batches in order.
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  torch::Tensor images_;
  torch::Tensor labels_;
  int64_t batch_size_;
  uint64_t seed_;
  int64_t epoch_ = 0;
  int64_t rank_ = 0;
  int64_t world_size_ = 1;
  torch::Tensor order_;
};

}  // namespace homework::harness
