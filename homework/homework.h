// The homework: the course's Keras model of Fashion-MNIST, rebuilt in LibTorch.
//   MLP 784 -> 300 -> ReLU -> 100 -> ReLU -> 10, CrossEntropyLoss, Adam(lr = 1e-3), batch 32,
//   early stopping on the validation loss (patience 5) that restores the best weights,
//   and the test accuracy at the end (acceptance: >= 0.87).
// (es) La tarea: el modelo Keras de Fashion-MNIST del curso, reconstruido en LibTorch.
//   MLP 784 -> 300 -> ReLU -> 100 -> ReLU -> 10, CrossEntropyLoss, Adam(lr = 1e-3), batch 32,
//   parada temprana sobre la pérdida de validación (patience 5) que restaura los mejores pesos,
//   y la accuracy en test al final (criterio de aceptación: >= 0.87).
//
// You write all of it in homework.cpp (look for TODO): the model, the optimizer, one training
// epoch, the evaluation, and fit(): the epoch loop with its early stopping. main.cpp is the
// harness around your fit() (flags, data, progress, checkpoints, the test, the results); it
// reaches into your training only through the Observer below.
// (es) Todo eso lo escribes tú en homework.cpp (busca TODO): el modelo, el optimizador, una época
// de entrenamiento, la evaluación, y fit(): el loop de épocas con su parada temprana. main.cpp es
// el harness alrededor de tu fit() (flags, datos, progreso, checkpoints, el test, los
// resultados); solo entra en tu entrenamiento a través del Observer de abajo.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "harness/batches.h"

namespace homework {

// 784*300 + 300 + 300*100 + 100 + 100*10 + 10: what model.parameters() adds up to.
// (es) 784*300 + 300 + 300*100 + 100 + 100*10 + 10: lo que suma model.parameters().
inline constexpr int64_t kParameterCount = 266610;

// The model: Python's
//   nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
//                 nn.Linear(100, 10))
// as a module of its own (the pattern of pytorch/examples' C++ models: MlpImpl + TORCH_MODULE).
// (es) El modelo: el
//   nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
//                 nn.Linear(100, 10))
// de Python como un módulo propio (el patrón de los modelos C++ de pytorch/examples: MlpImpl +
// TORCH_MODULE).
class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl();
  // images: float [B, 784] -> logits: float [B, 10] (no softmax: the loss applies log-softmax).
  // (es) images: float [B, 784] -> logits: float [B, 10] (sin softmax: la pérdida aplica
  // log-softmax).
  torch::Tensor forward(torch::Tensor images);

  torch::nn::Linear hidden1{nullptr};  // 784 -> 300
  torch::nn::Linear hidden2{nullptr};  // 300 -> 100
  torch::nn::Linear output{nullptr};   // 100 -> 10
};
TORCH_MODULE(Mlp);  // Mlp: a shared handle to an MlpImpl, like every torch::nn module
                    // (es) Mlp: un handle compartido a un MlpImpl, como todo módulo de torch::nn

// The optimizer that trains `model`: Python's
//   optimizer = optim.Adam(model.parameters(), lr=learning_rate)
// (es) El optimizador que entrena `model`: en Python,
//   optimizer = optim.Adam(model.parameters(), lr=learning_rate)
torch::optim::Adam make_optimizer(Mlp& model, double learning_rate);

// One line of the history fit() returns (Keras: one entry of History.history per epoch).
// (es) Una línea del historial que devuelve fit() (Keras: una entrada de History.history por
// época).
struct EpochResult {
  int64_t epoch = 0;        // 1-based
                            // (es) contando desde 1
  double train_loss = 0.0;  // mean over the epoch's training examples
                            // (es) media sobre los ejemplos de entrenamiento de la época
  double val_loss = 0.0;    // mean over the validation examples
                            // (es) media sobre los ejemplos de validación
  double val_accuracy = 0.0;
  bool improved = false;  // val_loss strictly lower than in every earlier epoch
                          // (es) val_loss estrictamente menor que en todas las épocas anteriores
};

// What fit() did: every complete epoch, and the best one (whose weights the model holds after).
// (es) Lo que hizo fit(): cada época completa, y la mejor (cuyos pesos tiene el modelo al
// terminar).
struct History {
  std::vector<EpochResult> epochs;
  int64_t best_epoch = 0;  // 1-based; 0 while no epoch has improved
                           // (es) contando desde 1; 0 mientras ninguna época haya mejorado
  double best_val_loss = std::numeric_limits<double>::infinity();
};

