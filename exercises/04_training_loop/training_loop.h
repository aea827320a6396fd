// Exercise 04: the manual training loop. The C++ side of the five lines every PyTorch user types:
// (es) Ejercicio 04: el loop de entrenamiento manual. El lado C++ de las cinco líneas que escribe
// todo usuario de PyTorch:
//
//   for x, y in loader:
//       optimizer.zero_grad()
//       loss = criterion(model(x), y)
//       loss.backward()
//       optimizer.step()
//
// plus the three mistakes this loop invites: forgetting zero_grad(), evaluating in train() mode,
// and a model and a batch on different devices. The functions below are yours to write in
// training_loop.cpp; the network and the synthetic data are given.
// (es) más los tres errores a los que invita este loop: olvidar zero_grad(), evaluar en modo
// train(), y un modelo y un batch en dispositivos distintos. Las funciones de abajo las escribes
// tú en training_loop.cpp; la red y los datos sintéticos vienen dados.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <stdexcept>

namespace exercises::training_loop {

// Given: the network the loop trains, 784 -> hidden -> ReLU -> Dropout -> 10. The Dropout is
// there on purpose: it is what makes train() and eval() give different outputs. The layers are
// members initialised in declaration order, so a seed gives the same weights every time.
// (es) Ya viene escrita: la red que entrena el loop, 784 -> hidden -> ReLU -> Dropout -> 10. El
// Dropout está a propósito: es lo que hace que train() y eval() den salidas distintas. Las capas
// son miembros que se inicializan en el orden en que se declaran, así que una semilla da siempre
// los mismos pesos.
class ClassifierImpl : public torch::nn::Module {
 public:
  explicit ClassifierImpl(int64_t hidden = 128, double dropout_probability = 0.2)
      : fc1(register_module("fc1", torch::nn::Linear(784, hidden))),
        dropout(register_module("dropout", torch::nn::Dropout(dropout_probability))),
        fc2(register_module("fc2", torch::nn::Linear(hidden, 10))) {}

  // images: [N, 784] or [N, 1, 28, 28]; returns logits [N, 10].
  // (es) images: [N, 784] o [N, 1, 28, 28]; devuelve logits [N, 10].
  torch::Tensor forward(torch::Tensor images) {
    torch::Tensor x = torch::relu(fc1(images.flatten(1)));
    return fc2(dropout(x));
  }

