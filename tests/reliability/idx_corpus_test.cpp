// The fuzzer's regression corpus, replayed: every committed input (fuzz/seeds/ and
// fuzz/corpus/) goes through course::idx::parse() and through Reader in steps, exactly as the
// fuzzer runs it (fuzz/idx_check.h). Each may parse or be refused with a DataError; never a
// crash, another exception, or a broken invariant. Run under the `asan` preset, this also
// catches the memory errors the fuzzer would. Plus the allocation limits, measured.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/data_error.h"
#include "common/idx.h"
#include "idx_check.h"
#include "support/idx_writer.h"

// Every allocation of this program passes here, so a test can see the largest one made while
// it parses (the sanitizers intercept malloc underneath, so this works under `asan` as well).
namespace {
std::atomic<bool> counting{false};
std::atomic<size_t> largest_allocation{0};
}  // namespace

// GCC cannot tell that this operator new hands out malloc'd memory, and would warn below.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) {
    size_t seen = largest_allocation.load(std::memory_order_relaxed);
    while (size > seen && !largest_allocation.compare_exchange_weak(seen, size)) {
    }
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept {
  std::free(memory);
}
void operator delete(void* memory, std::size_t) noexcept {
  std::free(memory);
}
#pragma GCC diagnostic pop

namespace course {
namespace {

namespace fs = std::filesystem;
using testing::gzip;
using testing::idx_bytes;

const fs::path kFuzzDir = COURSE_FUZZ_DIR;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> files_in(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The largest single allocation made by `body`.
template <typename Body>
size_t largest_allocation_during(Body body) {
  largest_allocation = 0;
  counting = true;
  body();
  counting = false;
  return largest_allocation;
}

// Replays every file of `directory`; returns the names of those that parsed.
std::set<std::string> replay(const fs::path& directory) {
  std::set<std::string> parsed;
  for (const fs::path& file : files_in(directory)) {
    SCOPED_TRACE(file.string());
    const std::string bytes = read_bytes(file);
    try {
      EXPECT_EQ(fuzz::check_idx_input(bytes), "");
      // The parser allocates no more than the input can hold: at most 1032 bytes out per byte
      // in for gzip (deflate's limit), plus some slack for small inputs.
      const size_t largest = largest_allocation_during([&] { fuzz::parse_whole(bytes); });
      EXPECT_LE(largest, 1032 * (bytes.size() + 16) + 4096) << "bytes allocated at once";
      if (fuzz::parse_whole(bytes).parsed) parsed.insert(file.filename().string());
    } catch (const std::exception& e) {
      ADD_FAILURE() << "an exception other than DataError: " << e.what();
    }
  }
  return parsed;
}

TEST(IdxCorpus, SeedsParseOrAreRefusedCleanly) {
  const std::vector<fs::path> seeds = files_in(kFuzzDir / "seeds");
  ASSERT_GE(seeds.size(), 20u) << "fuzz/seeds/ is missing; run fuzz/make_seeds.py";
  // Exactly the well-formed seeds parse; every broken one is refused.
  EXPECT_EQ(replay(kFuzzDir / "seeds"),
            (std::set<std::string>{"images_empty_gzip", "images_gzip", "images_plain",
                                   "labels_empty_plain", "labels_gzip", "labels_plain"}));
}

TEST(IdxCorpus, RegressionInputsParseOrAreRefusedCleanly) {
  const std::vector<fs::path> inputs = files_in(kFuzzDir / "corpus");
  ASSERT_FALSE(inputs.empty()) << "fuzz/corpus/ is missing";
  replay(kFuzzDir / "corpus");
}

TEST(IdxCorpus, EmptyPayloadParses) {
  // The fuzzer's first finding: 0 labels meant memcpy(nullptr, ..., 0), undefined behaviour.
  for (const std::string& bytes : {idx_bytes(idx::kLabelsMagic, {0}, {}),
                                   gzip(idx_bytes(idx::kImagesMagic, {0, 28, 28}, {}))}) {
    const idx::Array array = idx::parse(bytes, "empty");
    EXPECT_EQ(array.dims[0], 0);
    EXPECT_TRUE(array.data.empty());
  }
}

TEST(IdxLimits, HeaderClaimingTwoToThe31ImagesIsRefusedBeforeAllocating) {
  for (const std::string& bytes : {idx_bytes(idx::kImagesMagic, {1u << 31, 28, 28}, {}),
                                   gzip(idx_bytes(idx::kImagesMagic, {1u << 31, 28, 28}, {}))}) {
    std::string message;
    const size_t largest = largest_allocation_during([&] {
      try {
        idx::parse(bytes, "huge");
      } catch (const DataError& e) {
        message = e.what();
      }
    });
    EXPECT_NE(message.find("huge: the header claims more than 256 MiB"), std::string::npos)
        << message;
    EXPECT_LT(largest, size_t{1} << 20) << "bytes allocated at once for a 2^31-image header";
  }
}

TEST(IdxLimits, HeaderClaimingMoreThanTheFileHoldsIsRefusedBeforeAllocating) {
  // 300000 images (235 MB, under the 256 MiB limit) announced by a 16-byte file, or a tiny gzip
  // one: the parser used to allocate the whole 235 MB before finding the file truncated.
  for (const std::string& bytes : {idx_bytes(idx::kImagesMagic, {300000, 28, 28}, {}),
                                   gzip(idx_bytes(idx::kImagesMagic, {300000, 28, 28}, {}))}) {
    std::string message;
    const size_t largest = largest_allocation_during([&] {
      try {
        idx::parse(bytes, "short");
      } catch (const DataError& e) {
        message = e.what();
      }
    });
    EXPECT_NE(message.find("short: the header announces 300000 items"), std::string::npos)
        << message;
    EXPECT_NE(message.find("truncated"), std::string::npos) << message;
    EXPECT_LT(largest, size_t{1} << 20) << "bytes allocated at once for a 16-byte file";
  }
}

TEST(IdxLimits, MaximallyCompressedGzipStillParses) {
  // The early size check allows 1032 bytes out per byte in (deflate's limit): a run of zeros,
  // compressed as far as zlib goes, must still pass it.
  const std::vector<uint8_t> zeros(16u << 20);
  const std::string bytes = gzip(idx_bytes(idx::kLabelsMagic, {16u << 20}, zeros));
  ASSERT_GT((16u << 20) / bytes.size(), 1000u) << "not the compression ratio this test needs";
  idx::Array array;
  const size_t largest = largest_allocation_during([&] { array = idx::parse(bytes, "zeros"); });
  EXPECT_GE(largest, zeros.size()) << "the allocation counter does not see the payload";
  EXPECT_EQ(array.data.size(), zeros.size());
  EXPECT_EQ(array.data, zeros);
}

}  // namespace
}  // namespace course
