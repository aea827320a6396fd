// The IDX parser on bytes in memory, including the limits that protect against hostile headers.
#include "common/idx.h"

#include <gtest/gtest.h>

#include "common/fashion_mnist.h"
#include "support/idx_writer.h"

namespace course {
namespace {

using testing::gzip;
using testing::idx_bytes;

TEST(IdxParser, ReadsLabelsPlainAndGzip) {
  std::string bytes = idx_bytes(idx::kLabelsMagic, {3}, {7, 0, 9});
  for (const std::string& input : {bytes, gzip(bytes)}) {
    idx::Array array = idx::parse(input, "labels");
    EXPECT_EQ(array.magic, idx::kLabelsMagic);
    EXPECT_EQ(array.dims, (std::vector<int64_t>{3}));
    EXPECT_EQ(array.data, (std::vector<uint8_t>{7, 0, 9}));
  }
}

TEST(IdxParser, RefusesHugeHeaderBeforeAllocating) {
  // 2^31 images of 28x28 would be 1.6 TB: refused from the header alone.
  std::string bytes = idx_bytes(idx::kImagesMagic, {1u << 31, 28, 28}, {});
  try {
    idx::parse(bytes, "huge");
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("huge: the header claims more than"), std::string::npos)
        << e.what();
  }
}

TEST(IdxParser, RefusesWrongImageSize) {
  std::string bytes = idx_bytes(idx::kImagesMagic, {1, 32, 32}, std::vector<uint8_t>(1024));
  EXPECT_THROW(idx::parse(bytes, "x"), DataError);
}

TEST(IdxParser, RefusesTrailingData) {
  std::string bytes = idx_bytes(idx::kLabelsMagic, {2}, {1, 2, 3});
  EXPECT_THROW(idx::parse(bytes, "x"), DataError);
  EXPECT_THROW(idx::parse(gzip(bytes), "x"), DataError);
}

TEST(IdxParser, RefusesCutHeader) {
  EXPECT_THROW(idx::parse(std::string("\0\0\x08", 3), "x"), DataError);
  EXPECT_THROW(idx::parse(idx_bytes(idx::kImagesMagic, {1, 28}, {}), "x"), DataError);
}

}  // namespace
}  // namespace course
