// Exercise 06: TorchScript. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code; torchscript.h says what every function must
// do. Check your work with
//   tools/course/bin/course check 06_torchscript     (stuck? `course hint 06_torchscript`)
// and run build/student/bin/ex06_torchscript to see the lesson. Hints: README.md, "## Hints".
// ([[maybe_unused]] only silences the warning about parameters a stub does not use yet.)
// (es) Ejercicio 06: TorchScript. Completa cada función de abajo: reemplaza el TODO y la línea
// course::not_implemented(...) por tu código; torchscript.h dice qué tiene que hacer cada
// función. Comprueba tu trabajo con
//   tools/course/bin/course check 06_torchscript     (¿no te sale? `course hint 06_torchscript`)
// y corre build/student/bin/ex06_torchscript para ver la lección. Pistas: README.es.md,
// "## Pistas". ([[maybe_unused]] solo calla la advertencia sobre los parámetros que un esqueleto
// todavía no usa.)
#include "torchscript.h"

#include "common/lesson.h"

namespace exercises::torchscript {

torch::jit::Module load_model([[maybe_unused]] const std::string& path) {
  // TODO: load the TorchScript model that Python saved at `path`.
  //   Python: model = torch.jit.load(path)
  //   Hint 1.
  // (es) TODO: carga el modelo TorchScript que Python guardó en `path`.
  //   Python: model = torch.jit.load(path)
  //   Pista 1.
  course::not_implemented("06_torchscript", "load_model");
}

torch::Tensor prepare_input([[maybe_unused]] const torch::Tensor& images,
                            [[maybe_unused]] double mean, [[maybe_unused]] double stddev) {
  // TODO: the images normalised as the model saw them in training.
  //   Python: (images - mean) / std     (transforms.Normalize((0.2860,), (0.3530,)))
  //   Hint 2.
  // (es) TODO: las imágenes normalizadas como el modelo las vio al entrenar.
  //   Python: (images - mean) / std     (transforms.Normalize((0.2860,), (0.3530,)))
  //   Pista 2.
  course::not_implemented("06_torchscript", "prepare_input");
}

torch::Tensor predict([[maybe_unused]] torch::jit::Module& model,
                      [[maybe_unused]] const torch::Tensor& inputs) {
  // TODO: the model's logits for `inputs`, in evaluation mode and without gradients.
  //   Python: model.eval()
  //           with torch.no_grad(): return model(inputs)
  //   Hints 3 and 4.
  // (es) TODO: los logits del modelo para `inputs`, en modo de evaluación y sin gradientes.
  //   Python: model.eval()
  //           with torch.no_grad(): return model(inputs)
  //   Pistas 3 y 4.
  course::not_implemented("06_torchscript", "predict");
}

double accuracy([[maybe_unused]] const torch::Tensor& logits,
                [[maybe_unused]] const torch::Tensor& labels) {
  // TODO: the fraction of rows whose largest logit is the label's, a number in [0, 1].
  //   Python: (logits.argmax(dim=1) == labels).float().mean().item()
  //   Hint 5.
  // (es) TODO: la fracción de filas cuyo logit más grande es el de la etiqueta, un número en
  //   [0, 1].
  //   Python: (logits.argmax(dim=1) == labels).float().mean().item()
  //   Pista 5.
  course::not_implemented("06_torchscript", "accuracy");
}

void save_for_python([[maybe_unused]] const torch::Tensor& tensor,
                     [[maybe_unused]] const std::string& path) {
  // TODO: write the tensor to `path` so that Python's torch.load(path) reads it back.
  //   Python (the other way round): torch.save(tensor, path)
  //   Hint 6.
  // (es) TODO: escribe el tensor en `path` de modo que torch.load(path) de Python lo lea.
  //   Python (al revés): torch.save(tensor, path)
  //   Pista 6.
  course::not_implemented("06_torchscript", "save_for_python");
}

}  // namespace exercises::torchscript
