// Exercise 01: every function of exercises/01_tensors, checked against values computed here
// another way. Each test calls the exercise, so each fails until its function is written. Every
// check that fails ends with the course's sentence (support/sentence.h): what came, what was
// expected, the likely cause and the hint of README.md to read.
#include "tensors.h"

#include <ATen/record_function.h>
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/device.h"
#include "support/operator_counter.h"
#include "support/sentence.h"
#include "support/test_device.h"

namespace exercises::tensors {
namespace {

using course::tr;
using course::trf;
using course::trn;
using course::testing::dtype_name;
using course::testing::explain_throw;
using course::testing::sentence;
using course::testing::text_of;
using Shape = std::vector<int64_t>;

Shape shape_of(const torch::Tensor& tensor) {
  return tensor.sizes().vec();
}

// A tensor's values on one line, "[1, 2, 3]" (the first 12, then "..."), for a sentence.
std::string values_of(const torch::Tensor& tensor) {
  const torch::Tensor flat = tensor.detach().cpu().reshape({-1}).to(torch::kFloat64);
  std::ostringstream out;
  out << "[";
  for (int64_t i = 0; i < flat.numel() && i < 12; ++i) {
    out << (i > 0 ? ", " : "") << flat[i].item<double>();
  }
  out << (flat.numel() > 12 ? ", ...]" : "]");
  return out.str();
}

// Exact equality (same dtype too). Each failure is the course's sentence: `what` (named as the
// student's call) came, what was expected, and `why`: the likely cause and the hint to read.
// `what` and `why` come translated already (tr), or are code.
void expect_equal(const torch::Tensor& actual, const torch::Tensor& expected, std::string_view what,
                  std::string_view why) {
  EXPECT_TRUE(actual.dtype() == expected.dtype())
      << sentence
      << trf("{} has dtype {}, expected {}: {}", what, dtype_name(actual.dtype()),
             dtype_name(expected.dtype()), why);
  EXPECT_TRUE(actual.sizes() == expected.sizes())
      << sentence
      << trf("{} has shape {}, expected {}: {}", what, text_of(actual.sizes()),
             text_of(expected.sizes()), why);
  if (actual.dtype() == expected.dtype() && actual.sizes() == expected.sizes()) {
    EXPECT_TRUE(torch::equal(actual.cpu(), expected.cpu()))
        << sentence
        << trf("{} holds {}, expected {}: {}", what, values_of(actual), values_of(expected), why);
  }
}

TEST(Tensors, SmallMatrixHoldsOneToSixAsFloat32) {
  torch::Tensor matrix = small_matrix();
  EXPECT_EQ(shape_of(matrix), (Shape{2, 3}))
      << sentence
      << trf("small_matrix() has shape {}, expected [2, 3]: two braced rows of three values each "
             "(hint 1)",
             text_of(matrix.sizes()));
  EXPECT_EQ(matrix.dtype(), torch::kFloat32)
      << sentence
      << trf("small_matrix() has dtype {}, expected float32: integer literals (1, 2, 3) make an "
             "int64 tensor; write 1.0, 2.0, 3.0, like Python's 1., 2., 3. (hint 1)",
             dtype_name(matrix.dtype()));
  expect_equal(matrix, torch::arange(1, 7, torch::kFloat32).view({2, 3}), "small_matrix()",
               tr("the rows are {1.0, 2.0, 3.0} and {4.0, 5.0, 6.0} (hint 1)"));
}

TEST(Tensors, ZerosMatrixHasTheRequestedShapeAndOnlyZeros) {
  const std::string_view why =
      tr("torch::zeros takes the shape as one braced list, {rows, cols} (hint 1)");
  torch::Tensor zeros = zeros_matrix(3, 4);
  EXPECT_EQ(shape_of(zeros), (Shape{3, 4}))
      << sentence
      << trf("zeros_matrix(3, 4) has shape {}, expected [3, 4]: {}", text_of(zeros.sizes()), why);
  EXPECT_EQ(zeros.dtype(), torch::kFloat32)
      << sentence
      << trf("zeros_matrix(3, 4) has dtype {}, expected float32, torch::zeros's default: {}",
             dtype_name(zeros.dtype()), why);
  EXPECT_EQ(torch::count_nonzero(zeros).item<int64_t>(), 0)
      << sentence
      << trf("zeros_matrix(3, 4) holds {}, expected only zeros: {}", values_of(zeros), why);
  const torch::Tensor row = zeros_matrix(1, 7);
  EXPECT_EQ(shape_of(row), (Shape{1, 7}))
      << sentence
      << trf("zeros_matrix(1, 7) has shape {}, expected [1, 7]: use the rows and cols it is "
             "given, {}",
             text_of(row.sizes()), why);
}

TEST(Tensors, OnesInt64AreOnesOfDtypeInt64) {
  const std::string_view why =
      tr("the dtype goes where Python writes dtype=, torch::ones({n}, torch::kInt64) (hint 1)");
  torch::Tensor ones = ones_int64(5);
  EXPECT_EQ(shape_of(ones), (Shape{5}))
      << sentence
      << trf("ones_int64(5) has shape {}, expected [5]: {}", text_of(ones.sizes()), why);
  EXPECT_EQ(ones.dtype(), torch::kInt64)
      << sentence
      << trf("ones_int64(5) has dtype {}, expected int64: {}", dtype_name(ones.dtype()), why);
  EXPECT_EQ(ones.sum().item<int64_t>(), 5)
      << sentence << trf("ones_int64(5) holds {}, expected five ones: {}", values_of(ones), why);
  EXPECT_EQ(ones.min().item<int64_t>(), 1)
      << sentence << trf("ones_int64(5) holds {}, expected five ones: {}", values_of(ones), why);
}

TEST(Tensors, CountToGoesFromZeroToNMinusOneAsInt64) {
  const std::string_view why =
      tr("torch::arange(n) counts 0, 1, ..., n - 1 as int64, like Python (hint 1)");
  torch::Tensor counted = count_to(6);
  EXPECT_EQ(counted.dtype(), torch::kInt64)
      << sentence
      << trf("count_to(6) has dtype {}, expected int64: {}", dtype_name(counted.dtype()), why);
  std::vector<int64_t> expected{0, 1, 2, 3, 4, 5};
  expect_equal(counted, torch::tensor(expected), "count_to(6)", why);
  const torch::Tensor none = count_to(0);
  EXPECT_EQ(none.numel(), 0) << sentence
                             << trf("count_to(0) holds {}, expected nothing: {}", values_of(none),
                                    why);
}

TEST(Tensors, SeededNormalGivesTheNumbersPythonPrints) {
  // Python: torch.manual_seed(0); torch.randn(1, 3) -> tensor([[ 1.5410, -0.2934, -2.1788]])
  torch::Tensor sample = seeded_normal(0, 1, 3);
  ASSERT_EQ(shape_of(sample), (Shape{1, 3}))
      << sentence
      << trf("seeded_normal(0, 1, 3) has shape {}, expected [1, 3]: draw "
             "torch::randn({{rows, cols}}) (hint 1)",
             text_of(sample.sizes()));
  EXPECT_EQ(sample.dtype(), torch::kFloat32)
      << sentence
      << trf("seeded_normal(0, 1, 3) has dtype {}, expected float32, torch::randn's default "
             "(hint 1)",
             dtype_name(sample.dtype()));
  EXPECT_TRUE(torch::allclose(sample.to(torch::kFloat32),
                              torch::tensor({{1.5410f, -0.2934f, -2.1788f}}), 0.0, 1e-4))
      << sentence
      << trf("seeded_normal(0, 1, 3) drew {}, not Python's [1.541, -0.2934, -2.1788]: call "
             "torch::manual_seed(seed) first, then draw with torch::randn (hint 1)",
             values_of(sample));
}

TEST(Tensors, SeededNormalIsReproducibleAndLooksStandardNormal) {
  torch::Tensor first = seeded_normal(7, 100, 100);
  torch::Tensor again = seeded_normal(7, 100, 100);
  torch::Tensor other = seeded_normal(8, 100, 100);
  ASSERT_EQ(shape_of(first), (Shape{100, 100}))
      << sentence
      << trf("seeded_normal(7, 100, 100) has shape {}, expected [100, 100]: draw "
             "torch::randn({{rows, cols}}) (hint 1)",
             text_of(first.sizes()));
  EXPECT_TRUE(torch::equal(first, again))
      << sentence
      << tr("seeded_normal(7, ...) gave other numbers the second time: call "
            "torch::manual_seed(seed) before the draw, so that the seed chooses the numbers "
            "(hint 1)");
  EXPECT_FALSE(torch::equal(first, other))
      << sentence
      << tr("seeds 7 and 8 gave the same numbers: seed with the seed you are given, "
            "torch::manual_seed(seed) (hint 1)");
  // 10,000 draws: the mean is within 0.05 of 0 and the standard deviation within 0.05 of 1.
  EXPECT_NEAR(first.mean().item<double>(), 0.0, 0.05)
      << sentence
      << trf("10,000 draws of seeded_normal have mean {:.4g}, expected about 0: draw from the "
             "standard normal, torch::randn (hint 1)",
             first.mean().item<double>());
  EXPECT_NEAR(first.std().item<double>(), 1.0, 0.05)
      << sentence
      << trf("10,000 draws of seeded_normal have standard deviation {:.4g}, expected about 1: "
             "draw from torch::randn (hint 1)",
             first.std().item<double>());
}

TEST(Tensors, ZerosOnTakesTheDeviceAndTheDtypeInOneCall) {
  // The "meta" device (shapes without data) stands in for a GPU where there is none.
  const std::string_view why =
      tr("the device and the dtype both go into the factory's options, "
         "torch::device(device).dtype(dtype) (hint 2)");
  const torch::Tensor on_meta = zeros_on(5, torch::kMeta, torch::kFloat64);
  EXPECT_TRUE(on_meta.is_meta())
      << sentence
      << trf("zeros_on(5, meta, float64) made its tensor on {}, expected meta: {}",
             text_of(on_meta.device()), why);
  EXPECT_EQ(on_meta.dtype(), torch::kFloat64)
      << sentence
      << trf("zeros_on(5, meta, float64) has dtype {}, expected float64: {}",
             dtype_name(on_meta.dtype()), why);
  EXPECT_EQ(shape_of(on_meta), (Shape{5}))
      << sentence
      << trf("zeros_on(5, meta, float64) has shape {}, expected [5]: {}", text_of(on_meta.sizes()),
             why);
  const torch::Device device = course::testing::test_device();
  const torch::Tensor on_test_device = zeros_on(3, device, torch::kInt32);
  EXPECT_EQ(on_test_device.device().type(), device.type())
      << sentence
      << trf("zeros_on(3, {}, int32) made its tensor on {}: {}", text_of(device),
             text_of(on_test_device.device()), why);
  expect_equal(on_test_device.cpu(), torch::zeros({3}, torch::kInt32), "zeros_on(3, device, int32)",
               why);
}

TEST(Tensors, ViewOfVectorSharesTheVectorsMemory) {
  const std::string_view why =
      tr("from_blob(values.data(), {size}, torch::kFloat32) shares the vector's memory; no "
         "clone() here (hint 2)");
  std::vector<float> values{1.0f, 2.0f, 3.0f, 4.0f};
  torch::Tensor view = view_of_vector(values);
  ASSERT_EQ(shape_of(view), (Shape{4}))
      << sentence
      << trf("view_of_vector of 4 values has shape {}, expected [4]: {}", text_of(view.sizes()),
             why);
  ASSERT_EQ(view.dtype(), torch::kFloat32)
      << sentence
      << trf("view_of_vector has dtype {}, expected float32: {}", dtype_name(view.dtype()), why);
  EXPECT_EQ(view.data_ptr<float>(), values.data())
      << sentence
      << trf("view_of_vector's tensor does not point into the vector, so it is a copy: {}", why);
  values[1] = 42.0f;  // a change to the vector shows through the tensor...
  EXPECT_EQ(view[1].item<float>(), 42.0f)
      << sentence
      << trf("the vector was changed to 42 and view_of_vector's tensor still holds {}: {}",
             view[1].item<float>(), why);
  view[2] = -1.0f;  // ...and the other way round
  EXPECT_EQ(values[2], -1.0f)
      << sentence
      << trf("the tensor was changed to -1 and the vector still holds {}: {}", values[2], why);
}

TEST(Tensors, CopyOfVectorOwnsItsValues) {
  const std::string_view why =
      tr("from_blob only points at the vector; append .clone() so the tensor owns a copy "
         "(hint 2)");
  torch::Tensor copy;
  {
    std::vector<float> values{1.5f, -2.5f, 3.5f};
    copy = copy_of_vector(values);
    EXPECT_NE(copy.data_ptr(), static_cast<void*>(values.data()))
        << sentence
        << trf("copy_of_vector's tensor points into the vector, which dies at the end of the "
               "caller's block: {}",
               why);
    values[0] = 100.0f;  // changing the vector no longer changes the tensor
  }
  // The vector is gone; the tensor still holds its own copy.
  expect_equal(copy, torch::tensor({1.5f, -2.5f, 3.5f}), "copy_of_vector({1.5, -2.5, 3.5})", why);
}

TEST(Tensors, AsFloat64ChangesTheDtypeNotTheValues) {
  const std::string_view why = tr("convert with tensor.to(torch::kFloat64) (hint 1)");
  torch::Tensor input = torch::tensor({0.5f, -1.25f, 3.0f});
  torch::Tensor converted = as_float64(input);
  EXPECT_EQ(converted.dtype(), torch::kFloat64)
      << sentence
      << trf("as_float64 returned dtype {}, expected float64: {}", dtype_name(converted.dtype()),
             why);
  expect_equal(converted, torch::tensor({0.5, -1.25, 3.0}, torch::kFloat64),
               "as_float64({0.5, -1.25, 3.0})", why);
  EXPECT_EQ(input.dtype(), torch::kFloat32)
      << sentence
      << trf("as_float64 changed its input's dtype to {}: return the converted tensor and leave "
             "the input as it was, {}",
             dtype_name(input.dtype()), why);
  const torch::Tensor counted = as_float64(torch::arange(3));
  EXPECT_EQ(counted.dtype(), torch::kFloat64)
      << sentence
      << trf("as_float64 of an int64 tensor returned dtype {}, expected float64: {}",
             dtype_name(counted.dtype()), why);
}

TEST(Tensors, ToDeviceMovesToTheSelectedDevice) {
  const std::string_view why =
      tr("move the tensor to the device it is given, with .to(device) (hint 1)");
  // "auto": CUDA or MPS where there is one, else the CPU.
  const torch::Device device = course::testing::test_device();
  torch::Tensor input = torch::arange(6, torch::kFloat32).view({2, 3});
  // The "meta" device (shapes without data) stands in for a GPU where there is none.
  const torch::Tensor on_meta = to_device(input, torch::kMeta);
  EXPECT_TRUE(on_meta.is_meta()) << sentence
                                 << trf("to_device(tensor, meta) left the tensor on {}: {}",
                                        text_of(on_meta.device()), why);
  torch::Tensor moved = to_device(input, device);
  EXPECT_EQ(moved.device().type(), device.type())
      << sentence
      << trf("to_device(tensor, {}) left the tensor on {}: {}", text_of(device),
             text_of(moved.device()), why);
  if (device.has_index()) {
    EXPECT_EQ(moved.device().index(), device.index())
        << sentence
        << trf("to_device(tensor, {}) moved it to {}: {}", text_of(device), text_of(moved.device()),
               why);
  }
  EXPECT_TRUE(input.device().is_cpu())
      << sentence << trf("to_device moved its input too: return the moved copy, {}", why);
  expect_equal(moved.cpu(), input, "to_device(tensor, device)",
               trf("moving keeps the values and the dtype, {}", why));
  const torch::Tensor back = to_device(moved, torch::kCPU);
  EXPECT_TRUE(back.device().is_cpu())
      << sentence
      << trf("to_device(tensor, cpu) left the tensor on {}: {}", text_of(back.device()), why);
}

TEST(Tensors, SquaredDifferenceWorksElementByElement) {
  const std::string_view why = tr("element by element, (a - b).pow(2): C++ has no ** (hint 1)");
  torch::Tensor a = torch::tensor({1.0f, 2.0f, 3.0f, -4.0f});
  torch::Tensor b = torch::tensor({1.0f, 0.0f, 5.0f, 4.0f});
  expect_equal(squared_difference(a, b), torch::tensor({0.0f, 4.0f, 4.0f, 64.0f}),
               "squared_difference({1, 2, 3, -4}, {1, 0, 5, 4})", why);
  torch::Tensor grid = squared_difference(torch::ones({2, 2}), torch::zeros({2, 2}));
  expect_equal(grid, torch::ones({2, 2}), "squared_difference(ones 2x2, zeros 2x2)", why);
}

TEST(Tensors, OuterSumBroadcastsAColumnAgainstARow) {
  const std::string_view why =
      tr("make the column n x 1 with column.unsqueeze(1), then add the row: broadcasting gives "
         "n x m (hint 5)");
  torch::Tensor column = torch::tensor({0.0f, 10.0f, 20.0f});
  torch::Tensor row = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f});
  torch::Tensor sums = outer_sum(column, row);
  ASSERT_EQ(shape_of(sums), (Shape{3, 4}))
      << sentence
      << trf("outer_sum of a column of 3 and a row of 4 has shape {}, expected [3, 4]: {}",
             text_of(sums.sizes()), why);
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t j = 0; j < 4; ++j) {
      const float expected_sum = column[i].item<float>() + row[j].item<float>();
      EXPECT_EQ(sums[i][j].item<float>(), expected_sum)
          << sentence
          << trf("outer_sum at ({0}, {1}) is {2}, expected column[{0}] + row[{1}] = {3}: {4}", i, j,
                 sums[i][j].item<float>(), expected_sum, why);
    }
  }
}

