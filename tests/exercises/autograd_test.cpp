// Exercise 02: autograd, checked against gradients worked out by hand and against finite
// differences. Each test calls the exercise, so each fails until its function is written.
#include "autograd.h"

#include <ATen/record_function.h>
#include <gtest/gtest.h>

#include <string>

#include "support/operator_counter.h"

namespace exercises::autograd {
namespace {

// One-element float32 tensor equal to `expected`, printed when it is not, with `why`: what
// probably went wrong and which hint to read.
void expect_scalar_gradient(const torch::Tensor& gradient, float expected,
                            const std::string& why = "(hint 1)") {
  ASSERT_TRUE(gradient.defined())
      << "no gradient: did backward() run on a leaf that requires grad? (hint 1)";
  EXPECT_EQ(gradient.sizes().vec(), std::vector<int64_t>{1});
  EXPECT_EQ(gradient.dtype(), torch::kFloat32);
  EXPECT_FLOAT_EQ(gradient.item<float>(), expected) << gradient << why;
}

TEST(Autograd, CubeGradientAtTwoIsTwelve) {
  course::testing::OperatorCounter filled(
      course::testing::OperatorCounter::named({"torch::autograd::AccumulateGrad"}));
  expect_scalar_gradient(cube_gradient_at(2.0), 12.0f, "(hint 1)");
  EXPECT_EQ(filled.count(), 1)
      << "the gradient must come from autograd: a leaf that requires grad, backward() on x^3, "
         "then the leaf's grad(); 3x^2 written by hand skips the lesson (hint 1)";
}

TEST(Autograd, CubeGradientIsThreeXSquaredElsewhere) {
  expect_scalar_gradient(cube_gradient_at(-1.0), 3.0f);
  expect_scalar_gradient(cube_gradient_at(0.5), 0.75f);
  expect_scalar_gradient(cube_gradient_at(0.0), 0.0f);
}

TEST(Autograd, GradientsAccumulateUntilZeroed) {
  AccumulatedGradients gradients = accumulate_cube_gradients(2.0);
  const std::string live =
      "a value kept from leaf.grad() changed afterwards: grad() is the live buffer that later "
      "backward() calls add into and zero_() clears; keep a copy, leaf.grad().clone() (hint 2)";
  expect_scalar_gradient(gradients.after_first_backward, 12.0f, live);
  expect_scalar_gradient(gradients.after_second_backward, 24.0f, live);  // 12 + 12, not 12
  expect_scalar_gradient(gradients.after_zeroing, 0.0f,
                         "the gradient was not zeroed: zero it in place with leaf.grad().zero_(), "
                         "what optimizer.zero_grad() does for every parameter (hint 2)");
}

TEST(Autograd, SecondBackwardThroughAFreedGraphThrows) {
  // First the case that must work, so that this check cannot pass by throwing anything at all.
  expect_scalar_gradient(backward_twice(2.0, /*retain_graph=*/true), 24.0f);
  try {
    backward_twice(2.0, /*retain_graph=*/false);
    FAIL() << "the second backward() should have thrown: the first one freed the graph. Pass "
              "retain_graph on to the first backward, y.backward({}, retain_graph) (hint 2)";
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

TEST(Autograd, RecomputingTheForwardAllowsASecondBackwardWithoutRetainGraph) {
  // The test holds the leaf and counts the forward passes: the mechanism is checked, not only
  // the value (retain_graph on one graph gives 24 too).
  torch::Tensor leaf = torch::tensor({2.0f}, torch::requires_grad());
  int forward_passes = 0;
  const torch::Tensor gradient = backward_twice_by_recomputing(leaf, [&](const torch::Tensor& x) {
    ++forward_passes;
    return x.pow(3);
  });
  EXPECT_EQ(forward_passes, 2)
      << "build the graph again for the second backward: call forward once per backward pass, "
         "not retain_graph on one graph (hint 2)";
  ASSERT_TRUE(leaf.grad().defined()) << "backward must reach the leaf it was given (hint 2)";
  EXPECT_FLOAT_EQ(leaf.grad().item<float>(), 24.0f) << "12 + 12: the two passes add up (hint 2)";
  ASSERT_TRUE(gradient.defined());
  EXPECT_FLOAT_EQ(gradient.item<float>(), 24.0f);
}

TEST(Autograd, NoGradGuardGivesAResultThatDoesNotRequireGrad) {
  torch::Tensor x = torch::tensor({1.0f, 2.0f, -3.0f}, torch::requires_grad());
  torch::Tensor cubed = cube_without_grad(x);
  EXPECT_FALSE(cubed.requires_grad())
      << "autograd recorded the power: the torch::NoGradGuard must be a named variable that "
         "lives until the return; an unnamed torch::NoGradGuard{} ends at its own semicolon "
         "(hint 3)";
  EXPECT_FALSE(cubed.grad_fn()) << "no graph node should have been recorded";
  EXPECT_TRUE(torch::equal(cubed, torch::tensor({1.0f, 8.0f, -27.0f})));
  EXPECT_TRUE(torch::GradMode::is_enabled()) << "the guard must end with the function";
  EXPECT_TRUE(x.pow(3).requires_grad()) << "outside the guard autograd records again";
}

TEST(Autograd, DetachTurnsAFactorIntoAConstant) {
  // d/dx (x * x) = 2x, but d/dx (x * detach(x)) = detach(x) = x.
  const std::string why =
      ": x * x gives 2x; with x.detach() as the second factor it is a constant and the gradient "
      "is x (hint 1)";
  expect_scalar_gradient(gradient_through_detach(3.0), 3.0f, why);
  expect_scalar_gradient(gradient_through_detach(-0.5), -0.5f, why);
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
  course::testing::OperatorCounter filled(
      course::testing::OperatorCounter::named({"torch::autograd::AccumulateGrad"}));
  torch::Tensor gradient = gradient_by_autograd(x);
  EXPECT_EQ(filled.count(), 1)
      << "the gradient must come from backward() on a leaf copy of x, not from the derivative "
         "written out by hand (hint 4)";
  // d/dx x^2 sin x = 2x sin x + x^2 cos x
  torch::Tensor expected = 2 * x * torch::sin(x) + x.pow(2) * torch::cos(x);
  ASSERT_TRUE(gradient.defined());
  EXPECT_EQ(gradient.sizes(), x.sizes());
  EXPECT_EQ(gradient.dtype(), torch::kFloat64);
  EXPECT_TRUE(torch::allclose(gradient, expected, 1e-12, 1e-12)) << gradient << expected;
  EXPECT_FALSE(x.requires_grad())
      << "the caller's tensor now requires grad: make the leaf from a copy, "
         "x.detach().clone().requires_grad_(true) (hint 4)";
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
  EXPECT_EQ(by_differences.dtype(), torch::kFloat64)
      << "estimate in float64, whatever x is: float32 rounding swamps a small eps (hint 5)";
  EXPECT_TRUE(torch::allclose(by_differences, exact, 1e-6, 1e-6)) << by_differences << exact;
}

}  // namespace
}  // namespace exercises::autograd
