// libFuzzer target for the IDX + gzip parser (common/src/idx.cpp), reading from memory.
// Build and run: see fuzz/README.md. Any input may be refused with a DataError; a crash, a
// sanitizer report, another exception or a broken invariant (fuzz/idx_check.h) is a bug.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "idx_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problem =
      course::fuzz::check_idx_input(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    std::fprintf(stderr, "idx_fuzzer: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
