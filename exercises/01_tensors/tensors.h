// Exercise 01: tensors. The functions you write in tensors.cpp, each the C++ side of one line of
// PyTorch-Python (quoted next to it). tests/exercises/tensors_test.cpp checks them.
// (es) Ejercicio 01: tensores. Las funciones que escribes en tensors.cpp, cada una el lado C++ de
// una línea de PyTorch en Python (citada al lado). Las comprueba tests/exercises/tensors_test.cpp.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace exercises::tensors {

// ---- Creating tensors ----------------------------------------------------------------------
// (es) ---- Crear tensores ------------------------------------------------------------------------

// The 2x3 float32 matrix [[1, 2, 3], [4, 5, 6]].
//   torch.tensor([[1., 2., 3.], [4., 5., 6.]])
// (es) La matriz 2x3 float32 [[1, 2, 3], [4, 5, 6]].
//   torch.tensor([[1., 2., 3.], [4., 5., 6.]])
torch::Tensor small_matrix();

// A rows x cols matrix of float32 zeros.       torch.zeros(rows, cols)
// (es) Una matriz de ceros float32 de rows x cols.  torch.zeros(rows, cols)
torch::Tensor zeros_matrix(int64_t rows, int64_t cols);

// n ones of dtype int64.                       torch.ones(n, dtype=torch.int64)
// (es) n unos de dtype int64.                       torch.ones(n, dtype=torch.int64)
torch::Tensor ones_int64(int64_t n);

// 0, 1, ..., n - 1 (int64, like Python).       torch.arange(n)
// (es) 0, 1, ..., n - 1 (int64, como Python).       torch.arange(n)
torch::Tensor count_to(int64_t n);

// Seeds the global generator, then draws a rows x cols standard normal sample.
//   torch.manual_seed(seed); torch.randn(rows, cols)
// (es) Fija la semilla del generador global y después saca una muestra normal estándar de
// rows x cols.
//   torch.manual_seed(seed); torch.randn(rows, cols)
torch::Tensor seeded_normal(uint64_t seed, int64_t rows, int64_t cols);

// n zeros made directly on `device` with dtype `dtype`, in one call: no CPU tensor first that is
// then copied over. One TensorOptions carries both.
//   torch.zeros(n, device=device, dtype=dtype)
// (es) n ceros creados directamente en `device` con dtype `dtype`, en una sola llamada: ningún
// tensor en la CPU que después se copia. Un solo TensorOptions lleva los dos.
//   torch.zeros(n, device=device, dtype=dtype)
torch::Tensor zeros_on(int64_t n, const torch::Device& device, torch::Dtype dtype);

// ---- From a std::vector: the C++ analogue of "from NumPy" -------------------------------------
// (es) ---- Desde un std::vector: lo que en C++ hace las veces de "desde NumPy" -------------------

// A 1-D float32 tensor that SHARES the vector's memory: no copy, so the vector must outlive it.
//   torch.from_numpy(array)
// (es) Un tensor float32 de 1-D que COMPARTE la memoria del vector: sin copia, así que el vector
// tiene que vivir más que el tensor.
//   torch.from_numpy(array)
torch::Tensor view_of_vector(std::vector<float>& values);

// A 1-D float32 tensor with its OWN copy of the values: safe after the vector is gone.
//   torch.tensor(array)            (or torch.from_numpy(array).clone())
// (es) Un tensor float32 de 1-D con su PROPIA copia de los valores: seguro aunque el vector ya no
// exista.
//   torch.tensor(array)            (o torch.from_numpy(array).clone())
torch::Tensor copy_of_vector(const std::vector<float>& values);

// ---- dtype and device ------------------------------------------------------------------------
// (es) ---- dtype y dispositivo -------------------------------------------------------------------

// The same values as float64.                  tensor.to(torch.float64)
// (es) Los mismos valores como float64.             tensor.to(torch.float64)
torch::Tensor as_float64(const torch::Tensor& tensor);

// The same values on `device` (a copy when the device differs).   tensor.to(device)
// (es) Los mismos valores en `device` (una copia si el dispositivo es otro).   tensor.to(device)
torch::Tensor to_device(const torch::Tensor& tensor, const torch::Device& device);

