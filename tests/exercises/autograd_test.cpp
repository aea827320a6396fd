// Exercise 02: autograd, checked against gradients worked out by hand and against finite
// differences. Each test calls the exercise, so each fails until its function is written. Every
// check that fails ends with the course's sentence (support/sentence.h): what came, what was
// expected, the likely cause and the hint of README.md to read.
#include "autograd.h"

#include <ATen/record_function.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>

#include "support/operator_counter.h"
#include "support/sentence.h"

namespace exercises::autograd {
namespace {

using course::N_;
using course::tr;
using course::trf;
using course::trn;
using course::testing::dtype_name;
using course::testing::explain_throw;
using course::testing::sentence;
using course::testing::text_of;

// The largest absolute difference of two tensors, for a sentence.
double largest_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

// `what` (the student's call, as written) must be a one-element float32 tensor equal to
// `expected`; otherwise the course's sentence says what came, and `why`: the likely cause and the
// hint to read. `what` and `why` come translated already (tr), or are code.
void expect_scalar_gradient(const torch::Tensor& gradient, float expected, std::string_view what,
                            std::string_view why) {
  ASSERT_TRUE(gradient.defined())
      << sentence
      << trf("{} returned no gradient (an undefined tensor): backward() must run on a leaf that "
             "requires grad, torch::tensor({{x}}, torch::requires_grad()) (hint 1)",
             what);
  ASSERT_EQ(gradient.numel(), 1) << sentence
                                 << trf("{} returned shape {}, expected one value: {}", what,
                                        text_of(gradient.sizes()), why);
  EXPECT_EQ(gradient.dtype(), torch::kFloat32)
      << sentence
      << trf("{} returned dtype {}, expected float32: {}", what, dtype_name(gradient.dtype()), why);
  EXPECT_FLOAT_EQ(gradient.item<float>(), expected)
      << sentence << trf("{} is {}, expected {}: {}", what, gradient.item<float>(), expected, why);
}

const char* const kCubeWhy =
    N_("the gradient of x^3 is 3x^2: a leaf that requires grad, leaf.pow(3).backward(), then "
       "leaf.grad() (hint 1)");

TEST(Autograd, CubeGradientAtTwoIsTwelve) {
  course::testing::OperatorCounter filled(
      course::testing::OperatorCounter::named({"torch::autograd::AccumulateGrad"}));
  expect_scalar_gradient(cube_gradient_at(2.0), 12.0f, "cube_gradient_at(2)", tr(kCubeWhy));
  EXPECT_EQ(filled.count(), 1)
      << sentence
      << trf("backward() filled {} gradients during cube_gradient_at(2), expected 1: the "
             "gradient must come from autograd, a leaf that requires grad, backward() on x^3, "
             "then the leaf's grad(); 3x^2 written by hand skips the lesson (hint 1)",
             filled.count());
}

TEST(Autograd, CubeGradientIsThreeXSquaredElsewhere) {
  expect_scalar_gradient(cube_gradient_at(-1.0), 3.0f, "cube_gradient_at(-1)", tr(kCubeWhy));
  expect_scalar_gradient(cube_gradient_at(0.5), 0.75f, "cube_gradient_at(0.5)", tr(kCubeWhy));
  expect_scalar_gradient(cube_gradient_at(0.0), 0.0f, "cube_gradient_at(0)", tr(kCubeWhy));
}

TEST(Autograd, GradientsAccumulateUntilZeroed) {
  AccumulatedGradients gradients = accumulate_cube_gradients(2.0);
  const std::string_view live =
      tr("the gradient after backward() must be kept as a copy, leaf.grad().clone(): grad() is "
         "the live buffer that later backward() calls add into and zero_() clears (hint 2)");
  expect_scalar_gradient(gradients.after_first_backward, 12.0f,
                         tr("accumulate_cube_gradients(2)'s after_first_backward"), live);
  expect_scalar_gradient(gradients.after_second_backward, 24.0f,
                         tr("accumulate_cube_gradients(2)'s after_second_backward (12 + 12)"),
                         trf("a second backward() adds into the same buffer; {}", live));
  expect_scalar_gradient(gradients.after_zeroing, 0.0f,
                         tr("accumulate_cube_gradients(2)'s after_zeroing"),
                         tr("the gradient was not zeroed: zero it in place with "
                            "leaf.grad().zero_(), what optimizer.zero_grad() does for every "
                            "parameter (hint 2)"));
}

TEST(Autograd, SecondBackwardThroughAFreedGraphThrows) {
  // First the case that must work, so that this check cannot pass by throwing anything at all.
  const std::string_view why =
      tr("the first backward keeps the graph only when asked, y.backward({}, retain_graph); the "
         "second is plain y.backward() (hint 2)");
  expect_scalar_gradient(
      explain_throw([] { return backward_twice(2.0, /*retain_graph=*/true); },
                    trf("{} threw: {}", "backward_twice(2, retain_graph=true)", why)),
      24.0f, "backward_twice(2, retain_graph=true)", why);
  std::string thrown;
  try {
    backward_twice(2.0, /*retain_graph=*/false);
  } catch (const c10::Error& e) {
    thrown = e.what_without_backtrace();
  }
  ASSERT_FALSE(thrown.empty())
      << sentence
      << tr("backward_twice(2, retain_graph=false) did not throw: the first backward() must free "
            "the graph, so pass retain_graph on to it, y.backward({}, retain_graph), and do not "
            "catch the error (hint 2)");
  EXPECT_NE(thrown.find("backward through the graph a second time"), std::string::npos)
      << sentence
      << trf("backward_twice(2, retain_graph=false) threw another error than the freed graph's: "
             "{} (hint 2)",
             thrown.substr(0, thrown.find('\n')));
}

TEST(Autograd, RetainGraphAllowsASecondBackward) {
  const std::string_view why =
      tr("keep the graph for the second backward, y.backward({}, retain_graph), and the two "
         "gradients add up (hint 2)");
  expect_scalar_gradient(
      explain_throw([] { return backward_twice(2.0, true); },
                    trf("{} threw: {}", "backward_twice(2, retain_graph=true)", why)),
      24.0f, "backward_twice(2, retain_graph=true)", why);
  expect_scalar_gradient(
      explain_throw([] { return backward_twice(-3.0, true); },
                    trf("{} threw: {}", "backward_twice(-3, retain_graph=true)", why)),
      54.0f, "backward_twice(-3, retain_graph=true) (2 * 3 * 9)", why);
}

TEST(Autograd, RecomputingTheForwardAllowsASecondBackwardWithoutRetainGraph) {
  // The test holds the leaf and counts the forward passes: the mechanism is checked, not only
  // the value (retain_graph on one graph gives 24 too).
  const std::string_view why =
      tr("call forward once per backward pass, forward(leaf).backward() twice, not retain_graph "
         "on one graph (hint 2)");
  torch::Tensor leaf = torch::tensor({2.0f}, torch::requires_grad());
  int forward_passes = 0;
  const torch::Tensor gradient = explain_throw(
      [&] {
        return backward_twice_by_recomputing(leaf, [&](const torch::Tensor& x) {
          ++forward_passes;
          return x.pow(3);
        });
      },
      trf("{} threw: {}", "backward_twice_by_recomputing", why));
  EXPECT_EQ(forward_passes, 2)
      << sentence
      << trn("backward_twice_by_recomputing ran the forward {} time, expected 2: build the graph "
             "again for the second backward; {}",
             "backward_twice_by_recomputing ran the forward {} times, expected 2: build the graph "
             "again for the second backward; {}",
             forward_passes, forward_passes, why);
  ASSERT_TRUE(leaf.grad().defined())
      << sentence
      << trf("the leaf given to backward_twice_by_recomputing has no gradient: backward must "
             "reach the leaf it was given; {}",
             why);
  EXPECT_FLOAT_EQ(leaf.grad().item<float>(), 24.0f)
      << sentence
      << trf("the leaf's gradient is {}, expected 24 (12 + 12, the two passes add up): {}",
             leaf.grad().item<float>(), why);
  expect_scalar_gradient(gradient, 24.0f, tr("backward_twice_by_recomputing's result"),
                         trf("return leaf.grad() after both passes; {}", why));
}

TEST(Autograd, NoGradGuardGivesAResultThatDoesNotRequireGrad) {
  const std::string_view why =
      tr("the torch::NoGradGuard must be a named variable that lives until the return; an "
         "unnamed torch::NoGradGuard{} ends at its own semicolon (hint 3)");
  torch::Tensor x = torch::tensor({1.0f, 2.0f, -3.0f}, torch::requires_grad());
  torch::Tensor cubed = cube_without_grad(x);
  EXPECT_FALSE(cubed.requires_grad())
      << sentence
      << trf("cube_without_grad's result requires grad, so autograd recorded the power: {}", why);
  EXPECT_FALSE(cubed.grad_fn()) << sentence
                                << trf("cube_without_grad's result has the graph node {}: {}",
                                       cubed.grad_fn()->name(), why);
  EXPECT_TRUE(torch::equal(cubed.detach(), torch::tensor({1.0f, 8.0f, -27.0f})))
      << sentence
      << tr("cube_without_grad({1, 2, -3}) is not {1, 8, -27}: return x.pow(3) (hint 3)");
  EXPECT_TRUE(torch::GradMode::is_enabled())
      << sentence
      << tr("autograd is still off after cube_without_grad returned: a guard switches it off "
            "only until the end of its { }, never with GradMode::set_enabled (hint 3)");
  EXPECT_TRUE(x.pow(3).requires_grad())
      << sentence << tr("outside cube_without_grad autograd must record again (hint 3)");
}

TEST(Autograd, DetachTurnsAFactorIntoAConstant) {
  // d/dx (x * x) = 2x, but d/dx (x * detach(x)) = detach(x) = x.
  const std::string_view why =
      tr("x * x gives 2x; with x.detach() as the second factor it is a constant and the gradient "
         "is x (hint 1)");
  expect_scalar_gradient(gradient_through_detach(3.0), 3.0f, "gradient_through_detach(3)", why);
  expect_scalar_gradient(gradient_through_detach(-0.5), -0.5f, "gradient_through_detach(-0.5)",
                         why);
}

TEST(Autograd, GradFnNamesTheOperationThatMadeATensor) {
  const std::string_view why =
      tr("tensor.grad_fn() is null for a leaf, else its name(): tensor.grad_fn() ? "
         "tensor.grad_fn()->name() : \"None\" (hint 3)");
  torch::Tensor x = torch::tensor({2.0f}, torch::requires_grad());
  torch::Tensor y = torch::tensor({3.0f}, torch::requires_grad());
  struct Case {
    const char* what;
    torch::Tensor tensor;
    const char* expected;
  };
  // `what` is code, or English to translate (N_).
  const Case cases[] = {
      {"x.pow(3)", x.pow(3), "PowBackward0"}, {"x * y", x * y, "MulBackward0"},
      {"x + y", x + y, "AddBackward0"},       {"(x * y).sum()", (x * y).sum(), "SumBackward0"},
      {N_("the leaf x"), x, "None"},          {"x.detach() * 2", x.detach() * 2, "None"}};
  for (const Case& c : cases) {
    const std::string call = "grad_fn_name(" + std::string(tr(c.what)) + ")";
    const std::string name =
        explain_throw([&] { return grad_fn_name(c.tensor); }, trf("{} threw: {}", call, why));
    EXPECT_EQ(name, c.expected) << sentence
                                << trf("{} is \"{}\", expected \"{}\": {}", call, name, c.expected,
                                       why);
  }
}

TEST(Autograd, ALoopWhoseLengthDependsOnTheDataIsDifferentiatedStepByStep) {
  const std::string_view why =
      tr("double a tensor y, starting at a leaf x that requires grad, while "
         "y.abs().item<double>() < 100, counting the steps, then y.backward(): the gradient is "
         "x's grad(), 2^steps; stay in tensors inside the loop, since a number taken out with "
         "item() and put back in a new tensor cuts the graph (hint 6)");
  struct Case {
    double x;
    int64_t steps;  // doublings until |y| >= 100
  };
  for (const Case c : {Case{3.0, 6}, Case{0.5, 8}, Case{-30.0, 2}, Case{150.0, 0}}) {
    course::testing::OperatorCounter filled(
        course::testing::OperatorCounter::named({"torch::autograd::AccumulateGrad"}));
    const std::string what = "double_until_large(" + std::to_string(c.x).substr(0, 5) + ")";
    const DynamicGradient result =
        explain_throw([&] { return double_until_large(c.x); }, trf("{} threw: {}", what, why));
    EXPECT_EQ(result.steps, c.steps)
        << sentence
        << trn("{} counted {} doubling, expected {} (until |y| >= 100): {}",
               "{} counted {} doublings, expected {} (until |y| >= 100): {}", result.steps, what,
               result.steps, c.steps, why);
    expect_scalar_gradient(result.gradient, static_cast<float>(std::pow(2.0, c.steps)),
                           trf("{}'s gradient (2^{})", what, c.steps), why);
    EXPECT_EQ(filled.count(), 1)
        << sentence
        << trf("backward() filled {} gradients during {}, expected 1: the gradient must come "
               "from autograd through the steps that ran, not 2^steps written by hand; {}",
               filled.count(), what, why);
    if (HasFailure()) return;
  }
}

TEST(Autograd, AutogradGradientMatchesTheDerivativeWorkedOutByHand) {
  const std::string_view why =
      tr("make a leaf from a copy, x.detach().clone().requires_grad_(true), call backward() on "
         "sum_of_squares_times_sine(leaf) and return leaf.grad() (hint 4)");
  torch::Tensor x = torch::tensor({-2.0, -0.5, 0.0, 1.0, 2.5}, torch::kFloat64);
  course::testing::OperatorCounter filled(
      course::testing::OperatorCounter::named({"torch::autograd::AccumulateGrad"}));
  torch::Tensor gradient = gradient_by_autograd(x);
  EXPECT_EQ(filled.count(), 1)
      << sentence
      << trf("backward() filled {} gradients during gradient_by_autograd, expected 1: the "
             "gradient must come from backward() on a leaf copy of x, not from the derivative "
             "written out by hand (hint 4)",
             filled.count());
  // d/dx x^2 sin x = 2x sin x + x^2 cos x
  torch::Tensor expected = 2 * x * torch::sin(x) + x.pow(2) * torch::cos(x);
  ASSERT_TRUE(gradient.defined()) << sentence
                                  << trf("gradient_by_autograd returned an undefined tensor: {}",
                                         why);
  ASSERT_EQ(gradient.sizes(), x.sizes())
      << sentence
      << trf("gradient_by_autograd returned shape {} for x of shape {}: {}",
             text_of(gradient.sizes()), text_of(x.sizes()), why);
  EXPECT_EQ(gradient.dtype(), torch::kFloat64)
      << sentence
      << trf("gradient_by_autograd returned dtype {} for a float64 x: keep x's dtype; {}",
             dtype_name(gradient.dtype()), why);
  EXPECT_TRUE(torch::allclose(gradient.to(torch::kFloat64), expected, 1e-12, 1e-12))
      << sentence
      << trf("gradient_by_autograd differs from 2x sin x + x^2 cos x by up to {:.4g}: {}",
             largest_difference(gradient, expected), why);
  EXPECT_FALSE(x.requires_grad())
      << sentence
      << tr("the caller's tensor now requires grad: make the leaf from a copy, "
            "x.detach().clone().requires_grad_(true) (hint 4)");
}

TEST(Autograd, FiniteDifferencesMatchAutograd) {
  const std::string_view why =
      tr("for each element, (f(x + eps) - f(x - eps)) / (2 eps) in float64, with the step at "
         "that element alone (hint 5)");
  torch::manual_seed(0);
  torch::Tensor x = torch::randn({2, 3}, torch::kFloat64);
  torch::Tensor by_autograd = gradient_by_autograd(x);
  torch::Tensor by_differences = gradient_by_finite_differences(x, 1e-6);
  ASSERT_EQ(by_differences.sizes(), x.sizes())
      << sentence
      << trf("gradient_by_finite_differences returned shape {} for x of shape {}: give it x's "
             "shape, gradient.view(x.sizes()); {}",
             text_of(by_differences.sizes()), text_of(x.sizes()), why);
  EXPECT_EQ(by_differences.dtype(), torch::kFloat64)
      << sentence
      << trf("gradient_by_finite_differences returned dtype {}, expected float64: {}",
             dtype_name(by_differences.dtype()), why);
  // Central differences: error ~ eps^2 from the formula plus ~1e-16 / eps from rounding.
  EXPECT_TRUE(torch::allclose(by_differences.to(torch::kFloat64), by_autograd, 1e-6, 1e-7))
      << sentence
      << trf("gradient_by_finite_differences differs from autograd by up to {:.4g} on a 2x3 "
             "float64 x: {}",
             largest_difference(by_differences, by_autograd), why);
}

TEST(Autograd, FiniteDifferencesWorkOnFloat32Input) {
  torch::Tensor x = torch::tensor({0.3f, -1.2f, 2.0f});
  torch::Tensor by_differences = gradient_by_finite_differences(x, 1e-6);
  torch::Tensor exact = gradient_by_autograd(x.to(torch::kFloat64));
  EXPECT_EQ(by_differences.dtype(), torch::kFloat64)
      << sentence
      << trf("gradient_by_finite_differences of a float32 x returned dtype {}: estimate in "
             "float64, whatever x is, x.detach().to(torch::kFloat64), since float32 rounding "
             "swamps a small eps (hint 5)",
             dtype_name(by_differences.dtype()));
  EXPECT_TRUE(torch::allclose(by_differences.to(torch::kFloat64), exact, 1e-6, 1e-6))
      << sentence
      << trf("gradient_by_finite_differences of a float32 x differs from autograd by up to "
             "{:.4g}: estimate in float64, x.detach().to(torch::kFloat64), since float32 "
             "rounding swamps a small eps (hint 5)",
             largest_difference(by_differences, exact));
}

}  // namespace
}  // namespace exercises::autograd
