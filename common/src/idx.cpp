#include "common/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/fashion_mnist.h"

namespace course::idx {
namespace {

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0x1f &&
         static_cast<uint8_t>(bytes[1]) == 0x8b;
}

// Hands out the file's IDX bytes in order, inflating a gzip'd file as it goes, so the header
// can be checked before the payload is allocated.
class ByteReader {
 public:
  ByteReader(std::string_view bytes, const std::string& name)
      : bytes_(bytes), name_(name), gzip_(is_gzip(bytes)) {
    if (gzip_) {
      std::memset(&stream_, 0, sizeof(stream_));
      if (inflateInit2(&stream_, 15 + 16) != Z_OK) {  // 15 + 16: gzip wrapper, 32 KiB window
        throw DataError(fmt::format("{}: zlib could not start inflating", name_));
      }
      // zlib's avail_in is 32-bit; our files are far below that.
      stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes_.data()));
      stream_.avail_in = static_cast<uInt>(std::min<size_t>(bytes_.size(), UINT32_MAX));
    }
  }
  ~ByteReader() {
    if (gzip_) inflateEnd(&stream_);
  }
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;

  // Reads up to `count` bytes into `out`; returns how many there were.
  size_t read(uint8_t* out, size_t count) {
    if (!gzip_) {
      size_t n = std::min(count, bytes_.size() - position_);
      std::memcpy(out, bytes_.data() + position_, n);
      position_ += n;
      return n;
    }
    size_t done = 0;
    while (done < count && !ended_) {
      size_t chunk = std::min<size_t>(count - done, UINT32_MAX);
      stream_.next_out = out + done;
      stream_.avail_out = static_cast<uInt>(chunk);
      int status = inflate(&stream_, Z_NO_FLUSH);
      done += chunk - stream_.avail_out;
      if (status == Z_STREAM_END) {
        ended_ = true;
      } else if (status == Z_BUF_ERROR && stream_.avail_in == 0) {
        throw DataError(fmt::format(
            "{}: the gzip stream ends early (truncated download?); delete the file and "
            "download it again, or reinstall dataset-fashion-mnist",
            name_));
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        throw DataError(fmt::format(
            "{}: the gzip data is corrupt (zlib: {}); delete the file and download it again",
            name_, stream_.msg ? stream_.msg : zError(status)));
      }
    }
    return done;
  }

  // True if bytes remain after the payload. For gzip, this also drives zlib to the end of the
  // stream, so the CRC and length in the gzip trailer are checked.
  bool has_more() {
    uint8_t probe;
    return read(&probe, 1) == 1;
  }

 private:
  std::string_view bytes_;
  const std::string& name_;
  bool gzip_;
  size_t position_ = 0;
  z_stream stream_{};
  bool ended_ = false;
};

uint32_t big_endian_u32(const uint8_t* bytes) {
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 |
         uint32_t{bytes[3]};
}

}  // namespace

Array parse(std::string_view bytes, const std::string& name) {
  if (bytes.empty()) {
    throw DataError(fmt::format("{}: the file is empty; download it again", name));
  }
  ByteReader reader(bytes, name);

  uint8_t magic_bytes[4];
  if (reader.read(magic_bytes, 4) != 4) {
    throw DataError(fmt::format("{}: too short to be an IDX file (no 4-byte magic number)", name));
  }
  Array array;
  array.magic = big_endian_u32(magic_bytes);
  if (array.magic != kImagesMagic && array.magic != kLabelsMagic) {
    throw DataError(fmt::format(
        "{}: wrong magic number {} (expected {} for images or {} for labels): not an "
        "(uncompressed or gzip'd) IDX file",
        name, array.magic, kImagesMagic, kLabelsMagic));
  }
  const size_t rank = array.magic == kImagesMagic ? 3 : 1;

  uint8_t dim_bytes[12];
  if (reader.read(dim_bytes, 4 * rank) != 4 * rank) {
    throw DataError(fmt::format("{}: the header is cut short (truncated file?)", name));
  }
  uint64_t payload = 1;
  for (size_t i = 0; i < rank; ++i) {
    uint32_t dim = big_endian_u32(dim_bytes + 4 * i);
    array.dims.push_back(dim);
    payload *= dim;  // at most 3 factors below 2^32 each: checked against the limit below
    if (payload > kMaxPayloadBytes) {
      throw DataError(fmt::format(
          "{}: the header claims more than {} MiB of data, far beyond any Fashion-MNIST file",
          name, kMaxPayloadBytes >> 20));
    }
  }
  if (rank == 3 && (array.dims[1] != kImageSide || array.dims[2] != kImageSide)) {
    throw DataError(fmt::format("{}: images are {}x{}, expected {}x{}", name, array.dims[1],
                                array.dims[2], kImageSide, kImageSide));
  }

  array.data.resize(payload);
  size_t got = reader.read(array.data.data(), payload);
  if (got < payload) {
    throw DataError(fmt::format(
        "{}: the header announces {} items ({} bytes) but the file holds only {} bytes of data "
        "(truncated file?); download it again",
        name, array.dims[0], payload, got));
  }
  if (reader.has_more()) {
    throw DataError(fmt::format(
        "{}: more data than the header's {} items announce; the file is damaged, download it "
        "again",
        name, array.dims[0]));
  }
  return array;
}

}  // namespace course::idx
