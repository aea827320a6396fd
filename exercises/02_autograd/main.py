#!/usr/bin/python3
"""Exercise 02 in PyTorch-Python: the twin of main.cpp, section by section, with the same
numbers for the same --seed. Each function is the Python that solution/autograd.cpp mirrors.

    /usr/bin/python3 exercises/02_autograd/main.py [--seed 42] [--threads 1]
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                                "python"))
from course_lesson import Lesson, apply_common_options, parser, show, tr, trf, trn  # noqa: E402


def cube_gradient_at(x):
    x = torch.tensor([x], requires_grad=True)
    y = x ** 3
    y.backward()  # y has one element, so backward() needs no gradient argument
    return x.grad


def backward_twice(x, retain_graph):
    x = torch.tensor([x], requires_grad=True)
    y = x ** 3
    y.backward(retain_graph=retain_graph)
    y.backward()  # raises RuntimeError when the first call freed the graph
    return x.grad


def grad_fn_name(tensor):
    return type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else "None"


def double_until_large(x):
    x = torch.tensor([float(x)], requires_grad=True)
    y, steps = x, 0
    while y.abs().item() < 100:  # the data decide how many times this runs
        y = y * 2
        steps += 1
    y.backward()
    return steps, x.grad


def f(x):
    """sum(x^2 sin x), the function both gradients differentiate."""
    return (x ** 2 * torch.sin(x)).sum()


def gradient_by_finite_differences(x, eps=1e-6):
    """Central differences in float64, one element at a time, without autograd."""
    with torch.no_grad():
        point = x.detach().to(torch.float64).flatten()
        gradient = torch.zeros_like(point)
        for i in range(point.numel()):
            step = torch.zeros_like(point)
            step[i] = eps
            gradient[i] = (f(point + step).item() - f(point - step).item()) / (2.0 * eps)
    return gradient.view(x.shape)


def main():
    options = parser("Exercise 02: autograd, from y = x^3 to finite differences",
                     data=False).parse_args()
    device = apply_common_options(options)  # torch.manual_seed(seed), set_num_threads, device
    lesson = Lesson("Exercise 02: autograd")

    with lesson.section("requires_grad, backward, grad"):
        print(trf("y = x^3 at x = 2: x.grad = {} (3 * 2^2 = 12)", cube_gradient_at(2.0).item()))

    with lesson.section("Gradients accumulate"):
        x = torch.tensor([2.0], requires_grad=True)
        (x ** 3).backward()
        after_one = x.grad.clone()  # x.grad is the buffer the next backward adds into
        (x ** 3).backward()
        after_two = x.grad.clone()
        x.grad.zero_()
        print(trf("after one backward {} | after two {} | after grad.zero_() {}", after_one.item(),
                  after_two.item(), x.grad.item()))
        print(tr("this is why a training loop calls optimizer.zero_grad() every step"))

    with lesson.section("Backward twice through one graph"):
        print(trf("with retain_graph=true: x.grad = {}", backward_twice(2.0, True).item()))
        try:
            backward_twice(2.0, False)
            print(tr("without retain_graph: no error?! The first backward should free the graph"))
        except RuntimeError as error:  # C++'s c10::Error
            message = str(error)
            print(trf("without retain_graph: RuntimeError, PyTorch said: \"{}\"",
                      message[:message.find(" (")]))

    # C++'s torch::NoGradGuard is Python's `with torch.no_grad():`.
    with lesson.section("torch::NoGradGuard and detach()"):
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with torch.no_grad():
            cubed = x ** 3
        print(trf("x.requires_grad {} | (x^3 under torch.no_grad()).requires_grad {}",
                  x.requires_grad, cubed.requires_grad))
        x = torch.tensor([3.0], requires_grad=True)
        (x * x.detach()).backward()
        print(trf("d/dx (x * x.detach()) at x = 3: {} (x, not 2x)", x.grad.item()))

    with lesson.section("grad_fn: the graph behind a result"):
        x = torch.tensor([2.0], requires_grad=True)
        w = torch.tensor([0.5], requires_grad=True)
        loss = (x ** 3 * w).sum()
        print(f"loss = (x^3 * w).sum(): loss {grad_fn_name(loss)} <- "
              f"{grad_fn_name(x ** 3 * w)} <- {grad_fn_name(x ** 3)} | x: {grad_fn_name(x)}")

    with lesson.section("A graph built as the code runs"):
        for x in (3, -30, 150):
            steps, gradient = double_until_large(x)
            print(trn("x = {:>5}: {} doubling until |y| >= 100, dy/dx = {} (2^{})",
                      "x = {:>5}: {} doublings until |y| >= 100, dy/dx = {} (2^{})", steps,
                      x, steps, gradient.item(), steps))

    with lesson.section("Autograd against finite differences"):
        # Autograd on the selected device (float32); the finite differences on the CPU, float64.
        x = torch.randn(5).to(device)
        leaf = x.detach().clone().requires_grad_(True)
        f(leaf).backward()
        by_autograd = leaf.grad.cpu()
        by_differences = gradient_by_finite_differences(x.cpu())
        print(trf("f(x) = sum(x^2 sin x) at x = {}", show(x)))
        print(trf("  autograd (on {}):  {}", x.device, show(by_autograd)))
        print(trf("  finite differences: {}", show(by_differences)))
        print(trf("largest difference {:.2e} (float32 rounding)",
                  (by_autograd.to(torch.float64) - by_differences).abs().max().item()))

    return lesson.finish()


if __name__ == "__main__":
    sys.exit(main())
