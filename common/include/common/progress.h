// A progress bar with running loss and time left, drawn only on a terminal: when stdout is not a
// TTY (a pipe, a log file) or the CI environment variable is set, it prints nothing at all.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace course {

// True when live progress output makes sense: stdout is a terminal and CI is not set.
bool progress_enabled();

class ProgressBar {
 public:
  ProgressBar(int64_t total, std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `done` of `total` steps finished; `status` is shown after the bar (e.g. "loss 0.4312").
  // Redraws at most 10 times a second, so calling it every batch is cheap.
  void update(int64_t done, std::string_view status = "");
  // Erases the bar so the next line prints cleanly.
  void finish();

 private:
  int64_t total_;
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace course
