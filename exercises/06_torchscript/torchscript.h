// Exercise 06: TorchScript, a model trained in Python and served from C++. The C++ side of
// (es) Ejercicio 06: TorchScript, un modelo entrenado en Python y servido desde C++. El lado C++ de
//
//   model = torch.jit.load("fashion_mlp.pt")
//   model.eval()
//   with torch.no_grad():
//       logits = model((images - 0.2860) / 0.3530)
//   accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
//   torch.save(tensor, "from_cpp.pt")
//
// export_model.py (beside this file) trains the model in Python and saves it with
// torch.jit.script; the build runs it. The functions below are yours to write in torchscript.cpp.
// (es) export_model.py (junto a este archivo) entrena el modelo en Python y lo guarda con
// torch.jit.script; el build lo corre. Las funciones de abajo las escribes tú en torchscript.cpp.
#pragma once

#include <torch/script.h>
#include <torch/torch.h>

#include <string>

namespace exercises::torchscript {

// The TorchScript model saved by Python at `path`. A missing file or one that is not a
// TorchScript model throws LibTorch's error (a c10::Error, which names the file): let it go up.
// (es) El modelo TorchScript que Python guardó en `path`. Un archivo que falta o que no es un
// modelo TorchScript lanza el error de LibTorch (un c10::Error, que nombra el archivo): déjalo
// subir.
torch::jit::Module load_model(const std::string& path);

// The images as the model was trained to see them: images float [N, 1, 28, 28] with pixels in
// [0, 1], normalised with the training set's `mean` and `stddev` (the same shape and dtype).
// (es) Las imágenes tal como el modelo aprendió a verlas: imágenes float [N, 1, 28, 28] con
// píxeles en [0, 1], normalizadas con la media `mean` y la desviación estándar `stddev` del
// conjunto de entrenamiento (la misma forma y el mismo dtype).
torch::Tensor prepare_input(const torch::Tensor& images, double mean, double stddev);

// The model's logits [N, 10] for prepared `inputs`: in evaluation mode (the model has dropout),
// and without recording gradients (the result does not require grad).
// (es) Los logits [N, 10] del modelo para las entradas `inputs` ya preparadas: en modo de
// evaluación (el modelo tiene dropout) y sin registrar gradientes (el resultado no requiere grad).
torch::Tensor predict(torch::jit::Module& model, const torch::Tensor& inputs);

// The fraction of rows of `logits` [N, 10] whose largest logit is at the index `labels` [N]
// gives, a number in [0, 1].
// (es) La fracción de filas de `logits` [N, 10] cuyo logit más grande está en el índice que da
// `labels` [N], un número en [0, 1].
double accuracy(const torch::Tensor& logits, const torch::Tensor& labels);

// Writes `tensor` to `path` in the format Python's torch.load reads (the other way round: from
// C++ to Python). Throws std::runtime_error naming `path` when it cannot be written.
// (es) Escribe `tensor` en `path` en el formato que lee torch.load de Python (al revés: de C++ a
// Python). Lanza std::runtime_error con `path` cuando no se puede escribir.
void save_for_python(const torch::Tensor& tensor, const std::string& path);

}  // namespace exercises::torchscript
