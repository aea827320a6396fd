// Exercise 03: a custom MLP. The module and functions you write in mlp.cpp, each the C++ side
// of a few lines of PyTorch-Python (quoted next to it). tests/exercises/mlp_test.cpp checks them.
// (es) Ejercicio 03: un MLP propio. El módulo y las funciones que escribes en mlp.cpp, cada uno el
// lado C++ de unas pocas líneas de PyTorch en Python (citadas al lado). Los comprueba
// tests/exercises/mlp_test.cpp.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace exercises::mlp {

inline constexpr int64_t kInputs = 784;  // a 28x28 image, flattened
                                         // (es) una imagen de 28x28, aplanada
inline constexpr int64_t kHidden = 128;
inline constexpr int64_t kOutputs = 10;  // one logit per class
                                         // (es) un logit por clase

// inputs -> Linear (fc1) -> ReLU -> Linear (fc2) -> outputs.
// (es) entradas -> Linear (fc1) -> ReLU -> Linear (fc2) -> salidas.
//
//   class Net(nn.Module):
//       def __init__(self, inputs=784, hidden=128, outputs=10):
//           super().__init__()
//           self.fc1 = nn.Linear(inputs, hidden)
//           self.fc2 = nn.Linear(hidden, outputs)
//       def forward(self, x):
//           return self.fc2(F.relu(self.fc1(x)))
//
// LibTorch splits a module in two: NetImpl holds the code, and TORCH_MODULE(Net) declares Net,
// a shared-pointer handle to a NetImpl (so `net->fc1`, and copies of `net` share one model).
// (es) LibTorch divide un módulo en dos: NetImpl tiene el código, y TORCH_MODULE(Net) declara
// Net, un handle (un puntero compartido) a un NetImpl (de ahí `net->fc1`, y las copias de `net`
// comparten un mismo modelo).
class NetImpl : public torch::nn::Module {
 public:
  explicit NetImpl(int64_t inputs = kInputs, int64_t hidden = kHidden, int64_t outputs = kOutputs);
  torch::Tensor forward(torch::Tensor x);

  // Public, like Python's attributes; null until the constructor creates and registers them.
  // (es) Públicos, como los atributos de Python; nulos hasta que el constructor los crea y los
  // registra.
  torch::nn::Linear fc1{nullptr};
  torch::nn::Linear fc2{nullptr};
};
TORCH_MODULE(Net);

// The same network as a Sequential: Linear, ReLU, Linear, built in that order.
//   nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, outputs))
// (es) La misma red como un Sequential: Linear, ReLU, Linear, construidas en ese orden.
//   nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, outputs))
torch::nn::Sequential make_sequential(int64_t inputs = kInputs, int64_t hidden = kHidden,
                                      int64_t outputs = kOutputs);

// How many numbers the module learns.   sum(p.numel() for p in model.parameters())
// (es) Cuántos números aprende el módulo.   sum(p.numel() for p in model.parameters())
int64_t count_parameters(const torch::nn::Module& module);

// Copies the weights and biases of `from` into `to` (made by make_sequential with the same
// sizes), so both compute the same function. The copies are not shared: each model keeps its own.
//   with torch.no_grad():
//       seq[0].weight.copy_(net.fc1.weight); seq[0].bias.copy_(net.fc1.bias)
//       seq[2].weight.copy_(net.fc2.weight); seq[2].bias.copy_(net.fc2.bias)
// (es) Copia los pesos y los bias de `from` en `to` (creado por make_sequential con los mismos
// tamaños), para que los dos calculen la misma función. Las copias no se comparten: cada modelo
// conserva las suyas.
//   with torch.no_grad():
//       seq[0].weight.copy_(net.fc1.weight); seq[0].bias.copy_(net.fc1.bias)
//       seq[2].weight.copy_(net.fc2.weight); seq[2].bias.copy_(net.fc2.bias)
void copy_weights(const Net& from, torch::nn::Sequential& to);

// ---- A parameter of one's own --------------------------------------------------------------
// (es) ---- Un parámetro propio -------------------------------------------------------------------

// y = x * scale + shift, over the last dimension of x: two learnable vectors that no built-in
// layer holds, so the module registers them itself ("scale" starts at ones, "shift" at zeros).
// (es) y = x * scale + shift, sobre la última dimensión de x: dos vectores que se aprenden y que
// ninguna capa predefinida tiene, así que el módulo los registra él mismo ("scale" empieza en
// unos, "shift" en ceros).
//
//   class ScaleShift(nn.Module):
//       def __init__(self, features):
//           super().__init__()
//           self.scale = nn.Parameter(torch.ones(features))
//           self.shift = nn.Parameter(torch.zeros(features))
//       def forward(self, x):
//           return x * self.scale + self.shift
class ScaleShiftImpl : public torch::nn::Module {
 public:
  explicit ScaleShiftImpl(int64_t features);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor scale;  // undefined until the constructor registers them
                        // (es) indefinidos hasta que el constructor los registra
  torch::Tensor shift;
};
TORCH_MODULE(ScaleShift);

// ---- train() and eval() ----------------------------------------------------------------------
// (es) ---- train() y eval() ----------------------------------------------------------------------

// Puts `dropout` in training mode (training == true) or evaluation mode, then applies it to x.
//   dropout.train() if training else dropout.eval(); return dropout(x)
// (es) Pone `dropout` en modo entrenamiento (training == true) o en modo evaluación, y después lo
// aplica a x.
//   dropout.train() if training else dropout.eval(); return dropout(x)
torch::Tensor dropout_forward(torch::nn::Dropout dropout, const torch::Tensor& x, bool training);

// Puts `batch_norm` in training mode (training == true) or evaluation mode, then applies it to x
// [N, features]. Training mode normalises with the batch's own mean and variance and moves the
// running statistics (running_mean, running_var) towards them; evaluation mode normalises with
// the running statistics and leaves them as they are.
//   batch_norm.train() if training else batch_norm.eval(); return batch_norm(x)
// (es) Pone `batch_norm` en modo entrenamiento (training == true) o en modo evaluación, y después
// lo aplica a x [N, features]. El modo entrenamiento normaliza con la media y la varianza del
// propio batch y mueve hacia ellas las estadísticas acumuladas (running_mean, running_var); el
// modo evaluación normaliza con las estadísticas acumuladas y las deja como están.
//   batch_norm.train() if training else batch_norm.eval(); return batch_norm(x)
torch::Tensor batch_norm_forward(torch::nn::BatchNorm1d batch_norm, const torch::Tensor& x,
                                 bool training);

}  // namespace exercises::mlp
