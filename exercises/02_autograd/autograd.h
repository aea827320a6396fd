// Exercise 02: autograd. The functions you write in autograd.cpp, each the C++ side of a few
// lines of PyTorch-Python (quoted next to it). tests/exercises/autograd_test.cpp checks them.
// (es) Ejercicio 02: autograd. Las funciones que escribes en autograd.cpp, cada una el lado C++
// de unas pocas líneas de PyTorch en Python (citadas al lado). Las comprueba
// tests/exercises/autograd_test.cpp.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>

namespace exercises::autograd {

// ---- The first gradient ----------------------------------------------------------------------
// (es) ---- El primer gradiente -------------------------------------------------------------------

// d(x^3)/dx at `x`, computed by autograd: a float32 tensor of shape [1] (12 at x = 2).
//   x = torch.tensor([x], requires_grad=True); y = x ** 3; y.backward(); return x.grad
// (es) d(x^3)/dx en `x`, calculada por autograd: un tensor float32 de forma [1] (12 en x = 2).
//   x = torch.tensor([x], requires_grad=True); y = x ** 3; y.backward(); return x.grad
torch::Tensor cube_gradient_at(double x);

// ---- Gradients accumulate --------------------------------------------------------------------
// (es) ---- Los gradientes se acumulan ------------------------------------------------------------

// x.grad after each step of: two backward passes of y = x^3 (each with a fresh y), then zeroing.
// (es) x.grad después de cada paso de: dos pasadas de backward de y = x^3 (cada una con un y
// nuevo), y después la puesta a cero.
struct AccumulatedGradients {
  torch::Tensor after_first_backward;   // 3x^2      (12 at x = 2)
                                        // (es) 3x^2      (12 en x = 2)
  torch::Tensor after_second_backward;  // 6x^2      (24: the second gradient was ADDED)
                                        // (es) 6x^2      (24: el segundo gradiente se SUMÓ)
  torch::Tensor after_zeroing;          // 0         (what optimizer.zero_grad() is for)
                                        // (es) 0         (para eso es optimizer.zero_grad())
};
//   for _ in range(2): (x ** 3).backward(); record x.grad.clone()
//   x.grad.zero_(); record x.grad.clone()
// (es)   for _ in range(2): (x ** 3).backward(); guarda x.grad.clone()
//   x.grad.zero_(); guarda x.grad.clone()
AccumulatedGradients accumulate_cube_gradients(double x);

// ---- Backward twice through one graph ------------------------------------------------------
// (es) ---- Backward dos veces por un mismo grafo -------------------------------------------------

// Builds y = x^3 once and calls backward on that same y twice; returns x.grad (6x^2).
// With retain_graph = false the first backward frees the graph, so the second one throws
// c10::Error ("Trying to backward through the graph a second time").
//   y = x ** 3; y.backward(retain_graph=retain_graph); y.backward(); return x.grad
// (es) Construye y = x^3 una vez y llama a backward dos veces sobre ese mismo y; devuelve x.grad
// (6x^2). Con retain_graph = false el primer backward libera el grafo, así que el segundo lanza
// c10::Error ("Trying to backward through the graph a second time").
//   y = x ** 3; y.backward(retain_graph=retain_graph); y.backward(); return x.grad
torch::Tensor backward_twice(double x, bool retain_graph);

// The real fix when a second backward is needed: build the graph again. Calls `forward(leaf)`
// once per backward pass (twice) and returns leaf.grad() afterwards: twice the gradient of one
// pass (24 for x^3 at 2), with no retain_graph, so each graph is freed after its backward.
// retain_graph is for when the same graph really must be walked twice; a new forward is the
// usual answer, e.g. a training loop computes a new loss every step.
//   for _ in range(2): forward(leaf).backward()
//   return leaf.grad
// (es) La verdadera solución cuando hace falta un segundo backward: construir el grafo de nuevo.
// Llama a `forward(leaf)` una vez por pasada de backward (dos veces) y después devuelve
// leaf.grad(): el doble del gradiente de una pasada (24 para x^3 en 2), sin retain_graph, así
// que cada grafo se libera después de su backward. retain_graph es para cuando de verdad hay
// que recorrer dos veces el mismo grafo; lo normal es un forward nuevo, p. ej. un loop de
// entrenamiento calcula una pérdida nueva en cada paso.
//   for _ in range(2): forward(leaf).backward()
//   return leaf.grad
torch::Tensor backward_twice_by_recomputing(
    const torch::Tensor& leaf, const std::function<torch::Tensor(const torch::Tensor&)>& forward);

// ---- Switching autograd off ------------------------------------------------------------------
// (es) ---- Apagar autograd -----------------------------------------------------------------------

// x^3 computed under torch::NoGradGuard: no graph is recorded, so the result does not require
// grad even when x does.
//   with torch.no_grad(): return x ** 3
// (es) x^3 calculado bajo torch::NoGradGuard: no se registra ningún grafo, así que el resultado
// no requiere grad aunque x sí lo requiera.
//   with torch.no_grad(): return x ** 3
torch::Tensor cube_without_grad(const torch::Tensor& x);

// d/dx of x * detach(x): detach() makes the second factor a constant, so the gradient is
// x (not 2x, the gradient of x * x).
//   x = torch.tensor([x], requires_grad=True); (x * x.detach()).backward(); return x.grad
// (es) d/dx de x * detach(x): detach() convierte el segundo factor en una constante, así que el
// gradiente es x (no 2x, el gradiente de x * x).
//   x = torch.tensor([x], requires_grad=True); (x * x.detach()).backward(); return x.grad
torch::Tensor gradient_through_detach(double x);

// ---- The graph -------------------------------------------------------------------------------
// (es) ---- El grafo ------------------------------------------------------------------------------

// The name of the operation that made `tensor` ("PowBackward0", "MulBackward0", ...), or "None"
// for a tensor that no recorded operation made (a leaf, or a result computed without grad).
//   type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else "None"
// (es) El nombre de la operación que creó `tensor` ("PowBackward0", "MulBackward0", ...), o
// "None" para un tensor que no creó ninguna operación registrada (una hoja, o un resultado
// calculado sin grad).
//   type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else "None"
std::string grad_fn_name(const torch::Tensor& tensor);

// A graph built as the code runs: doubles y, starting at a leaf x that requires grad, while
// |y| < 100 (x must not be 0), so the data decide how long the loop runs; then backward from y.
// Autograd records the multiplications that really ran, so the gradient is 2^steps: 64 at x = 3
// (six doublings), 4 at x = -30 (two), 1 at x = 150 (none). A graph fixed before the data
// (TensorFlow 1's, a traced TorchScript) would hold one length of loop for every x.
//   x = torch.tensor([x], requires_grad=True); y = x; steps = 0
//   while y.abs().item() < 100: y = y * 2; steps += 1
//   y.backward(); return steps, x.grad
// (es) Un grafo que se construye mientras el código corre: duplica y, empezando en una hoja x que
// requiere grad, mientras |y| < 100 (x no puede ser 0), así que los datos deciden cuánto dura el
// bucle; después, backward desde y. Autograd registra las multiplicaciones que de verdad
// corrieron, así que el gradiente es 2^steps: 64 en x = 3 (seis duplicaciones), 4 en x = -30
// (dos), 1 en x = 150 (ninguna). Un grafo fijado antes de los datos (el de TensorFlow 1, un
// TorchScript trazado) tendría un único largo de bucle para todo x.
//   x = torch.tensor([x], requires_grad=True); y = x; steps = 0
//   while y.abs().item() < 100: y = y * 2; steps += 1
//   y.backward(); return steps, x.grad
struct DynamicGradient {
  int64_t steps = 0;       // how many doublings ran
                           // (es) cuántas duplicaciones corrieron
  torch::Tensor gradient;  // x.grad: float32, shape [1]
                           // (es) x.grad: float32, forma [1]
};
DynamicGradient double_until_large(double x);

// ---- Checking autograd against finite differences ------------------------------------------
// (es) ---- Comprobar autograd con diferencias finitas --------------------------------------------

// The function we differentiate: R^n -> R, f(x) = sum(x^2 * sin(x)).
// (es) La función que derivamos: R^n -> R, f(x) = sum(x^2 * sin(x)).
inline torch::Tensor sum_of_squares_times_sine(const torch::Tensor& x) {
  return (x.pow(2) * torch::sin(x)).sum();
}

// The gradient of sum_of_squares_times_sine at `x` (any shape), by autograd; the same shape as x.
// `x` itself need not require grad: work on a copy that does.
//   x = x.detach().clone().requires_grad_(True); f(x).backward(); return x.grad
// (es) El gradiente de sum_of_squares_times_sine en `x` (de cualquier forma), con autograd; con la
// misma forma que x. `x` mismo no necesita requerir grad: trabaja sobre una copia que sí lo
// requiera.
//   x = x.detach().clone().requires_grad_(True); f(x).backward(); return x.grad
torch::Tensor gradient_by_autograd(const torch::Tensor& x);

// The same gradient by central differences, one element at a time, without autograd:
//   grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)
// Use float64 (x may be float32): float32 rounding swamps a small eps.
// (es) El mismo gradiente por diferencias centrales, un elemento a la vez, sin autograd:
//   grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)
// Usa float64 (x puede ser float32): el redondeo de float32 ahoga un eps pequeño.
torch::Tensor gradient_by_finite_differences(const torch::Tensor& x, double eps = 1e-6);

}  // namespace exercises::autograd