// How the harness follows your training: fit() and train_one_epoch() tell it what happened and
// ask whether to go on. This base class does nothing and never asks to stop; the harness
// (progress bar, log line, checkpoint, Ctrl-C) and the tests derive from it.
// (es) Cómo sigue el harness tu entrenamiento: fit() y train_one_epoch() le cuentan lo que pasó y
// le preguntan si seguir. Esta clase base no hace nada y nunca pide parar; el harness (barra de
// progreso, línea de log, checkpoint, Ctrl-C) y las pruebas derivan de ella.
class Observer {
 public:
  virtual ~Observer() = default;
  // After every training batch: the batches done so far in this epoch and their mean loss.
  // Returns false to end the epoch now (Ctrl-C).
  // (es) Después de cada batch de entrenamiento: los batches hechos hasta ahora en esta época y
  // su pérdida media. Devuelve false para terminar la época ya (Ctrl-C).
  virtual bool on_batch(int64_t batches_done, double running_loss) {
    (void)batches_done, (void)running_loss;
    return true;
  }
  // After every complete epoch, once it is validated.
  // (es) Después de cada época completa, una vez validada.
  virtual void on_epoch(const EpochResult& result) { (void)result; }
  // True once the training must end (Ctrl-C): the epoch that was cut short is not recorded.
  // (es) true cuando el entrenamiento tiene que terminar (Ctrl-C): la época que quedó cortada no
  // se registra.
  virtual bool stop_requested() const { return false; }
};

// One pass over `batches` (call batches.set_epoch() first): the body of Python's
//   model.train()
//   for images, labels in loader:
//       optimizer.zero_grad(); loss = loss_fn(model(images), labels)
//       loss.backward(); optimizer.step()
// Returns the mean training loss over the examples seen, each batch weighted by its size.
// Tells `observer` after each batch, and stops early when it answers false.
// (es) Una pasada por `batches` (llama antes a batches.set_epoch()): el cuerpo del Python
//   model.train()
//   for images, labels in loader:
//       optimizer.zero_grad(); loss = loss_fn(model(images), labels)
//       loss.backward(); optimizer.step()
// Devuelve la pérdida media de entrenamiento sobre los ejemplos vistos, cada batch ponderado por
// su tamaño. Le avisa a `observer` después de cada batch, y para antes cuando responde false.
double train_one_epoch(Mlp& model, torch::optim::Optimizer& optimizer,
                       const harness::Batches& batches, Observer& observer);

struct Evaluation {
  double loss = 0.0;          // mean cross-entropy over the examples
                              // (es) entropía cruzada media sobre los ejemplos
  double accuracy = 0.0;      // fraction of examples whose largest logit is the label
                              // (es) fracción de ejemplos cuyo logit más grande es la etiqueta
  torch::Tensor predictions;  // int64 [N]: the predicted class of each example
                              // (es) int64 [N]: la clase predicha de cada ejemplo
};

// The model in evaluation mode, without building a graph: Python's
//   model.eval()
//   with torch.no_grad(): logits = model(images)
// (es) El modelo en modo evaluación, sin construir un grafo: en Python,
//   model.eval()
//   with torch.no_grad(): logits = model(images)
Evaluation evaluate(Mlp& model, const torch::Tensor& images, const torch::Tensor& labels);

struct FitOptions {
  int64_t patience = 5;      // epochs without improvement before stopping (0 acts as 1)
                             // (es) épocas sin mejora antes de parar (0 cuenta como 1)
  int64_t max_epochs = 100;  // stop here at the latest
                             // (es) parar aquí, como mucho
  // --resume: the epochs a checkpoint already holds, whose last one is its best (the model and
  // the optimizer were loaded from it). Empty for a fresh run.
  // (es) --resume: las épocas que ya tiene un checkpoint, cuya última es su mejor (el modelo y el
  // optimizador se cargaron de él). Vacío en una corrida nueva.
  History resumed;
};

// The training with early stopping, by hand: the C++ side of Keras'
//   model.fit(..., epochs=max_epochs, callbacks=[EarlyStopping(monitor="val_loss",
//             patience=patience, restore_best_weights=True)])
// Epoch after epoch: train, validate, remember the best weights; stop after `patience` epochs
// in a row without a strictly lower validation loss (a tie does not improve, NaN never does),
// or at `max_epochs`, or when the observer asks. Before returning, put the best epoch's weights
// back into `model` (the weights fit() started with if no epoch improved).
// (es) El entrenamiento con parada temprana, a mano: el lado C++ del
//   model.fit(..., epochs=max_epochs, callbacks=[EarlyStopping(monitor="val_loss",
//             patience=patience, restore_best_weights=True)])
// de Keras. Época tras época: entrena, valida, recuerda los mejores pesos; para después de
// `patience` épocas seguidas sin una pérdida de validación estrictamente menor (un empate no
// mejora, NaN nunca), o en `max_epochs`, o cuando el observer lo pide. Antes de volver, vuelve a
// poner en `model` los pesos de la mejor época (los pesos con los que empezó fit() si ninguna
// época mejoró).
History fit(Mlp& model, torch::optim::Optimizer& optimizer, harness::Batches& train_batches,
            const harness::Examples& validation, const FitOptions& options, Observer& observer);

}  // namespace homework