  torch::nn::Linear fc1;
  torch::nn::Dropout dropout;
  torch::nn::Linear fc2;
};
TORCH_MODULE(Classifier);

// Thrown by check_same_device(): the model and a batch live on different devices.
// (es) La excepción de check_same_device(): el modelo y un batch viven en dispositivos distintos.
class DeviceMismatch : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws DeviceMismatch unless every parameter of `model` is on `batch.device()`. The message
// names the parameter, both devices and the fix (move both with .to(device)). On CUDA, LibTorch's
// own error comes from deep inside a kernel; this check says it before the forward pass.
// (es) Lanza DeviceMismatch salvo que todos los parámetros de `model` estén en `batch.device()`.
// El mensaje nombra el parámetro, los dos dispositivos y la solución (mover los dos con
// .to(device)). En CUDA, el error del propio LibTorch sale de lo profundo de un kernel; esta
// comprobación lo dice antes del forward.
void check_same_device(const torch::nn::Module& model, const torch::Tensor& batch);

// The mean cross-entropy of one batch: `criterion(model(x), y)` with nn.CrossEntropyLoss().
// images: float [B, 784], labels: int64 [B]. Returns a scalar tensor that requires grad.
// (es) La entropía cruzada media de un batch: `criterion(model(x), y)` con
// nn.CrossEntropyLoss(). images: float [B, 784], labels: int64 [B]. Devuelve un tensor escalar
// que requiere grad.
torch::Tensor batch_loss(Classifier& model, const torch::Tensor& images,
                         const torch::Tensor& labels);

// Moves `model` to `device`, THEN builds Adam over all its parameters with this learning rate
// (every other option at Adam's default: betas 0.9 / 0.999, eps 1e-8, no weight decay). The
// order matters once training has begun: Adam creates its state (exp_avg, exp_avg_sq) next to
// each parameter at its first step, and moving the model later does not move that state.
//   model.to(device); return torch.optim.Adam(model.parameters(), lr=learning_rate)
// (es) Mueve `model` a `device` y DESPUÉS construye Adam sobre todos sus parámetros con esta tasa
// de aprendizaje (todas las demás opciones con su valor por defecto en Adam: betas 0.9 / 0.999,
// eps 1e-8, sin weight decay). El orden importa una vez empezado el entrenamiento: Adam crea su
// estado (exp_avg, exp_avg_sq) junto a cada parámetro en su primer paso, y mover el modelo
// después no mueve ese estado.
//   model.to(device); return torch.optim.Adam(model.parameters(), lr=learning_rate)
torch::optim::Adam make_adam(Classifier& model, const torch::Device& device, double learning_rate);

// One optimisation step on one batch: zero_grad, forward, loss, backward, step. Checks the
// devices first. Returns the batch's loss (computed before the step) as a double.
// (es) Un paso de optimización sobre un batch: zero_grad, forward, pérdida, backward, step.
// Primero comprueba los dispositivos. Devuelve la pérdida del batch (calculada antes del paso)
// como un double.
double train_step(Classifier& model, torch::optim::Optimizer& optimizer,
                  const torch::Tensor& images, const torch::Tensor& labels);

struct EpochStats {
  double first_batch_loss = 0.0;  // the loss of the very first step
                                  // (es) la pérdida del primer paso de todos
  double mean_loss = 0.0;         // sample-weighted: a short last batch counts for what it holds
                                  // (es) ponderada por ejemplos: un último batch corto cuenta
                                  // por lo que trae
  int64_t batches = 0;
  int64_t examples = 0;
};

// One epoch over in-memory tensors: model->train(), a fresh random order (randperm), then one
// train_step() per batch of `batch_size` examples (the last one may be shorter).
// (es) Una época sobre tensores en memoria: model->train(), un orden aleatorio nuevo (randperm),
// y después un train_step() por cada batch de `batch_size` ejemplos (el último puede ser más
// corto).
EpochStats train_one_epoch(Classifier& model, torch::optim::Optimizer& optimizer,
                           const torch::Tensor& images, const torch::Tensor& labels,
                           int64_t batch_size);

// Logits for `images` the way evaluation needs them: model->eval() (Dropout off) and no
// autograd graph (torch::NoGradGuard). Checks the devices first.
// (es) Los logits de `images` como los necesita la evaluación: model->eval() (Dropout apagado) y
// sin grafo de autograd (torch::NoGradGuard). Primero comprueba los dispositivos.
torch::Tensor predict(Classifier& model, const torch::Tensor& images);

// The fraction of `images` whose predicted class (argmax of predict()) equals `labels`,
// computed in chunks of `batch_size` examples.
// (es) La fracción de `images` cuya clase predicha (argmax de predict()) es igual a `labels`,
// calculada por trozos de `batch_size` ejemplos.
double accuracy(Classifier& model, const torch::Tensor& images, const torch::Tensor& labels,
                int64_t batch_size = 1000);

// Given: points on the line y = slope * x + intercept plus Gaussian noise, x uniform in
// [-1, 1]. Both tensors are float [n, 1]. Uses the global generator (seed it first).
// (es) Ya viene escrito: puntos de la recta y = slope * x + intercept más ruido gaussiano, con x
// uniforme en [-1, 1]. Los dos tensores son float [n, 1]. Usa el generador global (fija antes su
// semilla).
struct LineData {
  torch::Tensor x;
  torch::Tensor y;
};
inline LineData make_line_data(int64_t n, double slope, double intercept, double noise) {
  torch::Tensor x = torch::rand({n, 1}) * 2 - 1;
  torch::Tensor y = slope * x + intercept + noise * torch::randn({n, 1});
  return {x, y};
}

struct RegressionResult {
  double first_loss = 0.0;  // MSE before the first step
                            // (es) MSE antes del primer paso
  double final_loss = 0.0;  // MSE after the last step
                            // (es) MSE después del último paso
  double weight = 0.0;      // the fitted slope
                            // (es) la pendiente ajustada
  double bias = 0.0;        // the fitted intercept
                            // (es) la ordenada al origen ajustada
};

// Fits nn::Linear(1, 1) to (x, y) with nn::MSELoss and full-batch SGD: `steps` steps of the
// same zero_grad / forward / loss / backward / step loop, at `learning_rate`.
// (es) Ajusta nn::Linear(1, 1) a (x, y) con nn::MSELoss y SGD sobre todos los datos a la vez
// (full-batch): `steps` pasos del mismo loop zero_grad / forward / pérdida / backward / step,
// con tasa de aprendizaje `learning_rate`.
RegressionResult fit_line(const torch::Tensor& x, const torch::Tensor& y, int64_t steps,
                          double learning_rate);

}  // namespace exercises::training_loop
