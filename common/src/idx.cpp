#include "common/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/data_error.h"
#include "common/idx_language.h"
#include "common/language.h"

namespace course::idx {
namespace {

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0x1f &&
         static_cast<uint8_t>(bytes[1]) == 0x8b;
}

// A message in the student's language (common/idx_language.h), formatted.
template <typename... Args>
std::string say(const char* english, const Args&... args) {
  return fmt::format(fmt::runtime(message(english)), args...);
}

uint32_t big_endian_u32(const uint8_t* bytes) {
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 |
         uint32_t{bytes[3]};
}

}  // namespace

// Hands out the file's IDX bytes in order, inflating a gzip'd file as it goes, so the header
// can be checked before the payload is allocated.
class Reader::Bytes {
 public:
  Bytes(std::string_view bytes, const std::string& name)
      : bytes_(bytes), name_(name), gzip_(is_gzip(bytes)) {
    if (gzip_) {
      std::memset(&stream_, 0, sizeof(stream_));
      if (inflateInit2(&stream_, 15 + 16) != Z_OK) {  // 15 + 16: gzip wrapper, 32 KiB window
        throw DataError(say(N_("{}: zlib could not start inflating"), name_));
      }
      // zlib's avail_in is 32-bit; our files are far below that.
      stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes_.data()));
      stream_.avail_in = static_cast<uInt>(std::min<size_t>(bytes_.size(), UINT32_MAX));
    }
  }
  ~Bytes() {
    if (gzip_) inflateEnd(&stream_);
  }
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;

  // Reads up to `count` bytes into `out`; returns how many there were.
  size_t read(uint8_t* out, size_t count) {
    // An empty payload (a file of 0 items) comes with out == nullptr (an empty vector's data()),
    // and memcpy(nullptr, ..., 0) is undefined behaviour. Found by fuzz/.
    if (count == 0) return 0;
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
        throw DataError(
            say(N_("{}: the gzip stream ends early (truncated download?); delete the file and "
                   "download it again, or reinstall dataset-fashion-mnist"),
                name_));
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        throw DataError(say(
            N_("{}: the gzip data is corrupt (zlib: {}); delete the file and download it again"),
            name_, stream_.msg ? stream_.msg : zError(status)));
      }
    }
    return done;
  }

  // An upper bound on how many bytes read() can still hand out, so a header that announces more
  // than a (truncated) file can hold is refused before its payload is allocated. Deflate turns
  // at most 2 bits into 258 bytes (1032:1, zlib's "technical details"); the margin covers the
  // bits zlib has already taken in but not yet decoded, and a match not yet copied out.
  uint64_t most_remaining() const {
    if (!gzip_) return bytes_.size() - position_;
    if (ended_) return 0;
    return (uint64_t{stream_.avail_in} + 16) * 1032;
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

Reader::Reader(std::string_view bytes, std::string name) : name_(std::move(name)) {
  if (bytes.empty()) {
    throw DataError(say(N_("{}: the file is empty; download it again"), name_));
  }
  bytes_ = std::make_unique<Bytes>(bytes, name_);

  uint8_t magic_bytes[4];
  if (bytes_->read(magic_bytes, 4) != 4) {
    throw DataError(say(N_("{}: too short to be an IDX file (no 4-byte magic number)"), name_));
  }
  magic_ = big_endian_u32(magic_bytes);
  if (magic_ != kImagesMagic && magic_ != kLabelsMagic) {
    throw DataError(
        say(N_("{}: wrong magic number {} (expected {} for images or {} for labels): not an "
               "(uncompressed or gzip'd) IDX file"),
            name_, magic_, kImagesMagic, kLabelsMagic));
  }
  const size_t rank = magic_ == kImagesMagic ? 3 : 1;

  uint8_t dim_bytes[12];
  if (bytes_->read(dim_bytes, 4 * rank) != 4 * rank) {
    throw DataError(say(N_("{}: the header is cut short (truncated file?)"), name_));
  }
  payload_size_ = 1;
  for (size_t i = 0; i < rank; ++i) {
    uint32_t dim = big_endian_u32(dim_bytes + 4 * i);
    dims_.push_back(dim);
    payload_size_ *= dim;  // at most 3 factors below 2^32 each: checked at every step
    if (payload_size_ > kMaxPayloadBytes) {
      throw DataError(say(
          N_("{}: the header claims more than {} MiB of data, far beyond any Fashion-MNIST file"),
          name_, kMaxPayloadBytes >> 20));
    }
  }
  if (rank == 3 && (dims_[1] != kImageSide || dims_[2] != kImageSide)) {
    throw DataError(say(N_("{}: images are {}x{}, expected {}x{}"), name_, dims_[1], dims_[2],
                        kImageSide, kImageSide));
  }
  if (payload_size_ > bytes_->most_remaining()) {
    throw DataError(say(
        N_("{}: the header announces {} items ({} bytes) but the file is too small to hold them "
           "(truncated file?); download it again"),
        name_, dims_[0], payload_size_));
  }
}

Reader::~Reader() = default;

void Reader::read_payload(uint8_t* out, uint64_t count) {
  const uint64_t wanted = std::min(count, payload_size_ - payload_read_);
  const uint64_t got = bytes_->read(out, wanted);
  payload_read_ += got;
  if (got < count) {
    throw DataError(say(
        N_("{}: the header announces {} items ({} bytes) but the file holds only {} bytes of data "
           "(truncated file?); download it again"),
        name_, dims_[0], payload_size_, payload_read_));
  }
}

void Reader::finish() {
  if (bytes_->has_more()) {
    throw DataError(say(
        N_("{}: more data than the header's {} items announce; the file is damaged, download it "
           "again"),
        name_, dims_[0]));
  }
}

Array parse(std::string_view bytes, const std::string& name) {
  Reader reader(bytes, name);
  Array array;
  array.magic = reader.magic();
  array.dims = reader.dims();
  array.data.resize(reader.payload_size());  // only now: the header's size has been checked
  reader.read_payload(array.data.data(), array.data.size());
  reader.finish();
  return array;
}

}  // namespace course::idx
