// Writes small IDX files (plain or gzip'd through zlib) with known content, for the tests.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace course::testing {

inline std::string big_endian(uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

// An IDX file's bytes: magic, the dimensions, then the payload.
inline std::string idx_bytes(uint32_t magic, const std::vector<uint32_t>& dims,
                             const std::vector<uint8_t>& payload) {
  std::string bytes = big_endian(magic);
  for (uint32_t dim : dims) bytes += big_endian(dim);
  bytes.append(payload.begin(), payload.end());
  return bytes;
}

inline std::string gzip(const std::string& bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// `count` images whose pixels are (image + row + column) % 256, and labels image % 10.
inline std::vector<uint8_t> pattern_pixels(uint32_t count) {
  std::vector<uint8_t> pixels;
  for (uint32_t image = 0; image < count; ++image)
    for (uint32_t row = 0; row < 28; ++row)
      for (uint32_t column = 0; column < 28; ++column)
        pixels.push_back(static_cast<uint8_t>((image + row + column) % 256));
  return pixels;
}
inline std::vector<uint8_t> pattern_labels(uint32_t count) {
  std::vector<uint8_t> labels;
  for (uint32_t image = 0; image < count; ++image) labels.push_back(image % 10);
  return labels;
}

}  // namespace course::testing