TEST(Tensors, SummaryHasTheTotalAndTheColumnMeans) {
  torch::Tensor matrix = torch::tensor({{1.0f, 8.0f, 3.0f}, {4.0f, 2.0f, 6.0f}});
  Summary summary = summarize(matrix);
  EXPECT_DOUBLE_EQ(summary.total, 24.0)
      << sentence
      << trf("summarize's total is {}, expected 24: matrix.sum() is a tensor of one element, "
             ".item<double>() makes it a number (hint 3)",
             summary.total);
  expect_equal(summary.column_means, torch::tensor({2.5f, 5.0f, 4.5f}),
               tr("summarize's column_means"),
               tr("the mean down each column is matrix.mean(0), Python's dim=0 (hint 3)"));
}

TEST(Tensors, SummaryHasTheMaximumOfEachRowAndWhereItIs) {
  const std::string_view why =
      tr("matrix.max(1) returns the values and the indices: auto [values, indices] = "
         "matrix.max(1); (hint 3)");
  torch::Tensor matrix = torch::tensor({{1.0f, 8.0f, 3.0f}, {4.0f, 2.0f, 6.0f}});
  Summary summary = summarize(matrix);
  expect_equal(summary.row_max, torch::tensor({8.0f, 6.0f}), tr("summarize's row_max"), why);
  expect_equal(summary.row_argmax, torch::tensor(std::vector<int64_t>{1, 2}),
               tr("summarize's row_argmax"), why);
}

