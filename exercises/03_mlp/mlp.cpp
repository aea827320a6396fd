// Exercise 03: a custom MLP. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code. Check your work with
//   tools/course/bin/course check 03_mlp     (stuck? `course hint 03_mlp`)
// and run build/student/bin/ex03_mlp to see the lesson. Hints: README.md, "## Hints".
// (es) Ejercicio 03: un MLP propio. Completa cada función de abajo: reemplaza el TODO y la línea
// course::not_implemented(...) por tu código. Comprueba tu trabajo con
//   tools/course/bin/course check 03_mlp     (¿no te sale? `course hint 03_mlp`)
// y corre build/student/bin/ex03_mlp para ver la lección. Pistas: README.es.md, "## Pistas".
#include "mlp.h"

#include "common/lesson.h"

namespace exercises::mlp {

namespace F = torch::nn::functional;

NetImpl::NetImpl([[maybe_unused]] int64_t inputs, [[maybe_unused]] int64_t hidden,
                 [[maybe_unused]] int64_t outputs) {
  // TODO: create the two Linear layers (inputs -> hidden, hidden -> outputs) and make them part
  //   of this module under the names "fc1" and "fc2", so that their weights show up in
  //   parameters() and named_parameters() ("fc1.weight", ...). The members fc1 and fc2 must hold
  //   them too: forward uses the members.
  //   Python: self.fc1 = nn.Linear(inputs, hidden); self.fc2 = nn.Linear(hidden, outputs)
  //   Hints 1 and 2.
  // (es) TODO: crea las dos capas Linear (inputs -> hidden, hidden -> outputs) y hazlas parte de
  //   este módulo con los nombres "fc1" y "fc2", para que sus pesos aparezcan en parameters() y
  //   named_parameters() ("fc1.weight", ...). Los miembros fc1 y fc2 también tienen que
  //   guardarlas: forward usa los miembros.
  //   Python: self.fc1 = nn.Linear(inputs, hidden); self.fc2 = nn.Linear(hidden, outputs)
  //   Pistas 1 y 2.
  course::not_implemented("03_mlp", "NetImpl::NetImpl");
}

torch::Tensor NetImpl::forward([[maybe_unused]] torch::Tensor x) {
  // TODO: fc1, then a ReLU (a function, no layer needed), then fc2.
  //   Python: return self.fc2(F.relu(self.fc1(x)))
  //   Hint 1.
  // (es) TODO: fc1, después una ReLU (una función, no hace falta una capa), después fc2.
  //   Python: return self.fc2(F.relu(self.fc1(x)))
  //   Pista 1.
  course::not_implemented("03_mlp", "NetImpl::forward");
}

torch::nn::Sequential make_sequential([[maybe_unused]] int64_t inputs,
                                      [[maybe_unused]] int64_t hidden,
                                      [[maybe_unused]] int64_t outputs) {
  // TODO: the same network as a Sequential: Linear (inputs -> hidden), ReLU, Linear
  //   (hidden -> outputs). Build the layers so that the first one draws its initial weights
  //   first, whatever the compiler: README.md, "A common mistake".
  //   Python: nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, outputs))
  //   Hint 5.
  // (es) TODO: la misma red como un Sequential: Linear (inputs -> hidden), ReLU, Linear
  //   (hidden -> outputs). Construye las capas de modo que la primera saque sus pesos iniciales
  //   primero, sea cual sea el compilador: README.es.md, "Un error común".
  //   Python: nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, outputs))
  //   Pista 5.
  course::not_implemented("03_mlp", "make_sequential");
}

int64_t count_parameters([[maybe_unused]] const torch::nn::Module& module) {
  // TODO: how many numbers the module learns: the sum of the sizes of all its parameters.
  //   Python: sum(p.numel() for p in model.parameters())
  //   Hint 3.
  // (es) TODO: cuántos números aprende el módulo: la suma de los tamaños de todos sus parámetros.
  //   Python: sum(p.numel() for p in model.parameters())
  //   Pista 3.
  course::not_implemented("03_mlp", "count_parameters");
}

void copy_weights([[maybe_unused]] const Net& from, [[maybe_unused]] torch::nn::Sequential& to) {
  // TODO: copy the values of from's four tensors into the matching tensors of `to` (its
  //   elements 0 and 2 are the Linear layers), in place, so that each model keeps its own
  //   memory. Autograd refuses in-place writes into parameters while it records: switch it off.
  //   Python: with torch.no_grad(): seq[0].weight.copy_(net.fc1.weight); ...
  //   Hint 4.
  // (es) TODO: copia los valores de los cuatro tensores de `from` en los tensores que les
  //   corresponden en `to` (sus elementos 0 y 2 son las capas Linear), in-place, para que cada
  //   modelo conserve su propia memoria. Autograd rechaza escrituras in-place en parámetros
  //   mientras registra: apágalo.
  //   Python: with torch.no_grad(): seq[0].weight.copy_(net.fc1.weight); ...
  //   Pista 4.
  course::not_implemented("03_mlp", "copy_weights");
}

ScaleShiftImpl::ScaleShiftImpl([[maybe_unused]] int64_t features) {
  // TODO: two parameters of this module's own, "scale" (ones) and "shift" (zeros), each a vector
  //   of `features` numbers; the members scale and shift must be the registered tensors.
  //   Python: self.scale = nn.Parameter(torch.ones(features))
  //           self.shift = nn.Parameter(torch.zeros(features))
  //   Hint 6.
  // (es) TODO: dos parámetros propios de este módulo, "scale" (unos) y "shift" (ceros), cada uno
  //   un vector de `features` números; los miembros scale y shift tienen que ser los tensores
  //   registrados.
  //   Python: self.scale = nn.Parameter(torch.ones(features))
  //           self.shift = nn.Parameter(torch.zeros(features))
  //   Pista 6.
  course::not_implemented("03_mlp", "ScaleShiftImpl::ScaleShiftImpl");
}

torch::Tensor ScaleShiftImpl::forward([[maybe_unused]] const torch::Tensor& x) {
  // TODO: x scaled and shifted, element by element over the last dimension.
  //   Python: return x * self.scale + self.shift
  //   Hint 6.
  // (es) TODO: x escalado y desplazado, elemento a elemento sobre la última dimensión.
  //   Python: return x * self.scale + self.shift
  //   Pista 6.
  course::not_implemented("03_mlp", "ScaleShiftImpl::forward");
}

torch::Tensor dropout_forward([[maybe_unused]] torch::nn::Dropout dropout,
                              [[maybe_unused]] const torch::Tensor& x,
                              [[maybe_unused]] bool training) {
  // TODO: put the layer in training mode when `training`, else in evaluation mode (both
  //   cases!); then apply it to x.
  //   Python: dropout.train() if training else dropout.eval(); return dropout(x)
  //   Hint 3.
  // (es) TODO: pon la capa en modo entrenamiento cuando `training`, si no en modo evaluación
  //   (¡los dos casos!); después aplícala a x.
  //   Python: dropout.train() if training else dropout.eval(); return dropout(x)
  //   Pista 3.
  course::not_implemented("03_mlp", "dropout_forward");
}

torch::Tensor batch_norm_forward([[maybe_unused]] torch::nn::BatchNorm1d batch_norm,
                                 [[maybe_unused]] const torch::Tensor& x,
                                 [[maybe_unused]] bool training) {
  // TODO: the same for BatchNorm: the mode decides which statistics normalise x, and whether
  //   the running statistics move (README.md, "BatchNorm: two sets of statistics").
  //   Python: batch_norm.train() if training else batch_norm.eval(); return batch_norm(x)
  //   Hint 3.
  // (es) TODO: lo mismo para BatchNorm: el modo decide qué estadísticas normalizan x, y si las
  //   estadísticas acumuladas se mueven (README.es.md, "BatchNorm: dos juegos de estadísticas").
  //   Python: batch_norm.train() if training else batch_norm.eval(); return batch_norm(x)
  //   Pista 3.
  course::not_implemented("03_mlp", "batch_norm_forward");
}

}  // namespace exercises::mlp
