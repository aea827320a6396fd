// Exercise 04: the manual training loop. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code; training_loop.h says what every function
// must do. Check your work with
//   tools/course/bin/course check 04_training_loop     (stuck? `course hint 04_training_loop`)
// and run build/student/bin/ex04_training_loop to see the lesson. Hints: README.md, "## Hints".
// ([[maybe_unused]] only silences the warning about parameters a stub does not use yet.)
// (es) Ejercicio 04: el loop de entrenamiento manual. Completa cada función de abajo: reemplaza
// el TODO y la línea course::not_implemented(...) por tu código; training_loop.h dice qué tiene
// que hacer cada función. Comprueba tu trabajo con
//   tools/course/bin/course check 04_training_loop    (¿no te sale? `course hint 04_training_loop`)
// y corre build/student/bin/ex04_training_loop para ver la lección. Pistas: README.es.md,
// "## Pistas". ([[maybe_unused]] solo calla la advertencia sobre los parámetros que un esqueleto
// todavía no usa.)
#include "training_loop.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/lesson.h"

namespace exercises::training_loop {

void check_same_device([[maybe_unused]] const torch::nn::Module& model,
                       [[maybe_unused]] const torch::Tensor& batch) {
  // TODO: throw DeviceMismatch when any parameter of the model is on another device than the
  //   batch, with a message that names the parameter, both devices and the fix (move both to
  //   one device with .to(device)).
  //   Python: for name, p in model.named_parameters():
  //               if p.device != x.device: raise ValueError(f"{name} is on {p.device} ...")
  //   (the check behind "Expected all tensors to be on the same device", made early and
  //   readable). Hints 1 and 4.
  // (es) TODO: lanza DeviceMismatch cuando algún parámetro del modelo está en otro dispositivo
  //   que el batch, con un mensaje que nombre el parámetro, los dos dispositivos y la solución
  //   (mover los dos a un mismo dispositivo con .to(device)).
  //   Python: for name, p in model.named_parameters():
  //               if p.device != x.device: raise ValueError(f"{name} está en {p.device} ...")
  //   (la comprobación detrás de "Expected all tensors to be on the same device", hecha antes y
  //   legible). Pistas 1 y 4.
  course::not_implemented("04_training_loop", "check_same_device");
}

torch::Tensor batch_loss([[maybe_unused]] Classifier& model,
                         [[maybe_unused]] const torch::Tensor& images,
                         [[maybe_unused]] const torch::Tensor& labels) {
  // TODO: the mean cross-entropy of the model's logits for this batch.
  //   Python: criterion = nn.CrossEntropyLoss(); loss = criterion(model(x), y)
  //   Hint 1.
  // (es) TODO: la entropía cruzada media de los logits del modelo para este batch.
  //   Python: criterion = nn.CrossEntropyLoss(); loss = criterion(model(x), y)
  //   Pista 1.
  course::not_implemented("04_training_loop", "batch_loss");
}

torch::optim::Adam make_adam([[maybe_unused]] Classifier& model,
                             [[maybe_unused]] const torch::Device& device,
                             [[maybe_unused]] double learning_rate) {
  // TODO: move the model to the device first, then build Adam over all its parameters with
  //   this learning rate (Adam's defaults for the rest). Why this order: README.md, "Adam, and
  //   the model on its device first".
  //   Python: model.to(device); return torch.optim.Adam(model.parameters(), lr=learning_rate)
  //   Hint 6.
  // (es) TODO: primero mueve el modelo al dispositivo, y después construye Adam sobre todos sus
  //   parámetros con esta tasa de aprendizaje (lo demás, con los valores por defecto de Adam).
  //   Por qué en este orden: README.es.md, "Adam, y primero el modelo en su dispositivo".
  //   Python: model.to(device); return torch.optim.Adam(model.parameters(), lr=learning_rate)
  //   Pista 6.
  course::not_implemented("04_training_loop", "make_adam");
}

double train_step([[maybe_unused]] Classifier& model,
                  [[maybe_unused]] torch::optim::Optimizer& optimizer,
                  [[maybe_unused]] const torch::Tensor& images,
                  [[maybe_unused]] const torch::Tensor& labels) {
  // TODO: check the devices, then the four lines of every step, and return the loss of the
  //   batch (the one computed before the step) as a plain number.
  //   Python: optimizer.zero_grad(); loss = criterion(model(x), y); loss.backward();
  //           optimizer.step(); return loss.item()
  //   Hint 2.
  // (es) TODO: comprueba los dispositivos, después las cuatro líneas de todo paso, y devuelve la
  //   pérdida del batch (la calculada antes del paso) como un número simple.
  //   Python: optimizer.zero_grad(); loss = criterion(model(x), y); loss.backward();
  //           optimizer.step(); return loss.item()
  //   Pista 2.
  course::not_implemented("04_training_loop", "train_step");
}

EpochStats train_one_epoch([[maybe_unused]] Classifier& model,
                           [[maybe_unused]] torch::optim::Optimizer& optimizer,
                           [[maybe_unused]] const torch::Tensor& images,
                           [[maybe_unused]] const torch::Tensor& labels,
                           [[maybe_unused]] int64_t batch_size) {
  // TODO: one epoch: training mode, a new random order of the examples every epoch, then one
  //   train_step per batch of batch_size examples in that order (the last batch may be
  //   shorter). Fill an EpochStats: the first batch's loss, the mean loss weighted by batch
  //   size, the number of batches and of examples.
  //   Python: model.train()
  //           for x, y in DataLoader(dataset, batch_size, shuffle=True):
  //               total += train_step(x, y) * len(x)
  //   Hints 1 and 3.
  // (es) TODO: una época: modo entrenamiento, un orden aleatorio nuevo de los ejemplos en cada
  //   época, y después un train_step por cada batch de batch_size ejemplos en ese orden (el
  //   último batch puede ser más corto). Llena un EpochStats: la pérdida del primer batch, la
  //   pérdida media ponderada por el tamaño del batch, el número de batches y el de ejemplos.
  //   Python: model.train()
  //           for x, y in DataLoader(dataset, batch_size, shuffle=True):
  //               total += train_step(x, y) * len(x)
  //   Pistas 1 y 3.
  course::not_implemented("04_training_loop", "train_one_epoch");
}

torch::Tensor predict([[maybe_unused]] Classifier& model,
                      [[maybe_unused]] const torch::Tensor& images) {
  // TODO: check the devices, then the logits in evaluation mode (Dropout off) with autograd
  //   switched off until the forward is done.
  //   Python: model.eval(); with torch.no_grad(): return model(x)
  //   Hint 5.
  // (es) TODO: comprueba los dispositivos, y después los logits en modo evaluación (Dropout
  //   apagado) con autograd apagado hasta que termine el forward.
  //   Python: model.eval(); with torch.no_grad(): return model(x)
  //   Pista 5.
  course::not_implemented("04_training_loop", "predict");
}

double accuracy([[maybe_unused]] Classifier& model, [[maybe_unused]] const torch::Tensor& images,
                [[maybe_unused]] const torch::Tensor& labels, [[maybe_unused]] int64_t batch_size) {
  // TODO: the fraction of correct predictions (argmax of predict()), over chunks of batch_size
  //   examples.
  //   Python: correct += (model(x).argmax(1) == y).sum().item(); return correct / len(dataset)
  //   Hint 5.
  // (es) TODO: la fracción de predicciones correctas (argmax de predict()), por trozos de
  //   batch_size ejemplos.
  //   Python: correct += (model(x).argmax(1) == y).sum().item(); return correct / len(dataset)
  //   Pista 5.
  course::not_implemented("04_training_loop", "accuracy");
}

RegressionResult fit_line([[maybe_unused]] const torch::Tensor& x,
                          [[maybe_unused]] const torch::Tensor& y, [[maybe_unused]] int64_t steps,
                          [[maybe_unused]] double learning_rate) {
  // TODO: fit nn::Linear(1, 1) to (x, y) with MSELoss and full-batch SGD at learning_rate:
  //   `steps` times the loop of train_step. Record the loss before the first step; after the
  //   loop, without grad, the final loss and the fitted weight and bias as numbers.
  //   Python: model = nn.Linear(1, 1); criterion = nn.MSELoss()
  //           optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
  //   Hint 5.
  // (es) TODO: ajusta nn::Linear(1, 1) a (x, y) con MSELoss y SGD sobre todos los datos a la vez
  //   (full-batch) con tasa de aprendizaje learning_rate: `steps` veces el loop de train_step.
  //   Guarda la pérdida antes del primer paso; después del loop, sin grad, la pérdida final y
  //   el peso y el bias ajustados, como números.
  //   Python: model = nn.Linear(1, 1); criterion = nn.MSELoss()
  //           optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
  //   Pista 5.
  course::not_implemented("04_training_loop", "fit_line");
}

}  // namespace exercises::training_loop
