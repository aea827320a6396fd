// Exercise 01: every function of exercises/01_tensors, checked against values computed here
// another way. Each test calls the exercise, so each fails until its function is written.
#include "tensors.h"

#include <ATen/record_function.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "common/device.h"
#include "support/operator_counter.h"
#include "support/test_device.h"

namespace exercises::tensors {
namespace {

using Shape = std::vector<int64_t>;

Shape shape_of(const torch::Tensor& tensor) {
  return tensor.sizes().vec();
}

// Exact equality (same dtype too), with both tensors printed when it fails, and `why`: what
// probably went wrong and which hint to read.
void expect_equal(const torch::Tensor& actual, const torch::Tensor& expected,
                  const std::string& why = "") {
  EXPECT_TRUE(actual.dtype() == expected.dtype())
      << "dtype " << actual.dtype() << ", expected " << expected.dtype() << ". " << why;
  EXPECT_TRUE(actual.sizes() == expected.sizes())
      << actual.sizes() << " vs " << expected.sizes() << ". " << why;
  if (actual.dtype() == expected.dtype() && actual.sizes() == expected.sizes()) {
    EXPECT_TRUE(torch::equal(actual.cpu(), expected.cpu()))
        << "got " << actual << "\nexpected " << expected << "\n"
        << why;
  }
}

TEST(Tensors, SmallMatrixHoldsOneToSixAsFloat32) {
  torch::Tensor matrix = small_matrix();
  EXPECT_EQ(shape_of(matrix), (Shape{2, 3}));
  EXPECT_EQ(matrix.dtype(), torch::kFloat32)
      << "integer literals (1, 2, 3) make an int64 tensor; write 1.0, 2.0, 3.0 for float32, like "
         "Python's 1., 2., 3. (hint 1)";
  expect_equal(matrix, torch::arange(1, 7, torch::kFloat32).view({2, 3}));
}

TEST(Tensors, ZerosMatrixHasTheRequestedShapeAndOnlyZeros) {
  torch::Tensor zeros = zeros_matrix(3, 4);
  EXPECT_EQ(shape_of(zeros), (Shape{3, 4}));
  EXPECT_EQ(zeros.dtype(), torch::kFloat32);
  EXPECT_EQ(torch::count_nonzero(zeros).item<int64_t>(), 0);
  EXPECT_EQ(shape_of(zeros_matrix(1, 7)), (Shape{1, 7}));
}

TEST(Tensors, OnesInt64AreOnesOfDtypeInt64) {
  torch::Tensor ones = ones_int64(5);
  EXPECT_EQ(shape_of(ones), (Shape{5}));
  EXPECT_EQ(ones.dtype(), torch::kInt64);
  EXPECT_EQ(ones.sum().item<int64_t>(), 5);
  EXPECT_EQ(ones.min().item<int64_t>(), 1);
}

TEST(Tensors, CountToGoesFromZeroToNMinusOneAsInt64) {
  torch::Tensor counted = count_to(6);
  EXPECT_EQ(counted.dtype(), torch::kInt64);
  std::vector<int64_t> expected{0, 1, 2, 3, 4, 5};
  expect_equal(counted, torch::tensor(expected));
  EXPECT_EQ(count_to(0).numel(), 0);
}

TEST(Tensors, SeededNormalGivesTheNumbersPythonPrints) {
  // Python: torch.manual_seed(0); torch.randn(1, 3) -> tensor([[ 1.5410, -0.2934, -2.1788]])
  torch::Tensor sample = seeded_normal(0, 1, 3);
  EXPECT_EQ(shape_of(sample), (Shape{1, 3}));
  EXPECT_EQ(sample.dtype(), torch::kFloat32);
  EXPECT_TRUE(torch::allclose(sample, torch::tensor({{1.5410f, -0.2934f, -2.1788f}}), 0.0, 1e-4))
      << sample << "\nnot Python's numbers: call torch::manual_seed(seed) first, then draw with "
      << "torch::randn (hint 1)";
}

TEST(Tensors, SeededNormalIsReproducibleAndLooksStandardNormal) {
  torch::Tensor first = seeded_normal(7, 100, 100);
  torch::Tensor again = seeded_normal(7, 100, 100);
  torch::Tensor other = seeded_normal(8, 100, 100);
  EXPECT_EQ(shape_of(first), (Shape{100, 100}));
  EXPECT_TRUE(torch::equal(first, again)) << "the same seed must give the same numbers";
  EXPECT_FALSE(torch::equal(first, other)) << "another seed must give other numbers";
  // 10,000 draws: the mean is within 0.05 of 0 and the standard deviation within 0.05 of 1.
  EXPECT_NEAR(first.mean().item<double>(), 0.0, 0.05);
  EXPECT_NEAR(first.std().item<double>(), 1.0, 0.05);
}

TEST(Tensors, ZerosOnTakesTheDeviceAndTheDtypeInOneCall) {
  // The "meta" device (shapes without data) stands in for a GPU where there is none.
  const std::string why =
      "the device and the dtype both go into the factory's options, "
      "torch::device(device).dtype(dtype) (hint 2)";
  const torch::Tensor on_meta = zeros_on(5, torch::kMeta, torch::kFloat64);
  EXPECT_TRUE(on_meta.is_meta()) << "made on " << on_meta.device() << ": " << why;
  EXPECT_EQ(on_meta.dtype(), torch::kFloat64) << why;
  EXPECT_EQ(shape_of(on_meta), (Shape{5}));
  const torch::Tensor on_test_device = zeros_on(3, course::testing::test_device(), torch::kInt32);
  EXPECT_EQ(on_test_device.device().type(), course::testing::test_device().type()) << why;
  expect_equal(on_test_device.cpu(), torch::zeros({3}, torch::kInt32), why);
}

TEST(Tensors, ViewOfVectorSharesTheVectorsMemory) {
  std::vector<float> values{1.0f, 2.0f, 3.0f, 4.0f};
  torch::Tensor view = view_of_vector(values);
  EXPECT_EQ(shape_of(view), (Shape{4}));
  EXPECT_EQ(view.dtype(), torch::kFloat32);
  EXPECT_EQ(view.data_ptr<float>(), values.data())
      << "from_blob must not copy: no clone() here, the tensor shares the vector's memory "
         "(hint 2)";
  values[1] = 42.0f;  // a change to the vector shows through the tensor...
  EXPECT_EQ(view[1].item<float>(), 42.0f);
  view[2] = -1.0f;  // ...and the other way round
  EXPECT_EQ(values[2], -1.0f);
}

TEST(Tensors, CopyOfVectorOwnsItsValues) {
  torch::Tensor copy;
  {
    std::vector<float> values{1.5f, -2.5f, 3.5f};
    copy = copy_of_vector(values);
    EXPECT_NE(copy.data_ptr<float>(), values.data())
        << "the tensor points into the vector, which dies at the end of this block: clone() "
           "must copy the values (hint 2)";
    values[0] = 100.0f;  // changing the vector no longer changes the tensor
  }
  // The vector is gone; the tensor still holds its own copy.
  expect_equal(copy, torch::tensor({1.5f, -2.5f, 3.5f}));
}

TEST(Tensors, AsFloat64ChangesTheDtypeNotTheValues) {
  torch::Tensor input = torch::tensor({0.5f, -1.25f, 3.0f});
  torch::Tensor converted = as_float64(input);
  EXPECT_EQ(converted.dtype(), torch::kFloat64);
  expect_equal(converted, torch::tensor({0.5, -1.25, 3.0}, torch::kFloat64));
  EXPECT_EQ(input.dtype(), torch::kFloat32) << "the input is left as it was";
  EXPECT_EQ(as_float64(torch::arange(3)).dtype(), torch::kFloat64);
}

TEST(Tensors, ToDeviceMovesToTheSelectedDevice) {
  // "auto": CUDA or MPS where there is one, else the CPU.
  const torch::Device device = course::testing::test_device();
  torch::Tensor input = torch::arange(6, torch::kFloat32).view({2, 3});
  torch::Tensor moved = to_device(input, device);
  EXPECT_EQ(moved.device().type(), device.type()) << moved.device() << " vs " << device;
  if (device.has_index()) {
    EXPECT_EQ(moved.device().index(), device.index());
  }
  EXPECT_TRUE(input.device().is_cpu());
  EXPECT_TRUE(torch::equal(moved.cpu(), input));
  EXPECT_TRUE(to_device(moved, torch::kCPU).device().is_cpu()) << "and back to the CPU";
  // The "meta" device (shapes without data) stands in for a GPU where there is none.
  EXPECT_TRUE(to_device(input, torch::kMeta).is_meta())
      << "to_device left the tensor on " << to_device(input, torch::kMeta).device()
      << ": move it to the device it is given, with .to(device) (hint 1)";
}

TEST(Tensors, SquaredDifferenceWorksElementByElement) {
  torch::Tensor a = torch::tensor({1.0f, 2.0f, 3.0f, -4.0f});
  torch::Tensor b = torch::tensor({1.0f, 0.0f, 5.0f, 4.0f});
  expect_equal(squared_difference(a, b), torch::tensor({0.0f, 4.0f, 4.0f, 64.0f}));
  torch::Tensor grid = squared_difference(torch::ones({2, 2}), torch::zeros({2, 2}));
  expect_equal(grid, torch::ones({2, 2}));
}

TEST(Tensors, OuterSumBroadcastsAColumnAgainstARow) {
  torch::Tensor column = torch::tensor({0.0f, 10.0f, 20.0f});
  torch::Tensor row = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f});
  torch::Tensor sums = outer_sum(column, row);
  ASSERT_EQ(shape_of(sums), (Shape{3, 4}));
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t j = 0; j < 4; ++j) {
      EXPECT_EQ(sums[i][j].item<float>(), column[i].item<float>() + row[j].item<float>())
          << "at (" << i << ", " << j << ")";
    }
  }
}

