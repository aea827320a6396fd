#!/usr/bin/python3
"""Exercise 01 in PyTorch-Python: the twin of main.cpp, section by section, with the same
numbers for the same --seed. Each line is the Python that solution/tensors.cpp mirrors in C++.

    /usr/bin/python3 exercises/01_tensors/main.py [--seed 42] [--threads 1]
    tools/parity/parity.py --cpp build/solutions/bin/ex01_tensors --python exercises/01_tensors/main.py
"""
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                                "python"))
from course_lesson import Lesson, apply_common_options, parser, shape, show, tr, trf  # noqa: E402


def describe(tensor):
    """"[[1, 2, 3], [4, 5, 6]]  torch.float32, shape 2x3, cpu" (main.cpp's describe())."""
    return trf("{}  {}, shape {}, {}", show(tensor), tensor.dtype, shape(tensor), tensor.device)


def best_milliseconds(repeats, work):
    """Milliseconds that work() takes, best of `repeats` runs (the best is the least noisy)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def multiply_in_loop_order(a, b):
    """a @ b summed as the C++'s three loops sum it: sum += a[i][k] * b[k][j] for k = 0, 1, ...,
    in float32. The loop over k stays; i and j run as whole-tensor operations (the same products,
    added in the same order), since 256^3 steps of a Python loop would take minutes."""
    result = torch.zeros(a.shape[0], b.shape[1])
    for k in range(a.shape[1]):
        result += a[:, k:k + 1] * b[k:k + 1, :]
    return result


def triple_loop_row(a, b, i):
    """Row i of a @ b with three plain Python loops (the C++'s multiply_with_loops, one row)."""
    row = []
    for j in range(len(b[0])):
        total = 0.0
        for k in range(len(b)):
            total += a[i][k] * b[k][j]
        row.append(total)
    return row


def main():
    options = parser("Exercise 01: create tensors, move them, combine them, reshape them",
                     data=False).parse_args()
    device = apply_common_options(options)  # torch.manual_seed(seed), set_num_threads, device
    lesson = Lesson("Exercise 01: tensors")

    with lesson.section("Creating tensors"):
        print("torch.tensor([[1., 2., 3.], [4., 5., 6.]]) ->",
              describe(torch.tensor([[1., 2., 3.], [4., 5., 6.]])))
        print("torch.zeros(2, 3)                         ->", describe(torch.zeros(2, 3)))
        print("torch.ones(4, dtype=torch.int64)          ->",
              describe(torch.ones(4, dtype=torch.int64)))
        print("torch.arange(5)                           ->", describe(torch.arange(5)))

    with lesson.section("Random numbers with a seed"):
        torch.manual_seed(options.seed)  # ex::seeded_normal(seed, 2, 3)
        first = torch.randn(2, 3)
        torch.manual_seed(options.seed)
        again = torch.randn(2, 3)
        print(f"torch.manual_seed({options.seed}); torch.randn(2, 3) -> {show(first)}")
        print(trf("the same seed again gives the same numbers: {}", torch.equal(first, again)))

    # C++'s std::vector + torch::from_blob is Python's NumPy array + torch.from_numpy.
    with lesson.section("From a std::vector (NumPy's role in C++)"):
        values = np.array([1.0, 2.0, 3.0], dtype=np.float32)
        shared = torch.from_numpy(values)  # ex::view_of_vector: shares the array's memory
        owned = torch.tensor(values)  # ex::copy_of_vector: a copy of its own
        values[0] = 100.0
        print(trf("after values[0] = 100: torch.from_numpy view {} | torch.tensor copy {}",
                  show(shared), show(owned)))
        print(tr("the view shares the array's memory: a change to either shows in both"))

    with lesson.section("dtype and device"):
        doubles = torch.tensor([[1., 2., 3.], [4., 5., 6.]]).to(torch.float64)
        print(trf(".to(torch.float64) -> {} ({} bytes per element)", describe(doubles),
                  doubles.element_size()))
        print(".to(device)        ->", describe(doubles.to(device)))

    with lesson.section("Element-wise operations and broadcasting"):
        a = torch.tensor([1.0, 2.0, 3.0])
        b = torch.tensor([3.0, 2.0, 1.0])
        print(f"a = {show(a)}, b = {show(b)}: (a - b) ** 2 -> {show((a - b) ** 2)}")
        column = torch.tensor([0.0, 10.0, 20.0])
        row = torch.arange(4, dtype=torch.float32)
        print(trf("column[:, None] + row, shapes [3] and [4] -> {}",
                  describe(column[:, None] + row)))

    with lesson.section("Reductions"):
        m = torch.tensor([[1.0, 8.0, 3.0], [4.0, 2.0, 6.0]])
        values, indices = m.max(dim=1)
        print(f"m = {show(m)}")
        print(f"m.sum().item() {m.sum().item()} | m.mean(dim=0) {show(m.mean(dim=0))} | "
              f"m.max(dim=1): values {show(values)}, indices {show(indices)}")

    with lesson.section("Matrix product: torch::matmul against three plain loops"):
        n = 256
        a = torch.randn(n, n)
        b = torch.randn(n, n)
        product = a @ b  # torch::matmul(a, b)
        from_loops = multiply_in_loop_order(a, b)
        print(trf("{0}x{0} @ {0}x{0} on the CPU: largest difference {1:.2e}, allclose: {2}", n,
                  (product - from_loops).abs().max().item(),
                  torch.allclose(product, from_loops, 1e-4, 1e-4)))
        torch_ms = best_milliseconds(5, lambda: a @ b)
        a_list, b_list = a.tolist(), b.tolist()
        loops_ms = best_milliseconds(1, lambda: triple_loop_row(a_list, b_list, 0)) * n
        print(trf("torch.matmul {:.3f} ms | plain Python loops {:.3f} ms (one row timed, times "
                  "the rows) | {:.0f}x (one run, not a benchmark)", torch_ms, loops_ms,
                  loops_ms / torch_ms))

    with lesson.section("Views and copies"):
        matrix = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        flat = matrix.view(-1)  # shares the matrix's memory
        flat[0] = -1.0
        print(trf("view(-1) shares memory: after flat[0] = -1, the matrix is {}", show(matrix)))
        transposed = matrix.t().reshape(-1)  # view() refuses the transpose; reshape() copies
        print(trf("t() is contiguous: {} | t().reshape(-1) -> {}, new memory: {}",
                  matrix.t().is_contiguous(), show(transposed),
                  transposed.data_ptr() != matrix.data_ptr()))

    with lesson.section("In-place operations"):
        tensor = torch.zeros(3)
        before = tensor.data_ptr()
        tensor.add_(2.5)
        print(trf("zeros(3).add_(2.5) -> {}, same memory: {}", show(tensor),
                  tensor.data_ptr() == before))

    return lesson.finish()


if __name__ == "__main__":
    sys.exit(main())
