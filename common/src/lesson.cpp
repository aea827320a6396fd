#include "common/lesson.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <vector>

namespace course {

void not_implemented_in(std::string_view folder, std::string_view exercise,
                        std::string_view function) {
  throw NotImplemented(fmt::format(
      "{}() is not implemented yet: write it in {}/ (look for TODO). "
      "Stuck? `course hint {}` or the Hints in {}/README.md",
      function, folder, exercise, folder));
}

Lesson::Lesson(std::string title) : title_(std::move(title)) {
  fmt::print("{}\n{}\n", title_, std::string(title_.size(), '='));
}

void Lesson::section(std::string_view title, const std::function<void()>& body) {
  ++sections_;
  fmt::print("\n== {}. {} ==\n", sections_, title);
  try {
    body();
  } catch (const NotImplemented& e) {
    ++todos_;
    fmt::print("TODO: {}\n", e.what());
  }
}

std::string show(const at::Tensor& tensor) {
  const torch::Tensor values = tensor.detach().cpu().to(torch::kFloat64);
  if (values.dim() == 0) return fmt::format("{:.4g}", values.item<double>());
  std::vector<std::string> parts;
  for (int64_t i = 0; i < values.size(0); ++i) parts.push_back(show(values[i]));
  return fmt::format("[{}]", fmt::join(parts, ", "));
}

int Lesson::finish() const {
  if (todos_ == 0) {
    fmt::print("\nAll {} sections ran. Well done!\n", sections_);
  } else {
    fmt::print("\n{} of {} sections still to do: edit the stub, then run its checks "
               "(`course check`).\n",
               todos_, sections_);
  }
  return 0;
}

}  // namespace course
