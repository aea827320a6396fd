// Exercise 01: tensors. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code. Check your work with
//   tools/course/bin/course check 01_tensors     (stuck? `course hint 01_tensors`)
// and run build/student/bin/ex01_tensors to see the lesson. Hints: README.md, "## Hints".
// (es) Ejercicio 01: tensores. Completa cada función de abajo: reemplaza el TODO y la línea
// course::not_implemented(...) por tu código. Comprueba tu trabajo con
//   tools/course/bin/course check 01_tensors     (¿no te sale? `course hint 01_tensors`)
// y corre build/student/bin/ex01_tensors para ver la lección. Pistas: README.es.md, "## Pistas".
#include "tensors.h"

#include <stdexcept>

#include "common/lesson.h"

namespace exercises::tensors {

torch::Tensor small_matrix() {
  // TODO: the 2x3 float32 matrix [[1, 2, 3], [4, 5, 6]]. Mind the dtype: which literals give
  //   float32, and which give int64?
  //   Python: torch.tensor([[1., 2., 3.], [4., 5., 6.]])
  //   Hint 1.
  // (es) TODO: la matriz 2x3 float32 [[1, 2, 3], [4, 5, 6]]. Ojo con el dtype: ¿qué literales
  //   dan float32 y cuáles dan int64?
  //   Python: torch.tensor([[1., 2., 3.], [4., 5., 6.]])
  //   Pista 1.
  course::not_implemented("01_tensors", "small_matrix");
}

torch::Tensor zeros_matrix([[maybe_unused]] int64_t rows, [[maybe_unused]] int64_t cols) {
  // TODO: a rows x cols matrix of zeros.
  //   Python: torch.zeros(rows, cols)
  //   Hint 1.
  // (es) TODO: una matriz de ceros de rows x cols.
  //   Python: torch.zeros(rows, cols)
  //   Pista 1.
  course::not_implemented("01_tensors", "zeros_matrix");
}

torch::Tensor ones_int64([[maybe_unused]] int64_t n) {
  // TODO: n ones whose dtype is int64.
  //   Python: torch.ones(n, dtype=torch.int64)
  //   Hint 1.
  // (es) TODO: n unos cuyo dtype es int64.
  //   Python: torch.ones(n, dtype=torch.int64)
  //   Pista 1.
  course::not_implemented("01_tensors", "ones_int64");
}

torch::Tensor count_to([[maybe_unused]] int64_t n) {
  // TODO: 0, 1, ..., n - 1, as int64.
  //   Python: torch.arange(n)
  //   Hint 1.
  // (es) TODO: 0, 1, ..., n - 1, como int64.
  //   Python: torch.arange(n)
  //   Pista 1.
  course::not_implemented("01_tensors", "count_to");
}

torch::Tensor seeded_normal([[maybe_unused]] uint64_t seed, [[maybe_unused]] int64_t rows,
                            [[maybe_unused]] int64_t cols) {
  // TODO: seed the global generator, then draw a rows x cols standard normal sample. The order
  //   of the two matters.
  //   Python: torch.manual_seed(seed); torch.randn(rows, cols)
  //   Hint 1.
  // (es) TODO: fija la semilla del generador global y después saca una muestra normal estándar
  //   de rows x cols. El orden de los dos pasos importa.
  //   Python: torch.manual_seed(seed); torch.randn(rows, cols)
  //   Pista 1.
  course::not_implemented("01_tensors", "seeded_normal");
}

torch::Tensor zeros_on([[maybe_unused]] int64_t n, [[maybe_unused]] const torch::Device& device,
                       [[maybe_unused]] torch::Dtype dtype) {
  // TODO: n zeros created directly on `device` with the dtype `dtype`, in one call (not made on
  //   the CPU and moved afterwards): both go into the tensor options of the factory.
  //   Python: torch.zeros(n, device=device, dtype=dtype)
  //   Hint 2.
  // (es) TODO: n ceros creados directamente en `device` con el dtype `dtype`, en una sola
  //   llamada (no creados en la CPU y movidos después): los dos van en las opciones del tensor
  //   (TensorOptions) de la función que lo crea.
  //   Python: torch.zeros(n, device=device, dtype=dtype)
  //   Pista 2.
  course::not_implemented("01_tensors", "zeros_on");
}

torch::Tensor view_of_vector([[maybe_unused]] std::vector<float>& values) {
  // TODO: a 1-D float32 tensor over the vector's own memory, without copying it. The tensor
  //   does not own that memory: it is only valid while `values` lives (README, "The lifetime
  //   trap").
  //   Python: torch.from_numpy(array)
  //   Hint 2.
  // (es) TODO: un tensor float32 de 1-D sobre la memoria del propio vector, sin copiarla. El
  //   tensor no es dueño de esa memoria: solo es válido mientras `values` exista (README.es.md,
  //   "La trampa del tiempo de vida").
  //   Python: torch.from_numpy(array)
  //   Pista 2.
  course::not_implemented("01_tensors", "view_of_vector");
}

torch::Tensor copy_of_vector([[maybe_unused]] const std::vector<float>& values) {
  // TODO: like view_of_vector, but the tensor must own a copy of the values, so that it stays
  //   valid after the vector is gone.
  //   Python: torch.tensor(array)          (or torch.from_numpy(array).clone())
  //   Hint 2.
  // (es) TODO: como view_of_vector, pero el tensor tiene que ser dueño de una copia de los
  //   valores, para que siga siendo válido cuando el vector ya no exista.
  //   Python: torch.tensor(array)          (o torch.from_numpy(array).clone())
  //   Pista 2.
  course::not_implemented("01_tensors", "copy_of_vector");
}

torch::Tensor as_float64([[maybe_unused]] const torch::Tensor& tensor) {
  // TODO: the same values as float64.
  //   Python: tensor.to(torch.float64)
  //   Hint 1.
  // (es) TODO: los mismos valores como float64.
  //   Python: tensor.to(torch.float64)
  //   Pista 1.
  course::not_implemented("01_tensors", "as_float64");
}

torch::Tensor to_device([[maybe_unused]] const torch::Tensor& tensor,
                        [[maybe_unused]] const torch::Device& device) {
  // TODO: the same values on `device`.
  //   Python: tensor.to(device)
  //   Hint 1.
  // (es) TODO: los mismos valores en `device`.
  //   Python: tensor.to(device)
  //   Pista 1.
  course::not_implemented("01_tensors", "to_device");
}

torch::Tensor squared_difference([[maybe_unused]] const torch::Tensor& a,
                                 [[maybe_unused]] const torch::Tensor& b) {
  // TODO: (a - b) squared, element by element. C++ has no ** operator.
  //   Python: (a - b) ** 2
  //   Hint 1.
  // (es) TODO: (a - b) al cuadrado, elemento a elemento. C++ no tiene el operador **.
  //   Python: (a - b) ** 2
  //   Pista 1.
  course::not_implemented("01_tensors", "squared_difference");
}

torch::Tensor outer_sum([[maybe_unused]] const torch::Tensor& column,
                        [[maybe_unused]] const torch::Tensor& row) {
  // TODO: result[i][j] = column[i] + row[j]: make the column [n] a [n, 1] tensor, then let
  //   broadcasting stretch both to [n, m].
  //   Python: column[:, None] + row        (or column.unsqueeze(1) + row)
  //   Hint 5.
  // (es) TODO: result[i][j] = column[i] + row[j]: convierte la columna [n] en un tensor [n, 1]
  //   y deja que el broadcasting estire los dos a [n, m].
  //   Python: column[:, None] + row        (o column.unsqueeze(1) + row)
  //   Pista 5.
  course::not_implemented("01_tensors", "outer_sum");
}

Summary summarize([[maybe_unused]] const torch::Tensor& matrix) {
  // TODO: fill a Summary: the total as a double, the mean of each column, and the maximum of
  //   each row with its position.
  //   Python: matrix.sum().item(); matrix.mean(dim=0); values, indices = matrix.max(dim=1)
  //   Hint 3.
  // (es) TODO: llena un Summary: el total como double, la media de cada columna, y el máximo de
  //   cada fila con su posición.
  //   Python: matrix.sum().item(); matrix.mean(dim=0); values, indices = matrix.max(dim=1)
  //   Pista 3.
  course::not_implemented("01_tensors", "summarize");
}

torch::Tensor matrix_product([[maybe_unused]] const torch::Tensor& a,
                             [[maybe_unused]] const torch::Tensor& b) {
  // TODO: the matrix product a @ b. C++ has no @ operator.
  //   Python: a @ b                       (torch.matmul(a, b))
  //   Hint 1.
  // (es) TODO: el producto de matrices a @ b. C++ no tiene el operador @.
  //   Python: a @ b                       (torch.matmul(a, b))
  //   Pista 1.
  course::not_implemented("01_tensors", "matrix_product");
}

Matrix multiply_with_loops([[maybe_unused]] const Matrix& a, [[maybe_unused]] const Matrix& b) {
  // TODO: the matrix product without LibTorch, to compare with torch::matmul: throw
  //   std::invalid_argument (giving both shapes) when a.cols != b.rows; otherwise a Matrix of
  //   a.rows x b.cols where element (i, j) is the sum over k of a(i, k) * b(k, j).
  //   Python: what torch.matmul(a, b) computes; in NumPy terms, the loops inside a @ b
  //   Hint 4.
  // (es) TODO: el producto de matrices sin LibTorch, para compararlo con torch::matmul: lanza
  //   std::invalid_argument (con las dos formas) cuando a.cols != b.rows; si no, una Matrix de
  //   a.rows x b.cols cuyo elemento (i, j) es la suma sobre k de a(i, k) * b(k, j).
  //   Python: lo que calcula torch.matmul(a, b); en términos de NumPy, los bucles dentro de a @ b
  //   Pista 4.
  course::not_implemented("01_tensors", "multiply_with_loops");
}

torch::Tensor flat_view([[maybe_unused]] const torch::Tensor& tensor) {
  // TODO: all the elements in one dimension, sharing the tensor's memory (no copy).
  //   Python: tensor.view(-1)
  //   Hint 5.
  // (es) TODO: todos los elementos en una sola dimensión, compartiendo la memoria del tensor
  //   (sin copia).
  //   Python: tensor.view(-1)
  //   Pista 5.
  course::not_implemented("01_tensors", "flat_view");
}

torch::Tensor flatten_transpose([[maybe_unused]] const torch::Tensor& matrix) {
  // TODO: the transpose, flattened. The transpose's strides cannot be merged into one
  //   dimension, so view() refuses it: which method copies when it must?
  //   Python: matrix.t().reshape(-1)
  //   Hint 5.
  // (es) TODO: la transpuesta, aplanada. Los strides de la transpuesta no se pueden fundir en
  //   una sola dimensión, así que view() la rechaza: ¿qué método copia cuando no le queda otra?
  //   Python: matrix.t().reshape(-1)
  //   Pista 5.
  course::not_implemented("01_tensors", "flatten_transpose");
}

void add_in_place([[maybe_unused]] torch::Tensor tensor, [[maybe_unused]] double amount) {
  // TODO: add `amount` to the caller's tensor itself, in place (no new tensor). `tensor` is a
  //   handle to the caller's data: assigning to it would only change this copy of the handle.
  //   Python: tensor.add_(amount)
  //   Hint 5.
  // (es) TODO: suma `amount` al propio tensor de quien llama, in-place (sin un tensor nuevo).
  //   `tensor` es un handle a los datos de quien llama: asignarle otro solo cambiaría esta copia
  //   del handle.
  //   Python: tensor.add_(amount)
  //   Pista 5.
  course::not_implemented("01_tensors", "add_in_place");
}

}  // namespace exercises::tensors
