// Exercise 01, reference solution.
#include "tensors.h"

#include <stdexcept>
#include <string>

namespace exercises::tensors {

torch::Tensor small_matrix() {
  // Float literals (1.0, not 1) give float32, like Python's default dtype.
  return torch::tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
}

torch::Tensor zeros_matrix(int64_t rows, int64_t cols) {
  return torch::zeros({rows, cols});
}

torch::Tensor ones_int64(int64_t n) {
  return torch::ones({n}, torch::kInt64);
}

torch::Tensor count_to(int64_t n) {
  return torch::arange(n);
}

torch::Tensor seeded_normal(uint64_t seed, int64_t rows, int64_t cols) {
  torch::manual_seed(seed);
  return torch::randn({rows, cols});
}

torch::Tensor zeros_on(int64_t n, const torch::Device& device, torch::Dtype dtype) {
  // torch::device(d).dtype(t) is a TensorOptions: Python's keyword arguments, chained.
  return torch::zeros({n}, torch::device(device).dtype(dtype));
}

torch::Tensor view_of_vector(std::vector<float>& values) {
  // from_blob wraps memory it does not own: the tensor dangles once `values` is destroyed.
  return torch::from_blob(values.data(), {static_cast<int64_t>(values.size())}, torch::kFloat32);
}

torch::Tensor copy_of_vector(const std::vector<float>& values) {
  // from_blob needs a non-const pointer, but clone() copies before anything could write.
  auto* data = const_cast<float*>(values.data());
  return torch::from_blob(data, {static_cast<int64_t>(values.size())}, torch::kFloat32).clone();
}

torch::Tensor as_float64(const torch::Tensor& tensor) {
  return tensor.to(torch::kFloat64);
}

torch::Tensor to_device(const torch::Tensor& tensor, const torch::Device& device) {
  return tensor.to(device);
}

torch::Tensor squared_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).pow(2);
}

torch::Tensor outer_sum(const torch::Tensor& column, const torch::Tensor& row) {
  // [n] -> [n, 1]; then [n, 1] + [m] broadcasts to [n, m].
  return column.unsqueeze(1) + row;
}

Summary summarize(const torch::Tensor& matrix) {
  Summary summary;
  summary.total = matrix.sum().item<double>();
  summary.column_means = matrix.mean(0);
  auto [values, indices] = matrix.max(1);
  summary.row_max = values;
  summary.row_argmax = indices;
  return summary;
}

torch::Tensor matrix_product(const torch::Tensor& a, const torch::Tensor& b) {
  return torch::matmul(a, b);
}

Matrix multiply_with_loops(const Matrix& a, const Matrix& b) {
  if (a.cols != b.rows) {
    throw std::invalid_argument("multiply_with_loops: a is " + std::to_string(a.rows) + "x" +
                                std::to_string(a.cols) + " but b is " + std::to_string(b.rows) +
                                "x" + std::to_string(b.cols) + "; a.cols must equal b.rows");
  }
  Matrix result{a.rows, b.cols, std::vector<float>(static_cast<size_t>(a.rows * b.cols), 0.0f)};
  for (int64_t i = 0; i < a.rows; ++i) {
    for (int64_t j = 0; j < b.cols; ++j) {
      float sum = 0.0f;
      for (int64_t k = 0; k < a.cols; ++k) sum += a.at(i, k) * b.at(k, j);
      result.values[static_cast<size_t>(i * result.cols + j)] = sum;
    }
  }
  return result;
}

torch::Tensor flat_view(const torch::Tensor& tensor) {
  return tensor.view({-1});
}

torch::Tensor flatten_transpose(const torch::Tensor& matrix) {
  return matrix.t().reshape({-1});
}

void add_in_place(torch::Tensor tensor, double amount) {
  tensor.add_(amount);
}

}  // namespace exercises::tensors
