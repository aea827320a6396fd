// Exercise 02: autograd. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code. Check your work with
//   tools/course/bin/course check 02_autograd     (stuck? `course hint 02_autograd`)
// and run build/student/bin/ex02_autograd to see the lesson. Hints: README.md, "## Hints".
// (es) Ejercicio 02: autograd. Completa cada función de abajo: reemplaza el TODO y la línea
// course::not_implemented(...) por tu código. Comprueba tu trabajo con
//   tools/course/bin/course check 02_autograd     (¿no te sale? `course hint 02_autograd`)
// y corre build/student/bin/ex02_autograd para ver la lección. Pistas: README.es.md, "## Pistas".
#include "autograd.h"

#include "common/lesson.h"

namespace exercises::autograd {

torch::Tensor cube_gradient_at([[maybe_unused]] double x) {
  // TODO: d(x^3)/dx at x, by autograd: a one-element leaf that requires grad, y = x cubed,
  //   backward, and the gradient the leaf received.
  //   Python: x = torch.tensor([x], requires_grad=True); y = x ** 3; y.backward(); return x.grad
  //   Hint 1.
  // (es) TODO: d(x^3)/dx en x, con autograd: una hoja de un elemento que requiere grad, y = x al
  //   cubo, backward, y el gradiente que recibió la hoja.
  //   Python: x = torch.tensor([x], requires_grad=True); y = x ** 3; y.backward(); return x.grad
  //   Pista 1.
  course::not_implemented("02_autograd", "cube_gradient_at");
}

AccumulatedGradients accumulate_cube_gradients([[maybe_unused]] double x) {
  // TODO: with one leaf, run two backward passes of x cubed (a fresh y each time), recording the
  //   gradient after each; then zero the gradient in place and record it once more. A recorded
  //   value must not change afterwards: what does grad() give you, a value or the live buffer?
  //   Python: for _ in range(2): (x ** 3).backward(); record x.grad.clone()
  //           x.grad.zero_(); record x.grad.clone()
  //   Hint 2.
  // (es) TODO: con una sola hoja, haz dos pasadas de backward de x al cubo (un y nuevo cada vez)
  //   y guarda el gradiente después de cada una; después pon el gradiente en cero in-place y
  //   guárdalo una vez más. Un valor guardado no debe cambiar después: ¿qué te da grad(), un
  //   valor o el buffer vivo?
  //   Python: for _ in range(2): (x ** 3).backward(); guarda x.grad.clone()
  //           x.grad.zero_(); guarda x.grad.clone()
  //   Pista 2.
  course::not_implemented("02_autograd", "accumulate_cube_gradients");
}

torch::Tensor backward_twice([[maybe_unused]] double x, [[maybe_unused]] bool retain_graph) {
  // TODO: build y = x cubed ONCE, then call backward on that same y twice, passing retain_graph
  //   to the first call only. Do not catch anything: with retain_graph == false the second call
  //   must throw, and the checks expect it to.
  //   Python: y = x ** 3; y.backward(retain_graph=retain_graph); y.backward(); return x.grad
  //   Hint 2.
  // (es) TODO: construye y = x al cubo UNA vez, y después llama a backward dos veces sobre ese
  //   mismo y, pasando retain_graph solo a la primera llamada. No atrapes nada: con
  //   retain_graph == false la segunda llamada tiene que lanzar, y las pruebas lo esperan.
  //   Python: y = x ** 3; y.backward(retain_graph=retain_graph); y.backward(); return x.grad
  //   Pista 2.
  course::not_implemented("02_autograd", "backward_twice");
}

torch::Tensor backward_twice_by_recomputing(
    [[maybe_unused]] const torch::Tensor& leaf,
    [[maybe_unused]] const std::function<torch::Tensor(const torch::Tensor&)>& forward) {
  // TODO: two backward passes without retain_graph: call `forward` once per pass, so each
  //   backward has a graph of its own, and return the leaf's gradient after both.
  //   Python: for _ in range(2): forward(leaf).backward()
  //           return leaf.grad
  //   Hint 2.
  // (es) TODO: dos pasadas de backward sin retain_graph: llama a `forward` una vez por pasada,
  //   para que cada backward tenga su propio grafo, y devuelve el gradiente de la hoja después
  //   de las dos.
  //   Python: for _ in range(2): forward(leaf).backward()
  //           return leaf.grad
  //   Pista 2.
  course::not_implemented("02_autograd", "backward_twice_by_recomputing");
}

torch::Tensor cube_without_grad([[maybe_unused]] const torch::Tensor& x) {
  // TODO: x cubed with autograd switched off for this function, so the result records no graph.
  //   What keeps the switch off until the return, and what would end it at once?
  //   Python: with torch.no_grad(): return x ** 3
  //   Hint 3.
  // (es) TODO: x al cubo con autograd apagado en esta función, para que el resultado no registre
  //   ningún grafo. ¿Qué lo mantiene apagado hasta el return, y qué lo terminaría enseguida?
  //   Python: with torch.no_grad(): return x ** 3
  //   Pista 3.
  course::not_implemented("02_autograd", "cube_without_grad");
}

torch::Tensor gradient_through_detach([[maybe_unused]] double x) {
  // TODO: the gradient of x * detach(x) at x: the detached factor counts as a constant, so the
  //   result is x, not 2x.
  //   Python: x = torch.tensor([x], requires_grad=True); (x * x.detach()).backward(); x.grad
  //   Hint 1.
  // (es) TODO: el gradiente de x * detach(x) en x: el factor separado con detach cuenta como una
  //   constante, así que el resultado es x, no 2x.
  //   Python: x = torch.tensor([x], requires_grad=True); (x * x.detach()).backward(); x.grad
  //   Pista 1.
  course::not_implemented("02_autograd", "gradient_through_detach");
}

std::string grad_fn_name([[maybe_unused]] const torch::Tensor& tensor) {
  // TODO: the name of the graph node that made the tensor, or "None" when there is none (a
  //   leaf, or a result computed without grad).
  //   Python: type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else "None"
  //   Hint 3.
  // (es) TODO: el nombre del nodo del grafo que creó el tensor, o "None" cuando no hay ninguno
  //   (una hoja, o un resultado calculado sin grad).
  //   Python: type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else "None"
  //   Pista 3.
  course::not_implemented("02_autograd", "grad_fn_name");
}

DynamicGradient double_until_large([[maybe_unused]] double x) {
  // TODO: a loop whose length depends on the data: starting at a leaf x that requires grad,
  //   double y while |y| < 100, counting the doublings, then call backward from y. Autograd
  //   records only the multiplications that ran, so the gradient is 2^steps. Stay in tensors
  //   inside the loop: a number taken out and put back in a new tensor cuts the graph.
  //   Python: x = torch.tensor([x], requires_grad=True); y = x; steps = 0
  //           while y.abs().item() < 100: y = y * 2; steps += 1
  //           y.backward(); return steps, x.grad
  //   Hint 6.
  // (es) TODO: un bucle cuya longitud depende de los datos: empezando en una hoja x que requiere
  //   grad, duplica y mientras |y| < 100, contando las duplicaciones, y después llama a backward
  //   desde y. Autograd registra solo las multiplicaciones que corrieron, así que el gradiente
  //   es 2^steps. Quédate en tensores dentro del bucle: un número sacado y vuelto a meter en un
  //   tensor nuevo corta el grafo.
  //   Python: x = torch.tensor([x], requires_grad=True); y = x; steps = 0
  //           while y.abs().item() < 100: y = y * 2; steps += 1
  //           y.backward(); return steps, x.grad
  //   Pista 6.
  course::not_implemented("02_autograd", "double_until_large");
}

torch::Tensor gradient_by_autograd([[maybe_unused]] const torch::Tensor& x) {
  // TODO: the gradient of sum_of_squares_times_sine at x, by autograd, without changing the
  //   caller's tensor: differentiate with respect to a copy of it that requires grad.
  //   Python: x = x.detach().clone().requires_grad_(True); f(x).backward(); return x.grad
  //   Hint 4.
  // (es) TODO: el gradiente de sum_of_squares_times_sine en x, con autograd, sin cambiar el
  //   tensor de quien llama: deriva con respecto a una copia suya que requiera grad.
  //   Python: x = x.detach().clone().requires_grad_(True); f(x).backward(); return x.grad
  //   Pista 4.
  course::not_implemented("02_autograd", "gradient_by_autograd");
}

torch::Tensor gradient_by_finite_differences([[maybe_unused]] const torch::Tensor& x,
                                             [[maybe_unused]] double eps) {
  // TODO: estimate the same gradient without autograd, one element at a time, in float64
  //   (x may be float32), and return it with x's shape:
  //     grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)
  //   where f is sum_of_squares_times_sine and e_i the i-th unit vector. No graph is needed.
  //   Python: the same formula in a loop over the elements of x.flatten()
  //   Hint 5.
  // (es) TODO: estima el mismo gradiente sin autograd, un elemento a la vez, en float64 (x puede
  //   ser float32), y devuélvelo con la forma de x:
  //     grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)
  //   donde f es sum_of_squares_times_sine y e_i el i-ésimo vector unitario. No hace falta
  //   ningún grafo.
  //   Python: la misma fórmula en un bucle sobre los elementos de x.flatten()
  //   Pista 5.
  course::not_implemented("02_autograd", "gradient_by_finite_differences");
}

}  // namespace exercises::autograd
