// ex01_tensors: the lesson of exercise 01, section by section. Each section calls the functions
// you write in tensors.cpp and prints what they return; an unfinished one prints a TODO line.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/cli.h"
#include "common/language.h"
#include "common/lesson.h"
#include "tensors.h"

namespace {

using course::show;
using course::trf;
namespace ex = exercises::tensors;

// Milliseconds that `work` takes, best of `repeats` runs (the best is the least noisy).
template <typename Work>
double best_milliseconds(int repeats, Work&& work) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

// "[[1, 2, 3], [4, 5, 6]]  float, shape 2x3, cpu"
std::string describe(const torch::Tensor& tensor) {
  return trf("{}  {}, shape {}, {}", show(tensor), std::string(tensor.dtype().name()),
             fmt::join(tensor.sizes(), "x"), tensor.device().str());
}

ex::Matrix to_matrix(const torch::Tensor& tensor) {
  torch::Tensor c = tensor.contiguous();
  return ex::Matrix{c.size(0), c.size(1),
                    std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel())};
}

// The section "Reductions".
void reductions() {
  torch::Tensor matrix = torch::tensor({{1.0f, 8.0f, 3.0f}, {4.0f, 2.0f, 6.0f}});
  ex::Summary summary = ex::summarize(matrix);
  fmt::print("m = {}\n", show(matrix));
  fmt::print("m.sum().item() {} | m.mean(dim=0) {} | m.max(dim=1): values {}, indices {}\n",
             summary.total, show(summary.column_means), show(summary.row_max),
             show(summary.row_argmax));
}

// The section "Matrix product: torch::matmul against three plain loops".
void matrix_product_against_loops() {
  constexpr int64_t n = 256;
  torch::Tensor a = torch::randn({n, n});
  torch::Tensor b = torch::randn({n, n});
  torch::Tensor product = ex::matrix_product(a, b);
  const ex::Matrix ma = to_matrix(a), mb = to_matrix(b);
  ex::Matrix loops = ex::multiply_with_loops(ma, mb);
  torch::Tensor from_loops = torch::tensor(loops.values).view({n, n});
  fmt::print("{}\n", trf("{0}x{0} @ {0}x{0} on the CPU: largest difference {1:.2e}, allclose: {2}",
                         n, (product - from_loops).abs().max().item<float>(),
                         torch::allclose(product, from_loops, 1e-4, 1e-4)));
  const double torch_ms = best_milliseconds(5, [&] { ex::matrix_product(a, b); });
  const double loops_ms = best_milliseconds(3, [&] { ex::multiply_with_loops(ma, mb); });
  fmt::print("{}\n",
             trf("torch::matmul {:.3f} ms | triple loop {:.3f} ms | {:.0f}x (one run, not a "
                 "benchmark)",
                 torch_ms, loops_ms, loops_ms / torch_ms));
}

// The section "Views and copies".
void views_and_copies() {
  torch::Tensor matrix = ex::small_matrix();
  torch::Tensor flat = ex::flat_view(matrix);
  flat[0] = -1.0f;
  fmt::print("{}\n",
             trf("view(-1) shares memory: after flat[0] = -1, the matrix is {}", show(matrix)));
  torch::Tensor transposed = ex::flatten_transpose(matrix);
  fmt::print("{}\n", trf("t() is contiguous: {} | t().reshape(-1) -> {}, new memory: {}",
                         matrix.t().is_contiguous(), show(transposed),
                         transposed.data_ptr() != matrix.data_ptr()));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      std::string(course::tr("Exercise 01: create tensors, move them, combine them, reshape them")),
      "ex01_tensors"};
  course::CommonOptions options;
  course::add_common_options(app, options);  // --data-dir is accepted; this lesson reads no data
  return course::run_main(app, argc, argv, [&] {
    const torch::Device device = course::apply_common_options(options);
    course::Lesson lesson("Exercise 01: tensors");

    lesson.section("Creating tensors", [&] {
      fmt::print("torch.tensor([[1., 2., 3.], [4., 5., 6.]]) -> {}\n",
                 describe(ex::small_matrix()));
      fmt::print("torch.zeros(2, 3)                         -> {}\n",
                 describe(ex::zeros_matrix(2, 3)));
      fmt::print("torch.ones(4, dtype=torch.int64)          -> {}\n", describe(ex::ones_int64(4)));
      fmt::print("torch.arange(5)                           -> {}\n", describe(ex::count_to(5)));
    });

    lesson.section("Random numbers with a seed", [&] {
      torch::Tensor first = ex::seeded_normal(options.seed, 2, 3);
      torch::Tensor again = ex::seeded_normal(options.seed, 2, 3);
      fmt::print("torch.manual_seed({}); torch.randn(2, 3) -> {}\n", options.seed, show(first));
      fmt::print("{}\n",
                 trf("the same seed again gives the same numbers: {}", torch::equal(first, again)));
    });

    lesson.section("From a std::vector (NumPy's role in C++)", [&] {
      std::vector<float> values{1.0f, 2.0f, 3.0f};
      torch::Tensor shared = ex::view_of_vector(values);
      torch::Tensor owned = ex::copy_of_vector(values);
      values[0] = 100.0f;
      fmt::print("{}\n", trf("after values[0] = 100: from_blob view {} | clone() copy {}",
                             show(shared), show(owned)));
      fmt::print(
          "{}\n",
          course::tr("the view borrows the vector's memory: use it only while the vector lives"));
    });

    lesson.section("dtype and device", [&] {
      torch::Tensor doubles = ex::as_float64(ex::small_matrix());
      fmt::print("{}\n", trf(".to(torch.float64) -> {} ({} bytes per element)", describe(doubles),
                             doubles.element_size()));
      fmt::print(".to(device)        -> {}\n", describe(ex::to_device(doubles, device)));
    });

    lesson.section("Element-wise operations and broadcasting", [&] {
      torch::Tensor a = torch::tensor({1.0f, 2.0f, 3.0f});
      torch::Tensor b = torch::tensor({3.0f, 2.0f, 1.0f});
      fmt::print("a = {}, b = {}: (a - b) ** 2 -> {}\n", show(a), show(b),
                 show(ex::squared_difference(a, b)));
      torch::Tensor column = torch::tensor({0.0f, 10.0f, 20.0f});
      torch::Tensor row = torch::arange(4, torch::kFloat32);
      fmt::print("{}\n", trf("column[:, None] + row, shapes [3] and [4] -> {}",
                             describe(ex::outer_sum(column, row))));
    });

    lesson.section("Reductions", reductions);

    lesson.section("Matrix product: torch::matmul against three plain loops",
                   matrix_product_against_loops);

    lesson.section("Views and copies", views_and_copies);

    lesson.section("In-place operations", [&] {
      torch::Tensor tensor = torch::zeros({3});
      void* before = tensor.data_ptr();
      ex::add_in_place(tensor, 2.5);
      fmt::print("{}\n", trf("zeros(3).add_(2.5) -> {}, same memory: {}", show(tensor),
                             tensor.data_ptr() == before));
    });

    return lesson.finish();
  });
}