TEST(Tensors, SummaryHasTheTotalAndTheColumnMeans) {
  torch::Tensor matrix = torch::tensor({{1.0f, 8.0f, 3.0f}, {4.0f, 2.0f, 6.0f}});
  Summary summary = summarize(matrix);
  EXPECT_DOUBLE_EQ(summary.total, 24.0);
  expect_equal(summary.column_means, torch::tensor({2.5f, 5.0f, 4.5f}));
}

TEST(Tensors, SummaryHasTheMaximumOfEachRowAndWhereItIs) {
  torch::Tensor matrix = torch::tensor({{1.0f, 8.0f, 3.0f}, {4.0f, 2.0f, 6.0f}});
  Summary summary = summarize(matrix);
  expect_equal(summary.row_max, torch::tensor({8.0f, 6.0f}));
  expect_equal(summary.row_argmax, torch::tensor(std::vector<int64_t>{1, 2}));
}

TEST(Tensors, MatrixProductMatchesAWorkedExample) {
  torch::Tensor a = torch::tensor({{1.0f, 2.0f}, {3.0f, 4.0f}});
  torch::Tensor b = torch::tensor({{5.0f, 6.0f}, {7.0f, 8.0f}});
  expect_equal(matrix_product(a, b), torch::tensor({{19.0f, 22.0f}, {43.0f, 50.0f}}));
  // [2, 3] @ [3, 4] -> [2, 4]; a vector on the right gives a vector.
  EXPECT_EQ(shape_of(matrix_product(torch::ones({2, 3}), torch::ones({3, 4}))), (Shape{2, 4}));
  expect_equal(matrix_product(a, torch::tensor({1.0f, 1.0f})), torch::tensor({3.0f, 7.0f}));
}