// ---- Operations ------------------------------------------------------------------------------
// (es) ---- Operaciones ---------------------------------------------------------------------------

// Element by element: (a - b) squared.         (a - b) ** 2
// (es) Elemento a elemento: (a - b) al cuadrado.    (a - b) ** 2
torch::Tensor squared_difference(const torch::Tensor& a, const torch::Tensor& b);

// Broadcasting: result[i][j] = column[i] + row[j] for a 1-D column (n) and a 1-D row (m).
//   column[:, None] + row          (the result has shape n x m)
// (es) Broadcasting: result[i][j] = column[i] + row[j] para una columna (n) y una fila (m), las
// dos de 1-D.
//   column[:, None] + row          (el resultado tiene forma n x m)
torch::Tensor outer_sum(const torch::Tensor& column, const torch::Tensor& row);

// Reductions of a 2-D matrix.
// (es) Reducciones de una matriz de 2-D.
struct Summary {
  double total = 0.0;          // matrix.sum().item()
  torch::Tensor column_means;  // matrix.mean(dim=0)
  torch::Tensor row_max;       // values, indices = matrix.max(dim=1)
  torch::Tensor row_argmax;    // (the indices, int64)
                               // (es) (los índices, int64)
};
Summary summarize(const torch::Tensor& matrix);

// The matrix product.                          a @ b         (torch.matmul(a, b))
// (es) El producto de matrices.                     a @ b         (torch.matmul(a, b))
torch::Tensor matrix_product(const torch::Tensor& a, const torch::Tensor& b);

// ---- The same product in plain C++, to compare with torch::matmul ---------------------------
// (es) ---- El mismo producto en C++ puro, para compararlo con torch::matmul ----------------------

// A dense row-major matrix: element (r, c) is values[r * cols + c].
// (es) Una matriz densa, fila tras fila (row-major): el elemento (r, c) es
// values[r * cols + c].
struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<float> values;
  float at(int64_t r, int64_t c) const { return values[static_cast<size_t>(r * cols + c)]; }
};

// a x b with three nested loops. Throws std::invalid_argument when a.cols != b.rows.
//   (what torch.matmul(a, b) computes, without BLAS)
// (es) a x b con tres bucles anidados. Lanza std::invalid_argument cuando a.cols != b.rows.
//   (lo que calcula torch.matmul(a, b), sin BLAS)
Matrix multiply_with_loops(const Matrix& a, const Matrix& b);

// ---- Views and copies ------------------------------------------------------------------------
// (es) ---- Vistas y copias -----------------------------------------------------------------------

// All elements as one dimension, SHARING the tensor's memory.   tensor.view(-1)
// (es) Todos los elementos en una dimensión, COMPARTIENDO la memoria del tensor.   tensor.view(-1)
torch::Tensor flat_view(const torch::Tensor& tensor);

// The transpose, flattened: [[1, 2, 3], [4, 5, 6]] -> [1, 4, 2, 5, 3, 6]. view() needs a shape
// it can express with the tensor's strides, and the transpose's two dimensions cannot be merged
// into one that way, so view() refuses it; reshape() copies when it must.
//   matrix.t().reshape(-1)         (or matrix.t().contiguous().view(-1))
// (es) La transpuesta, aplanada: [[1, 2, 3], [4, 5, 6]] -> [1, 4, 2, 5, 3, 6]. view() necesita
// una forma que se pueda expresar con los strides del tensor, y las dos dimensiones de la
// transpuesta no se pueden fundir en una así, por eso view() la rechaza; reshape() copia cuando
// no le queda otra.
//   matrix.t().reshape(-1)         (o matrix.t().contiguous().view(-1))
torch::Tensor flatten_transpose(const torch::Tensor& matrix);

// ---- In place --------------------------------------------------------------------------------
// (es) ---- In-place ------------------------------------------------------------------------------

// Adds `amount` to every element of `tensor` itself, no new tensor.   tensor.add_(amount)
// (A torch::Tensor is a handle: this copy of the handle points to the caller's data.)
// (es) Suma `amount` a cada elemento del propio `tensor`, sin crear otro.   tensor.add_(amount)
// (Un torch::Tensor es un handle: esta copia del handle apunta a los datos de quien llama.)
void add_in_place(torch::Tensor tensor, double amount);

}  // namespace exercises::tensors
