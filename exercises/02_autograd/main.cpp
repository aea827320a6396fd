// ex02_autograd: the lesson of exercise 02, section by section (in the manner of
// pytorch/examples' cpp/autograd). Each section calls the functions you write in autograd.cpp;
// an unfinished one prints a TODO line.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "autograd.h"
#include "common/cli.h"
#include "common/language.h"
#include "common/lesson.h"

using course::show;
using course::trf;
using course::trn;
namespace ex = exercises::autograd;

int main(int argc, char** argv) {
  CLI::App app{std::string(course::tr("Exercise 02: autograd, from y = x^3 to finite differences")),
               "ex02_autograd"};
  course::CommonOptions options;
  course::add_common_options(app, options);  // --data-dir is accepted; this lesson reads no data
  return course::run_main(app, argc, argv, [&] {
    const torch::Device device = course::apply_common_options(options);
    course::Lesson lesson("Exercise 02: autograd");

    lesson.section("requires_grad, backward, grad", [&] {
      torch::Tensor gradient = ex::cube_gradient_at(2.0);
      fmt::print("{}\n",
                 trf("y = x^3 at x = 2: x.grad = {} (3 * 2^2 = 12)", gradient.item<float>()));
    });

    lesson.section("Gradients accumulate", [&] {
      ex::AccumulatedGradients gradients = ex::accumulate_cube_gradients(2.0);
      fmt::print("{}\n", trf("after one backward {} | after two {} | after grad.zero_() {}",
                             gradients.after_first_backward.item<float>(),
                             gradients.after_second_backward.item<float>(),
                             gradients.after_zeroing.item<float>()));
      fmt::print("{}\n",
                 course::tr("this is why a training loop calls optimizer.zero_grad() every step"));
    });

    lesson.section("Backward twice through one graph", [&] {
      fmt::print("{}\n", trf("with retain_graph=true: x.grad = {}",
                             ex::backward_twice(2.0, /*retain_graph=*/true).item<float>()));
      try {
        ex::backward_twice(2.0, /*retain_graph=*/false);
        fmt::print("{}\n", course::tr("without retain_graph: no error?! The first backward should "
                                      "free the graph"));
      } catch (const c10::Error& e) {
        const std::string message = e.what_without_backtrace();
        // LibTorch's own message stays in English, as LibTorch prints it.
        fmt::print(
            "{}\n",
            trf("without retain_graph: c10::Error (RuntimeError in Python), LibTorch said: \"{}\"",
                message.substr(0, message.find(" ("))));
      }
    });

    lesson.section("torch::NoGradGuard and detach()", [&] {
      torch::Tensor x = torch::tensor({1.0f, 2.0f, 3.0f}, torch::requires_grad());
      torch::Tensor cubed = ex::cube_without_grad(x);
      fmt::print("{}\n", trf("x.requires_grad() {} | (x^3 under NoGradGuard).requires_grad() {}",
                             x.requires_grad(), cubed.requires_grad()));
      fmt::print("{}\n", trf("d/dx (x * x.detach()) at x = 3: {} (x, not 2x)",
                             ex::gradient_through_detach(3.0).item<float>()));
    });

    lesson.section("grad_fn: the graph behind a result", [&] {
      torch::Tensor x = torch::tensor({2.0f}, torch::requires_grad());
      torch::Tensor w = torch::tensor({0.5f}, torch::requires_grad());
      torch::Tensor loss = (x.pow(3) * w).sum();
      fmt::print("loss = (x^3 * w).sum(): loss {} <- {} <- {} | x: {}\n", ex::grad_fn_name(loss),
                 ex::grad_fn_name(x.pow(3) * w), ex::grad_fn_name(x.pow(3)), ex::grad_fn_name(x));
    });

    lesson.section("A graph built as the code runs", [&] {
      for (const double x : {3.0, -30.0, 150.0}) {
        const ex::DynamicGradient result = ex::double_until_large(x);
        fmt::print("{}\n",
                   trn("x = {:>5}: {} doubling until |y| >= 100, dy/dx = {} (2^{})",
                       "x = {:>5}: {} doublings until |y| >= 100, dy/dx = {} (2^{})", result.steps,
                       x, result.steps, result.gradient.item<float>(), result.steps));
      }
    });

    lesson.section("Autograd against finite differences", [&] {
      // Autograd runs on the selected device (float32, which every device supports); the
      // finite differences run on the CPU in float64.
      torch::Tensor x = torch::randn({5}).to(device);
      torch::Tensor by_autograd = ex::gradient_by_autograd(x).cpu();
      torch::Tensor by_differences = ex::gradient_by_finite_differences(x.cpu());
      fmt::print("{}\n", trf("f(x) = sum(x^2 sin x) at x = {}", show(x)));
      fmt::print("{}\n", trf("  autograd (on {}):  {}", x.device().str(), show(by_autograd)));
      fmt::print("{}\n", trf("  finite differences: {}", show(by_differences)));
      fmt::print(
          "{}\n",
          trf("largest difference {:.2e} (float32 rounding)",
              (by_autograd.to(torch::kFloat64) - by_differences).abs().max().item<double>()));
    });

    return lesson.finish();
  });
}
