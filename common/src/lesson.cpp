#include "common/lesson.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <vector>

#include "common/language.h"

namespace course {

namespace {

// Characters, not bytes, so that the underline of "Ejercicio 02: autograd" fits an accent.
size_t display_width(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

}  // namespace

void not_implemented_in(std::string_view folder, std::string_view exercise,
                        std::string_view function, std::string_view file) {
  // The stub's own file when the call names it ("exercises/01_tensors/tensors.cpp"), else its
  // folder ("exercises/01_tensors/").
  std::string where = std::string(folder) + "/";
  if (!file.empty()) where += std::string(file.substr(file.find_last_of("/\\") + 1));
  throw NotImplemented(
      trf("{}() is not implemented yet: write it in {} (look for TODO). "
          "Stuck? `course hint {}` or the Hints in {}/README.md",
          function, where, exercise, folder));
}

// Titles and section titles are English in the code; tr() gives the student's language.
Lesson::Lesson(std::string title) : title_(tr(title)) {
  fmt::print("{}\n{}\n", title_, std::string(display_width(title_), '='));
}

void Lesson::section(std::string_view title, const std::function<void()>& body) {
  ++sections_;
  fmt::print("\n== {}. {} ==\n", sections_, tr(title));
  try {
    body();
  } catch (const NotImplemented& e) {
    ++todos_;
    // "TODO" stays in Spanish too: it is the word the student looks for in the stub.
    fmt::print("{}\n", trf("TODO: {}", e.what()));
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
    fmt::print(fmt::runtime(tr("\nAll {} sections ran. Well done!\n")), sections_);
  } else {
    fmt::print(fmt::runtime(tr("\n{} of {} sections still to do: edit the stub, then run its "
                               "checks (`course check`).\n")),
               todos_, sections_);
  }
  return 0;
}

}  // namespace course
