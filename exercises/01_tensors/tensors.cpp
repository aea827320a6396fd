// Exercise 01: tensors. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code. Check your work with
//   cmake --build --preset student && ctest --preset student -L 01_tensors
// and run build/student/bin/ex01_tensors to see the lesson. Hints: README.md, "## Hints".
#include "tensors.h"

#include <stdexcept>

#include "common/lesson.h"

namespace exercises::tensors {

torch::Tensor small_matrix() {
  // TODO: return the 2x3 float32 matrix [[1, 2, 3], [4, 5, 6]] with torch::tensor and a nested
  //   initializer list. Write the numbers as 1.0, 2.0, ... so the dtype is float32.
  //   Python: torch.tensor([[1., 2., 3.], [4., 5., 6.]])
  course::not_implemented("01_tensors", "small_matrix");
}

torch::Tensor zeros_matrix([[maybe_unused]] int64_t rows, [[maybe_unused]] int64_t cols) {
  // TODO: return torch::zeros with the shape {rows, cols}.
  //   Python: torch.zeros(rows, cols)
  course::not_implemented("01_tensors", "zeros_matrix");
}

torch::Tensor ones_int64([[maybe_unused]] int64_t n) {
  // TODO: return torch::ones with the shape {n} and the dtype torch::kInt64 (second argument).
  //   Python: torch.ones(n, dtype=torch.int64)
  course::not_implemented("01_tensors", "ones_int64");
}

torch::Tensor count_to([[maybe_unused]] int64_t n) {
  // TODO: return torch::arange(n): 0, 1, ..., n - 1 as int64.
  //   Python: torch.arange(n)
  course::not_implemented("01_tensors", "count_to");
}

torch::Tensor seeded_normal([[maybe_unused]] uint64_t seed, [[maybe_unused]] int64_t rows,
                            [[maybe_unused]] int64_t cols) {
  // TODO: seed the global generator with torch::manual_seed(seed), then return
  //   torch::randn with the shape {rows, cols}.
  //   Python: torch.manual_seed(seed); torch.randn(rows, cols)
  course::not_implemented("01_tensors", "seeded_normal");
}

torch::Tensor view_of_vector([[maybe_unused]] std::vector<float>& values) {
  // TODO: wrap the vector's memory, without copying, with torch::from_blob(pointer, shape, dtype):
  //   pointer values.data(), shape {number of elements as int64_t}, dtype torch::kFloat32.
  //   Python: torch.from_numpy(array)
  //   The tensor does not own that memory: it is only valid while `values` lives (README).
  course::not_implemented("01_tensors", "view_of_vector");
}

torch::Tensor copy_of_vector([[maybe_unused]] const std::vector<float>& values) {
  // TODO: like view_of_vector, then .clone() so the tensor owns a copy. from_blob wants a
  //   non-const pointer: const_cast<float*>(values.data()) is fine because clone() only reads.
  //   Python: torch.tensor(array)          (or torch.from_numpy(array).clone())
  course::not_implemented("01_tensors", "copy_of_vector");
}

torch::Tensor as_float64([[maybe_unused]] const torch::Tensor& tensor) {
  // TODO: return the tensor converted with .to(torch::kFloat64).
  //   Python: tensor.to(torch.float64)
  course::not_implemented("01_tensors", "as_float64");
}

torch::Tensor to_device([[maybe_unused]] const torch::Tensor& tensor,
                        [[maybe_unused]] const torch::Device& device) {
  // TODO: return the tensor moved with .to(device).
  //   Python: tensor.to(device)
  course::not_implemented("01_tensors", "to_device");
}

torch::Tensor squared_difference([[maybe_unused]] const torch::Tensor& a,
                                 [[maybe_unused]] const torch::Tensor& b) {
  // TODO: subtract element by element, then square with .pow(2).
  //   Python: (a - b) ** 2
  course::not_implemented("01_tensors", "squared_difference");
}

torch::Tensor outer_sum([[maybe_unused]] const torch::Tensor& column,
                        [[maybe_unused]] const torch::Tensor& row) {
  // TODO: turn the column [n] into [n, 1] with .unsqueeze(1), then add the row [m]:
  //   broadcasting stretches both to [n, m].
  //   Python: column[:, None] + row        (or column.unsqueeze(1) + row)
  course::not_implemented("01_tensors", "outer_sum");
}

Summary summarize([[maybe_unused]] const torch::Tensor& matrix) {
  // TODO: fill a Summary:
  //   total        = matrix.sum() as a double, with .item<double>()
  //                  Python: matrix.sum().item()
  //   column_means = the mean over dimension 0
  //                  Python: matrix.mean(dim=0)
  //   row_max, row_argmax = the two parts of matrix.max(1), a std::tuple (values, indices);
  //                  auto [values, indices] = matrix.max(1); unpacks it.
  //                  Python: values, indices = matrix.max(dim=1)
  course::not_implemented("01_tensors", "summarize");
}

torch::Tensor matrix_product([[maybe_unused]] const torch::Tensor& a,
                             [[maybe_unused]] const torch::Tensor& b) {
  // TODO: return torch::matmul(a, b). (C++ has no @ operator.)
  //   Python: a @ b
  course::not_implemented("01_tensors", "matrix_product");
}

Matrix multiply_with_loops([[maybe_unused]] const Matrix& a, [[maybe_unused]] const Matrix& b) {
  // TODO: the matrix product without LibTorch, to compare with torch::matmul:
  //   1. if a.cols != b.rows, throw std::invalid_argument with a message giving both shapes;
  //   2. make a Matrix with a.rows rows, b.cols columns and a.rows * b.cols zeros;
  //   3. three nested loops: result(i, j) = sum over k of a.at(i, k) * b.at(k, j).
  //   Python: what torch.matmul(a, b) computes; in NumPy terms, the loops inside a @ b
  course::not_implemented("01_tensors", "multiply_with_loops");
}

torch::Tensor flat_view([[maybe_unused]] const torch::Tensor& tensor) {
  // TODO: return tensor.view({-1}): one dimension, -1 meaning "whatever size fits". No copy.
  //   Python: tensor.view(-1)
  course::not_implemented("01_tensors", "flat_view");
}

torch::Tensor flatten_transpose([[maybe_unused]] const torch::Tensor& matrix) {
  // TODO: transpose with .t(), then flatten with .reshape({-1}). (.view({-1}) throws here: the
  //   transpose is not contiguous. reshape copies when it has to; so does .contiguous().view.)
  //   Python: matrix.t().reshape(-1)
  course::not_implemented("01_tensors", "flatten_transpose");
}

void add_in_place([[maybe_unused]] torch::Tensor tensor, [[maybe_unused]] double amount) {
  // TODO: add `amount` to the tensor itself with the in-place method .add_ (trailing underscore).
  //   Python: tensor.add_(amount)
  course::not_implemented("01_tensors", "add_in_place");
}

}  // namespace exercises::tensors