TEST(Tensors, LoopMatmulAgreesWithTorchMatmul) {
  torch::manual_seed(3);
  torch::Tensor a = torch::randn({17, 23});
  torch::Tensor b = torch::randn({23, 11});
  auto to_matrix = [](const torch::Tensor& t) {
    torch::Tensor c = t.contiguous();
    return Matrix{c.size(0), c.size(1),
                  std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel())};
  };
  const Matrix left = to_matrix(a);
  const Matrix right = to_matrix(b);
  Matrix product;
  {
    course::testing::OperatorCounter operators;  // every LibTorch operator
    product = multiply_with_loops(left, right);
    EXPECT_EQ(operators.count(), 0)
        << "multiply_with_loops called LibTorch: the point is the three plain loops, to compare "
           "with torch::matmul (hint 4)";
  }
  ASSERT_EQ(product.rows, 17);
  ASSERT_EQ(product.cols, 11);
  ASSERT_EQ(product.values.size(), size_t{17 * 11});
  torch::Tensor loops = torch::tensor(product.values).view({17, 11});
  // Summation order differs from BLAS, so allow float32 rounding, no more.
  EXPECT_TRUE(torch::allclose(loops, torch::matmul(a, b), 1e-4, 1e-5));
  EXPECT_TRUE(torch::allclose(loops, matrix_product(a, b), 1e-4, 1e-5));
}

