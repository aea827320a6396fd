// What every binary of the course shares: the common flags (--data-dir, --device, --seed,
// --threads, --help, --version), seeding, and a main() wrapper that turns any error into one
// line on stderr and a non-zero exit status (2 for usage errors). --help and the errors speak
// the student's language (common/cli_language.h).
#pragma once

#include <torch/torch.h>
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "common/cli_language.h"
#include "common/text.h"

namespace course {

// A mistake in how the program was called; exits with status 2 like a bad flag.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// LibTorch intra-op threads by default. Chosen by measurement on 2-core machines (README,
// "Performance"): more threads than cores, or OpenMP and BLAS threads fighting, cost 3-4x.
inline constexpr int kDefaultThreads = 1;

struct CommonOptions {
  std::string data_dir;         // empty: search the usual places (see locate_data_dir)
  std::string device = "auto";  // auto | cpu | cuda | cuda:N | mps
  uint64_t seed = 42;
  int threads = kDefaultThreads;
};

// Adds the common flags to `app`. `with_data` adds --data-dir (binaries that read the data set).
void add_common_options(CLI::App& app, CommonOptions& options, bool with_data = true);

// After parsing: seeds every generator (torch::manual_seed), sets the thread count and returns
// the selected device. Prints one "device: ..." line unless `quiet`.
torch::Device apply_common_options(const CommonOptions& options, bool quiet = false);

// Sets glibc's allocator up for training: freed blocks of up to 32 MiB stay in the process
// instead of going back to the kernel after every step (measured: README, "Performance").
// run_main() calls it first; COURSE_MALLOC=default in the environment leaves glibc's defaults,
// for measuring the difference.
void keep_freed_memory();

// Puts --help in the student's language (localize_cli), parses the command line and runs `body`.
// Returns main()'s exit status:
//   0 for --help / --version, 2 for a usage error, 1 for any other error, else body's status.
// Errors print as one line: "<program>: error: <what>" on stderr.
int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

// The first line of an error's message, without the C++ backtrace a c10::Error carries.
std::string first_line(const std::exception& error);

// The version line: project version and the LibTorch it was built against.
std::string version_string();

}  // namespace course
