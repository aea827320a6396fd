// The main() wrapper every binary uses: exit statuses and one-line errors.
#include "common/cli.h"

#include <gtest/gtest.h>

namespace course {
namespace {

int run(std::vector<std::string> args, const std::function<int()>& body, CommonOptions& options) {
  CLI::App app{"test", "prog"};
  add_common_options(app, options);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  return run_main(app, static_cast<int>(argv.size()), argv.data(), body);
}

TEST(CommonFlags, ParsesTheCommonFlags) {
  CommonOptions options;
  int status = run({"prog", "--seed", "7", "--device", "cpu", "--threads", "2", "--data-dir", "/d"},
                   [] { return 0; }, options);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(options.seed, 7u);
  EXPECT_EQ(options.device, "cpu");
  EXPECT_EQ(options.threads, 2);
  EXPECT_EQ(options.data_dir, "/d");
}

TEST(CommonFlags, UsageErrorsExitTwoWithOneLine) {
  for (auto args : std::vector<std::vector<std::string>>{{"prog", "--bogus"},
                                                         {"prog", "--seed"},
                                                         {"prog", "--threads", "0"},
                                                         {"prog", "--device", "tpu"}}) {
    CommonOptions options;
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(run(args, [] { return 0; }, options), 2) << args[1];
    std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_EQ(err.rfind("prog: error: ", 0), 0u) << err;
  }
}

TEST(CommonFlags, ExceptionsBecomeOneLineAndStatusOne) {
  CommonOptions options;
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(run({"prog"}, []() -> int { throw std::runtime_error("boom\nsecond line"); }, options), 1);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "prog: error: boom\n");
}

TEST(CommonFlags, SeedMakesRandomNumbersRepeat) {
  CommonOptions options;
  options.device = "cpu";
  apply_common_options(options, /*quiet=*/true);
  torch::Tensor first = torch::randn({5});
  apply_common_options(options, /*quiet=*/true);
  EXPECT_TRUE(torch::equal(first, torch::randn({5})));
}

}  // namespace
}  // namespace course