TEST(Tensors, LoopMatmulRejectsMismatchedShapes) {
  Matrix a{2, 3, std::vector<float>(6, 1.0f)};
  Matrix b{3, 2, std::vector<float>(6, 2.0f)};
  Matrix product = multiply_with_loops(a, b);  // 2x3 by 3x2 is fine: every entry is 3 * 2
  EXPECT_EQ(product.values, std::vector<float>(4, 6.0f));
  EXPECT_THROW(multiply_with_loops(a, a), std::invalid_argument);  // 2x3 by 2x3 is not
}

TEST(Tensors, FlatViewSharesMemoryWithTheOriginal) {
  torch::Tensor matrix = torch::arange(6, torch::kFloat32).view({2, 3});
  torch::Tensor flat = flat_view(matrix);
  EXPECT_EQ(shape_of(flat), (Shape{6}));
  EXPECT_EQ(flat.data_ptr(), matrix.data_ptr()) << "a view, not a copy";
  flat[4] = 40.0f;
  EXPECT_EQ(matrix[1][1].item<float>(), 40.0f) << "writing through the view changes the original";
}

TEST(Tensors, FlattenTransposeCopiesIntoTheTransposedOrder) {
  torch::Tensor matrix = torch::tensor({{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}});
  torch::Tensor flat;
  try {
    flat = flatten_transpose(matrix);
  } catch (const c10::Error& e) {
    FAIL() << "flatten_transpose threw: " << e.what_without_backtrace()
           << "\nview() needs strides it can merge, and a transpose has none: use reshape({-1}), "
              "which copies when it must (hint 5)";
  }
  expect_equal(flat, torch::tensor({1.0f, 4.0f, 2.0f, 5.0f, 3.0f, 6.0f}));
  EXPECT_TRUE(flat.is_contiguous());
  EXPECT_NE(flat.data_ptr(), matrix.data_ptr()) << "the transposed order needs new memory";
  EXPECT_THROW(matrix.t().view({-1}), c10::Error) << "why view() alone cannot do it";
}

TEST(Tensors, AddInPlaceChangesTheTensorItself) {
  torch::Tensor tensor = torch::tensor({1.0f, 2.0f, 3.0f});
  torch::Tensor alias = tensor.view({3, 1});  // another view of the same memory
  void* before = tensor.data_ptr();
  add_in_place(tensor, 0.5);
  EXPECT_EQ(tensor.data_ptr(), before) << "in place: no new memory";
  expect_equal(tensor, torch::tensor({1.5f, 2.5f, 3.5f}),
               "the caller's tensor did not change: change it in place with add_ (trailing "
               "underscore); `tensor = tensor + amount` only rebinds the function's own handle "
               "(hint 5)");
  EXPECT_EQ(alias[2][0].item<float>(), 3.5f) << "every view sees the change";
}

}  // namespace
}  // namespace exercises::tensors
