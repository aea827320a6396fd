// The IDX file format of (Fashion-)MNIST, parsed from bytes in memory: big-endian magic number
// (0x00000803 images / 0x00000801 labels), then one big-endian uint32 per dimension, then the
// unsigned bytes. A gzip'd file is inflated on the fly with zlib. Kept apart from torch so the
// parser can be fuzzed on its own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace course::idx {

inline constexpr uint32_t kImagesMagic = 2051;  // 0x00000803: unsigned bytes, 3 dimensions
inline constexpr uint32_t kLabelsMagic = 2049;  // 0x00000801: unsigned bytes, 1 dimension
inline constexpr int64_t kImageSide = 28;      // Fashion-MNIST images are 28x28

// Refused before any allocation: no Fashion-MNIST file comes near this size.
inline constexpr uint64_t kMaxPayloadBytes = uint64_t{256} << 20;

struct Array {
  uint32_t magic = 0;
  std::vector<int64_t> dims;  // [N, 28, 28] for images, [N] for labels
  std::vector<uint8_t> data;  // product(dims) bytes
};

// Parses `bytes` (raw IDX or gzip'd IDX). `name` is used in error messages only.
// Throws course::DataError (from fashion_mnist.h) with a message that names `name`.
Array parse(std::string_view bytes, const std::string& name);

// The same in steps, so a caller can use the payload while it is still being inflated:
// the constructor reads and validates the header, read_payload() hands out the next bytes,
// finish() checks that nothing follows (and, for gzip, the stream's checksum).
class Reader {
 public:
  Reader(std::string_view bytes, std::string name);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  uint32_t magic() const { return magic_; }
  const std::vector<int64_t>& dims() const { return dims_; }
  uint64_t payload_size() const { return payload_size_; }
  // Fills out[0, count) with the next payload bytes; throws if the file holds fewer.
  void read_payload(uint8_t* out, uint64_t count);
  void finish();

 private:
  class Bytes;  // raw or inflating byte source
  std::string name_;
  std::unique_ptr<Bytes> bytes_;
  uint32_t magic_ = 0;
  std::vector<int64_t> dims_;
  uint64_t payload_size_ = 0;
  uint64_t payload_read_ = 0;
};

}  // namespace course::idx