TEST(Tensors, MatrixProductMatchesAWorkedExample) {
  const std::string_view why =
      tr("the matrix product is torch::matmul(a, b): C++ has no @ (hint 1)");
  torch::Tensor a = torch::tensor({{1.0f, 2.0f}, {3.0f, 4.0f}});
  torch::Tensor b = torch::tensor({{5.0f, 6.0f}, {7.0f, 8.0f}});
  expect_equal(matrix_product(a, b), torch::tensor({{19.0f, 22.0f}, {43.0f, 50.0f}}),
               "matrix_product({{1, 2}, {3, 4}}, {{5, 6}, {7, 8}})", why);
  // [2, 3] @ [3, 4] -> [2, 4]; a vector on the right gives a vector.
  const torch::Tensor wide = matrix_product(torch::ones({2, 3}), torch::ones({3, 4}));
  EXPECT_EQ(shape_of(wide), (Shape{2, 4}))
      << sentence
      << trf("matrix_product of [2, 3] and [3, 4] has shape {}, expected [2, 4]: {}",
             text_of(wide.sizes()), why);
  expect_equal(matrix_product(a, torch::tensor({1.0f, 1.0f})), torch::tensor({3.0f, 7.0f}),
               "matrix_product({{1, 2}, {3, 4}}, {1, 1})", why);
}

