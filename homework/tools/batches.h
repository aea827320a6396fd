// The training set held in memory as two tensors and cut into shuffled batches by index: the
// in-memory equivalent of Python's
//   DataLoader(TensorDataset(images, labels), batch_size=32, shuffle=True)
// Chosen by measurement over torch::data's per-example pipeline (homework/README.md,
// "Performance"): one randperm per epoch and one index_select per batch, no per-example work.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <iterator>

namespace homework::tools {

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

  int64_t size() const { return (examples() + batch_size_ - 1) / batch_size_; }  // batches
  int64_t examples() const { return labels_.size(0); }
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
  // `for (const tools::Batch& batch : batches)` walks this epoch's batches in order.
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  torch::Tensor images_;
  torch::Tensor labels_;
  int64_t batch_size_;
  uint64_t seed_;
  int64_t epoch_ = 0;
  torch::Tensor order_;
};

}  // namespace homework::tools
