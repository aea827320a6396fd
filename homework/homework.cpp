// YOUR HOMEWORK: write the six TODO parts below, then run
//   cmake --build --preset student && build/student/bin/homework
//   ctest --preset student -L '^homework$'      # the checks of your parts, then the grade
// The task is in homework/README.md, and so are the hints (`course hint homework` shows the
// next one). The declarations, with what each function must do, are in homework.h.
// (es) TU TAREA: escribe las seis partes TODO de abajo, y después corre
//   cmake --build --preset student && build/student/bin/homework
//   ctest --preset student -L '^homework$'      # las pruebas de tus partes, luego la calificación
// La tarea está en homework/README.es.md, y también las pistas (`course hint homework` muestra
// la siguiente). Las declaraciones, con lo que tiene que hacer cada función, están en homework.h.
#include "homework.h"

#include "common/lesson.h"

namespace homework {

MlpImpl::MlpImpl() {
  // TODO 1a: create the three layers hidden1 (784 -> 300), hidden2 (300 -> 100) and output
  // (100 -> 10), in this order, and register each one so that its parameters belong to the
  // model. Python:
  //   self.hidden1 = nn.Linear(784, 300)      # and hidden2, output
  // Hint 1.
  // (es) TODO 1a: crea las tres capas hidden1 (784 -> 300), hidden2 (300 -> 100) y output
  // (100 -> 10), en este orden, y registra cada una para que sus parámetros pertenezcan al
  // modelo. Python:
  //   self.hidden1 = nn.Linear(784, 300)      # y hidden2, output
  // Pista 1.
  course::not_implemented("homework", "MlpImpl::MlpImpl");
}

torch::Tensor MlpImpl::forward([[maybe_unused]] torch::Tensor images) {
  // TODO 1b: the logits, without a softmax at the end (the loss applies it). Python:
  //   x = F.relu(self.hidden1(x)); x = F.relu(self.hidden2(x)); return self.output(x)
  // Hint 1.
  // (es) TODO 1b: los logits, sin un softmax al final (la pérdida lo aplica). Python:
  //   x = F.relu(self.hidden1(x)); x = F.relu(self.hidden2(x)); return self.output(x)
  // Pista 1.
  course::not_implemented("homework", "MlpImpl::forward");
}

torch::optim::Adam make_optimizer([[maybe_unused]] Mlp& model,
                                  [[maybe_unused]] double learning_rate) {
  // TODO 2: Adam over every parameter of the model, with this learning rate. Python:
  //   return optim.Adam(model.parameters(), lr=learning_rate)
  // Hint 2.
  // (es) TODO 2: Adam sobre todos los parámetros del modelo, con esta tasa de aprendizaje.
  // Python:
  //   return optim.Adam(model.parameters(), lr=learning_rate)
  // Pista 2.
  course::not_implemented("homework", "make_optimizer");
}

double train_one_epoch([[maybe_unused]] Mlp& model,
                       [[maybe_unused]] torch::optim::Optimizer& optimizer,
                       [[maybe_unused]] const harness::Batches& batches,
                       [[maybe_unused]] Observer& observer) {
  // TODO 3: one epoch of training; return the mean loss per example. Python:
  //   model.train()
  //   for images, labels in loader:                 # here: for each harness::Batch in batches
  //       optimizer.zero_grad()
  //       loss = F.cross_entropy(model(images), labels)
  //       loss.backward()
  //       optimizer.step()
  //       total += loss.item() * len(labels); seen += len(labels)
  //       if not observer.on_batch(batches_done, total / seen): break
  //   return total / seen
  // Hint 3.
  // (es) TODO 3: una época de entrenamiento; devuelve la pérdida media por ejemplo. Python:
  //   model.train()
  //   for images, labels in loader:                 # aquí: por cada harness::Batch de batches
  //       optimizer.zero_grad()
  //       loss = F.cross_entropy(model(images), labels)
  //       loss.backward()
  //       optimizer.step()
  //       total += loss.item() * len(labels); seen += len(labels)
  //       if not observer.on_batch(batches_done, total / seen): break
  //   return total / seen
  // Pista 3.
  course::not_implemented("homework", "train_one_epoch");
}

Evaluation evaluate([[maybe_unused]] Mlp& model, [[maybe_unused]] const torch::Tensor& images,
                    [[maybe_unused]] const torch::Tensor& labels) {
  // TODO 4: evaluate without training and without building a graph. Python:
  //   model.eval()
  //   with torch.no_grad():
  //       logits = model(images)
  //       loss = F.cross_entropy(logits, labels).item()
  //       predictions = logits.argmax(1)
  //       accuracy = (predictions == labels).double().mean().item()
  // Fill and return an Evaluation. Hint 4.
  // (es) TODO 4: evalúa sin entrenar y sin construir un grafo. Python:
  //   model.eval()
  //   with torch.no_grad():
  //       logits = model(images)
  //       loss = F.cross_entropy(logits, labels).item()
  //       predictions = logits.argmax(1)
  //       accuracy = (predictions == labels).double().mean().item()
  // Llena y devuelve una Evaluation. Pista 4.
  course::not_implemented("homework", "evaluate");
}

History fit([[maybe_unused]] Mlp& model, [[maybe_unused]] torch::optim::Optimizer& optimizer,
            [[maybe_unused]] harness::Batches& train_batches,
            [[maybe_unused]] const harness::Examples& validation,
            [[maybe_unused]] const FitOptions& options, [[maybe_unused]] Observer& observer) {
  // TODO 5: the epoch loop with early stopping and the best weights restored. Python:
  //   history = options.resumed                     # empty unless --resume
  //   best_state = copy.deepcopy(model.state_dict())
  //   for epoch in range(len(history.epochs) + 1, options.max_epochs + 1):
  //       train_batches.set_epoch(epoch)            # a new shuffle each epoch
  //       train_loss = train_one_epoch(model, optimizer, train_batches, observer)
  //       if observer.stop_requested(): break       # Ctrl-C: the cut epoch is not recorded
  //       val = evaluate(model, validation.images, validation.labels)
  //       improved = val.loss < history.best_val_loss        # strictly lower; NaN never is
  //       if improved: remember the loss, the epoch, and a deep copy of the weights
  //       history.epochs.append(EpochResult(epoch, train_loss, val.loss, val.accuracy, improved))
  //       observer.on_epoch(history.epochs[-1])
  //       if epoch - history.best_epoch >= max(options.patience, 1): break
  //   model.load_state_dict(best_state)             # restore_best_weights=True
  //   return history
  // The trap: in C++ `Mlp best = model;` copies a handle, not the weights. Hints 5 and 6.
  // (es) TODO 5: el loop de épocas con parada temprana y los mejores pesos restaurados. Python:
  //   history = options.resumed                     # vacío salvo con --resume
  //   best_state = copy.deepcopy(model.state_dict())
  //   for epoch in range(len(history.epochs) + 1, options.max_epochs + 1):
  //       train_batches.set_epoch(epoch)            # una mezcla nueva en cada época
  //       train_loss = train_one_epoch(model, optimizer, train_batches, observer)
  //       if observer.stop_requested(): break       # Ctrl-C: la época cortada no se registra
  //       val = evaluate(model, validation.images, validation.labels)
  //       improved = val.loss < history.best_val_loss  # estrictamente menor; NaN nunca lo es
  //       if improved: recuerda la pérdida, la época y una copia profunda de los pesos
  //       history.epochs.append(EpochResult(epoch, train_loss, val.loss, val.accuracy, improved))
  //       observer.on_epoch(history.epochs[-1])
  //       if epoch - history.best_epoch >= max(options.patience, 1): break
  //   model.load_state_dict(best_state)             # restore_best_weights=True
  //   return history
  // La trampa: en C++ `Mlp best = model;` copia un handle, no los pesos. Pistas 5 y 6.
  course::not_implemented("homework", "fit");
}

}  // namespace homework
