// Exercise 02: autograd. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code. Check your work with
//   cmake --build --preset student && ctest --preset student -L 02_autograd
// and run build/student/bin/ex02_autograd to see the lesson. Hints: README.md, "## Hints".
#include "autograd.h"

#include "common/lesson.h"

namespace exercises::autograd {

torch::Tensor cube_gradient_at([[maybe_unused]] double x) {
  // TODO: make a leaf tensor that requires grad: torch::tensor({x}, torch::requires_grad());
  //   compute y = leaf.pow(3); call y.backward(); return leaf.grad().
  //   Python: x = torch.tensor([x], requires_grad=True); y = x ** 3; y.backward(); x.grad
  course::not_implemented("02_autograd", "cube_gradient_at");
}

AccumulatedGradients accumulate_cube_gradients([[maybe_unused]] double x) {
  // TODO: with one leaf (as in cube_gradient_at), do twice: leaf.pow(3).backward(), and store
  //   leaf.grad().clone() in the next field of the result (after_first_backward, then
  //   after_second_backward). Then zero the gradient in place with leaf.grad().zero_() and
  //   store leaf.grad().clone() in after_zeroing. clone(): grad() is a live buffer that later
  //   calls overwrite.
  //   Python: for _ in range(2): (x ** 3).backward(); saved.append(x.grad.clone())
  //           x.grad.zero_()
  course::not_implemented("02_autograd", "accumulate_cube_gradients");
}

torch::Tensor backward_twice([[maybe_unused]] double x, [[maybe_unused]] bool retain_graph) {
  // TODO: make the leaf, build y = leaf.pow(3) ONCE, then call y.backward({}, retain_graph)
  //   (the first argument, {}, is the default gradient) and then y.backward() again on the same
  //   y. Return leaf.grad(). Do not catch anything: with retain_graph == false the second call
  //   must throw, and the checks expect it to.
  //   Python: y = x ** 3; y.backward(retain_graph=retain_graph); y.backward(); x.grad
  course::not_implemented("02_autograd", "backward_twice");
}

torch::Tensor cube_without_grad([[maybe_unused]] const torch::Tensor& x) {
  // TODO: declare a torch::NoGradGuard variable; while it lives no graph is recorded.
  //   Then return x.pow(3).
  //   Python: with torch.no_grad(): return x ** 3
  course::not_implemented("02_autograd", "cube_without_grad");
}

torch::Tensor gradient_through_detach([[maybe_unused]] double x) {
  // TODO: make the leaf, call (leaf * leaf.detach()).backward() and return leaf.grad().
  //   The detached factor counts as a constant, so the result is x, not 2x.
  //   Python: x = torch.tensor([x], requires_grad=True); (x * x.detach()).backward(); x.grad
  course::not_implemented("02_autograd", "gradient_through_detach");
}

std::string grad_fn_name([[maybe_unused]] const torch::Tensor& tensor) {
  // TODO: tensor.grad_fn() is a pointer to the graph node that made the tensor, or null.
  //   Return its ->name() when it is not null, else "None".
  //   Python: type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else "None"
  course::not_implemented("02_autograd", "grad_fn_name");
}

torch::Tensor gradient_by_autograd([[maybe_unused]] const torch::Tensor& x) {
  // TODO: make a leaf copy that requires grad: x.detach().clone().requires_grad_(true);
  //   call sum_of_squares_times_sine(leaf).backward() and return leaf.grad().
  //   Python: x = x.detach().clone().requires_grad_(True); f(x).backward(); x.grad
  course::not_implemented("02_autograd", "gradient_by_autograd");
}

torch::Tensor gradient_by_finite_differences([[maybe_unused]] const torch::Tensor& x,
                                             [[maybe_unused]] double eps) {
  // TODO: estimate the same gradient without autograd, in float64:
  //   1. torch::NoGradGuard (no graph needed); point = x.detach().to(torch::kFloat64).flatten();
  //   2. gradient = torch::zeros_like(point);
  //   3. for each i: step = torch::zeros_like(point); step[i] = eps;
  //      gradient[i] = (f(point + step) - f(point - step)) / (2 * eps), where f is
  //      sum_of_squares_times_sine and .item<double>() turns its result into a double;
  //   4. return gradient.view(x.sizes()), so the result has x's shape.
  //   Python: (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps) for each unit vector e_i
  course::not_implemented("02_autograd", "gradient_by_finite_differences");
}

}  // namespace exercises::autograd
