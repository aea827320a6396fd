// Exercise 02: autograd, checked against gradients worked out by hand and against finite
// differences. Each test calls the exercise, so each fails until its function is written.
#include "autograd.h"

#include <gtest/gtest.h>

#include <string>

namespace exercises::autograd {
namespace {

// One-element float32 tensor equal to `expected`, printed when it is not.
void expect_scalar_gradient(const torch::Tensor& gradient, float expected) {
  ASSERT_TRUE(gradient.defined())
      << "no gradient: did backward() run on a leaf that requires grad?";
  EXPECT_EQ(gradient.sizes().vec(), std::vector<int64_t>{1});
  EXPECT_EQ(gradient.dtype(), torch::kFloat32);
  EXPECT_FLOAT_EQ(gradient.item<float>(), expected) << gradient;
}

TEST(Autograd, CubeGradientAtTwoIsTwelve) {
  expect_scalar_gradient(cube_gradient_at(2.0), 12.0f);
}

TEST(Autograd, CubeGradientIsThreeXSquaredElsewhere) {
  expect_scalar_gradient(cube_gradient_at(-1.0), 3.0f);
  expect_scalar_gradient(cube_gradient_at(0.5), 0.75f);
  expect_scalar_gradient(cube_gradient_at(0.0), 0.0f);
}

TEST(Autograd, GradientsAccumulateUntilZeroed) {
  AccumulatedGradients gradients = accumulate_cube_gradients(2.0);
  expect_scalar_gradient(gradients.after_first_backward, 12.0f);
  expect_scalar_gradient(gradients.after_second_backward, 24.0f);  // 12 + 12, not 12
  expect_scalar_gradient(gradients.after_zeroing, 0.0f);
}

TEST(Autograd, SecondBackwardThroughAFreedGraphThrows) {
  // First the case that must work, so that this check cannot pass by throwing anything at all.
  expect_scalar_gradient(backward_twice(2.0, /*retain_graph=*/true), 24.0f);
  try {
    backward_twice(2.0, /*retain_graph=*/false);
    FAIL() << "the second backward() should have thrown: the first one freed the graph";
  } catch (const c10::Error& e) {
    EXPECT_NE(std::string(e.what()).find("backward through the graph a second time"),
              std::string::npos)
        << e.what_without_backtrace();
  }
}

TEST(Autograd, RetainGraphAllowsASecondBackward) {
  expect_scalar_gradient(backward_twice(2.0, /*retain_graph=*/true), 24.0f);
  expect_scalar_gradient(backward_twice(-3.0, /*retain_graph=*/true), 54.0f);  // 2 * 3 * 9
}

TEST(Autograd, NoGradGuardGivesAResultThatDoesNotRequireGrad) {
  torch::Tensor x = torch::tensor({1.0f, 2.0f, -3.0f}, torch::requires_grad());
  torch::Tensor cubed = cube_without_grad(x);
  EXPECT_FALSE(cubed.requires_grad());
  EXPECT_FALSE(cubed.grad_fn()) << "no graph node should have been recorded";
  EXPECT_TRUE(torch::equal(cubed, torch::tensor({1.0f, 8.0f, -27.0f})));
  EXPECT_TRUE(torch::GradMode::is_enabled()) << "the guard must end with the function";
  EXPECT_TRUE(x.pow(3).requires_grad()) << "outside the guard autograd records again";
}

TEST(Autograd, DetachTurnsAFactorIntoAConstant) {
  // d/dx (x * x) = 2x, but d/dx (x * detach(x)) = detach(x) = x.
  expect_scalar_gradient(gradient_through_detach(3.0), 3.0f);
  expect_scalar_gradient(gradient_through_detach(-0.5), -0.5f);
}

TEST(Autograd, GradFnNamesTheOperationThatMadeATensor) {
  torch::Tensor x = torch::tensor({2.0f}, torch::requires_grad());
  torch::Tensor y = torch::tensor({3.0f}, torch::requires_grad());
  EXPECT_EQ(grad_fn_name(x.pow(3)), "PowBackward0");
  EXPECT_EQ(grad_fn_name(x * y), "MulBackward0");
  EXPECT_EQ(grad_fn_name(x + y), "AddBackward0");
  EXPECT_EQ(grad_fn_name((x * y).sum()), "SumBackward0");
  EXPECT_EQ(grad_fn_name(x), "None") << "a leaf was made by no operation";
  EXPECT_EQ(grad_fn_name(x.detach() * 2), "None") << "detached: nothing recorded";
}

TEST(Autograd, AutogradGradientMatchesTheDerivativeWorkedOutByHand) {
  torch::Tensor x = torch::tensor({-2.0, -0.5, 0.0, 1.0, 2.5}, torch::kFloat64);
  torch::Tensor gradient = gradient_by_autograd(x);
  // d/dx x^2 sin x = 2x sin x + x^2 cos x
  torch::Tensor expected = 2 * x * torch::sin(x) + x.pow(2) * torch::cos(x);
  ASSERT_TRUE(gradient.defined());
  EXPECT_EQ(gradient.sizes(), x.sizes());
  EXPECT_EQ(gradient.dtype(), torch::kFloat64);
  EXPECT_TRUE(torch::allclose(gradient, expected, 1e-12, 1e-12)) << gradient << expected;
  EXPECT_FALSE(x.requires_grad()) << "the caller's tensor is left as it was";
}

TEST(Autograd, FiniteDifferencesMatchAutograd) {
  torch::manual_seed(0);
  torch::Tensor x = torch::randn({2, 3}, torch::kFloat64);
  torch::Tensor by_autograd = gradient_by_autograd(x);
  torch::Tensor by_differences = gradient_by_finite_differences(x, 1e-6);
  EXPECT_EQ(by_differences.sizes(), x.sizes());
  EXPECT_EQ(by_differences.dtype(), torch::kFloat64);
  // Central differences: error ~ eps^2 from the formula plus ~1e-16 / eps from rounding.
  EXPECT_TRUE(torch::allclose(by_differences, by_autograd, 1e-6, 1e-7))
      << by_differences << by_autograd;
}

TEST(Autograd, FiniteDifferencesWorkOnFloat32Input) {
  torch::Tensor x = torch::tensor({0.3f, -1.2f, 2.0f});
  torch::Tensor by_differences = gradient_by_finite_differences(x, 1e-6);
  torch::Tensor exact = gradient_by_autograd(x.to(torch::kFloat64));
  EXPECT_EQ(by_differences.dtype(), torch::kFloat64) << "estimate in float64, whatever x is";
  EXPECT_TRUE(torch::allclose(by_differences, exact, 1e-6, 1e-6)) << by_differences << exact;
}

}  // namespace
}  // namespace exercises::autograd