TEST(Tensors, LoopMatmulAgreesWithTorchMatmul) {
  const std::string_view why =
      tr("for i, for j, for k: sum += a.at(i, k) * b.at(k, j), stored at values[i * cols + j] "
         "(hint 4)");
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
        << sentence
        << trn("multiply_with_loops called LibTorch ({} operator): the point is the three plain "
               "loops, to compare with torch::matmul (hint 4)",
               "multiply_with_loops called LibTorch ({} operators): the point is the three plain "
               "loops, to compare with torch::matmul (hint 4)",
               operators.count(), operators.count());
  }
  ASSERT_EQ(product.rows, 17)
      << sentence
      << trn("multiply_with_loops of 17x23 by 23x11 has {} row, expected 17 (a.rows): {}",
             "multiply_with_loops of 17x23 by 23x11 has {} rows, expected 17 (a.rows): {}",
             product.rows, product.rows, why);
  ASSERT_EQ(product.cols, 11)
      << sentence
      << trn("multiply_with_loops of 17x23 by 23x11 has {} column, expected 11 (b.cols): {}",
             "multiply_with_loops of 17x23 by 23x11 has {} columns, expected 11 (b.cols): {}",
             product.cols, product.cols, why);
  ASSERT_EQ(product.values.size(), size_t{17 * 11})
      << sentence
      << trn("multiply_with_loops of 17x23 by 23x11 holds {} value, expected 187 (rows * cols): "
             "{}",
             "multiply_with_loops of 17x23 by 23x11 holds {} values, expected 187 (rows * cols): "
             "{}",
             static_cast<long long>(product.values.size()), product.values.size(), why);
  torch::Tensor loops = torch::tensor(product.values).view({17, 11});
  // Summation order differs from BLAS, so allow float32 rounding, no more.
  const double largest = (loops - torch::matmul(a, b)).abs().max().item<double>();
  EXPECT_TRUE(torch::allclose(loops, torch::matmul(a, b), 1e-4, 1e-5))
      << sentence
      << trf("multiply_with_loops differs from torch::matmul by up to {:.4g}: {}", largest, why);
  EXPECT_TRUE(torch::allclose(loops, matrix_product(a, b), 1e-4, 1e-5))
      << sentence
      << tr("multiply_with_loops and matrix_product disagree on a 17x23 by 23x11 product: "
            "matrix_product is torch::matmul(a, b) (hint 1)");
}

