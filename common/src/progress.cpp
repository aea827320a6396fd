#include "common/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "common/language.h"

namespace course {

bool progress_enabled() {
  const char* ci = std::getenv("CI");
  return isatty(fileno(stdout)) != 0 && (ci == nullptr || *ci == '\0');
}

ProgressBar::ProgressBar(int64_t total, std::string label)
    : total_(total > 0 ? total : 1),
      label_(std::move(label)),
      enabled_(progress_enabled()),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(int64_t done, std::string_view status) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;

  constexpr int kWidth = 30;
  const double fraction = static_cast<double>(done) / static_cast<double>(total_);
  const int filled = static_cast<int>(fraction * kWidth);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double left = done > 0 ? elapsed * static_cast<double>(total_ - done) / done : 0.0;
  fmt::print("\r\033[2K{} [{:=<{}}{: <{}}] {}/{} {} {}", label_, "", filled, "", kWidth - filled,
             done, total_, status, trf("{:.0f}s left", left));
  std::fflush(stdout);
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  fmt::print("\r\033[2K");
  std::fflush(stdout);
  drawn_ = false;
}

}  // namespace course