TEST(Tensors, LoopMatmulRejectsMismatchedShapes) {
  Matrix a{2, 3, std::vector<float>(6, 1.0f)};
  Matrix b{3, 2, std::vector<float>(6, 2.0f)};
  Matrix product = multiply_with_loops(a, b);  // 2x3 by 3x2 is fine: every entry is 3 * 2
  EXPECT_EQ(product.values, std::vector<float>(4, 6.0f))
      << sentence
      << tr("multiply_with_loops of a 2x3 of ones by a 3x2 of twos must hold four 6s (three "
            "products of 1 * 2 each): start each sum at 0 and run k over a.cols (hint 4)");
  bool threw = false;
  try {
    multiply_with_loops(a, a);  // 2x3 by 2x3 is not
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  EXPECT_TRUE(threw) << sentence
                     << tr("multiply_with_loops of 2x3 by 2x3 did not throw "
                           "std::invalid_argument: check a.cols == b.rows first (hint 4)");
}

TEST(Tensors, FlatViewSharesMemoryWithTheOriginal) {
  const std::string_view why =
      tr("tensor.view({-1}) shares the memory; reshape or clone may copy (hint 5)");
  torch::Tensor matrix = torch::arange(6, torch::kFloat32).view({2, 3});
  torch::Tensor flat = flat_view(matrix);
  ASSERT_EQ(shape_of(flat), (Shape{6}))
      << sentence
      << trf("flat_view of a 2x3 matrix has shape {}, expected [6]: {}", text_of(flat.sizes()),
             why);
  EXPECT_EQ(flat.data_ptr(), matrix.data_ptr())
      << sentence << trf("flat_view returned a copy, not a view of the matrix: {}", why);
  flat[4] = 40.0f;
  EXPECT_EQ(matrix[1][1].item<float>(), 40.0f)
      << sentence
      << trf("writing 40 through flat_view left the matrix at {}: {}", matrix[1][1].item<float>(),
             why);
}

TEST(Tensors, FlattenTransposeCopiesIntoTheTransposedOrder) {
  const std::string_view why =
      tr("view() needs strides it can merge, and a transpose has none: matrix.t().reshape({-1}) "
         "copies when it must (hint 5)");
  torch::Tensor matrix = torch::tensor({{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}});
  torch::Tensor flat = explain_throw([&] { return flatten_transpose(matrix); },
                                     trf("{} threw: {}", "flatten_transpose", why));
  expect_equal(flat, torch::tensor({1.0f, 4.0f, 2.0f, 5.0f, 3.0f, 6.0f}),
               "flatten_transpose({{1, 2, 3}, {4, 5, 6}})", why);
  EXPECT_TRUE(flat.is_contiguous())
      << sentence << trf("flatten_transpose returned a tensor that is not contiguous: {}", why);
  EXPECT_NE(flat.data_ptr(), matrix.data_ptr())
      << sentence
      << trf("flatten_transpose shares the matrix's memory, but the transposed order needs new "
             "memory: {}",
             why);
  EXPECT_THROW(matrix.t().view({-1}), c10::Error) << "why view() alone cannot do it";
}

TEST(Tensors, AddInPlaceChangesTheTensorItself) {
  const std::string_view why =
      tr("change it in place with add_ (trailing underscore); `tensor = tensor + amount` only "
         "rebinds the function's own handle (hint 5)");
  torch::Tensor tensor = torch::tensor({1.0f, 2.0f, 3.0f});
  torch::Tensor alias = tensor.view({3, 1});  // another view of the same memory
  void* before = tensor.data_ptr();
  add_in_place(tensor, 0.5);
  EXPECT_EQ(tensor.data_ptr(), before)
      << sentence
      << trf("add_in_place gave the caller's tensor new memory, so its views no longer see it: {}",
             why);
  expect_equal(tensor, torch::tensor({1.5f, 2.5f, 3.5f}),
               tr("the caller's tensor after add_in_place"),
               trf("it did not change in place: {}", why));
  EXPECT_EQ(alias[2][0].item<float>(), 3.5f)
      << sentence
      << trf("a view of the caller's tensor holds {} after add_in_place, expected 3.5: {}",
             alias[2][0].item<float>(), why);
}

}  // namespace
}  // namespace exercises::tensors
