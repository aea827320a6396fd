// Exercise 05: Dataset and DataLoader. The C++ side of
// (es) Ejercicio 05: Dataset y DataLoader. El lado C++ de
//
//   class FashionDataset(torch.utils.data.Dataset):
//       def __getitem__(self, index): return self.images[index], self.labels[index]
//       def __len__(self): return len(self.labels)
//   loader = DataLoader(dataset, batch_size=32, shuffle=True, num_workers=2)
//   for x, y in loader:
//       x = x.to(device, non_blocking=True)
//
// LibTorch spells these torch::data::datasets::Dataset, .map(transform) and
// torch::data::make_data_loader. The functions below are yours to write in dataloader.cpp.
// (es) LibTorch los escribe torch::data::datasets::Dataset, .map(transform) y
// torch::data::make_data_loader. Las funciones de abajo las escribes tú en dataloader.cpp.
#pragma once

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

namespace exercises::dataloader {

// A map-style data set over tensors already in memory: example `index` is
// (images[index], labels[index]). Images are float [N, 1, 28, 28] with pixels in [0, 1], labels
// int64 [N]. Copying one is cheap: tensors share their storage (each DataLoader worker holds a
// copy).
// (es) Un dataset de estilo map sobre tensores que ya están en memoria: el ejemplo `index` es
// (images[index], labels[index]). Las imágenes son float [N, 1, 28, 28] con píxeles en [0, 1],
// las etiquetas int64 [N]. Copiar uno es barato: los tensores comparten su almacenamiento (cada
// worker del DataLoader tiene una copia).
class FashionDataset : public torch::data::datasets::Dataset<FashionDataset> {
 public:
  // Given: keeps the two tensors after checking that they describe the same examples.
  // (es) Ya viene escrito: guarda los dos tensores después de comprobar que describen los mismos
  // ejemplos.
  FashionDataset(torch::Tensor images, torch::Tensor labels)
      : images_(std::move(images)), labels_(std::move(labels)) {
    if (images_.dim() < 1 || labels_.dim() != 1 || images_.size(0) != labels_.size(0)) {
      throw std::invalid_argument(
          "FashionDataset: images [N, ...] and labels [N] must hold the same number of examples");
    }
  }

  // Python's __getitem__: the image [1, 28, 28] and the label (an int64 scalar) at `index`.
  // (es) El __getitem__ de Python: la imagen [1, 28, 28] y la etiqueta (un escalar int64) en
  // `index`.
  torch::data::Example<> get(size_t index) override;

  // Python's __len__: the number of examples.
  // (es) El __len__ de Python: el número de ejemplos.
  torch::optional<size_t> size() const override;

 private:
  torch::Tensor images_;
  torch::Tensor labels_;
};

// The data set after the transform pipeline: each image normalised, then the examples of a batch
// stacked into one tensor (what Python's default collate function does).
// (es) El dataset después de la cadena de transformaciones: cada imagen normalizada, y después los
// ejemplos de un batch apilados en un solo tensor (lo que hace la función collate por defecto de
// Python).
using NormalizedDataset = torch::data::datasets::MapDataset<
    torch::data::datasets::MapDataset<FashionDataset, torch::data::transforms::Normalize<>>,
    torch::data::transforms::Stack<>>;

// Builds the pipeline: dataset.map(Normalize(mean, std)).map(Stack()).
// Batches come out as {data: float [B, 1, 28, 28], target: int64 [B]}.
// (es) Construye la cadena: dataset.map(Normalize(mean, std)).map(Stack()).
// Los batches salen como {data: float [B, 1, 28, 28], target: int64 [B]}.
NormalizedDataset make_pipeline(FashionDataset dataset, double mean, double stddev);

// The loader type: batches of the pipeline, in the order a RandomSampler draws.
// (es) El tipo del loader: batches de la cadena, en el orden que saca un RandomSampler.
using Loader =
    torch::data::StatelessDataLoader<NormalizedDataset, torch::data::samplers::RandomSampler>;
using Batch = torch::data::Example<>;

struct LoaderOptions {
  size_t batch_size = 32;
  size_t workers = 2;      // background threads that assemble batches
                           // (es) hilos de fondo que arman los batches
  bool drop_last = false;  // true: drop a last batch shorter than batch_size
                           // (es) true: descarta un último batch más corto que batch_size
};

// make_data_loader over `dataset` with a RandomSampler (a new order each epoch, drawn from the
// global generator: seed it first) and the given options.
// (es) make_data_loader sobre `dataset` con un RandomSampler (un orden nuevo en cada época, sacado
// del generador global: fija antes su semilla) y las opciones dadas.
std::unique_ptr<Loader> make_loader(NormalizedDataset dataset, const LoaderOptions& options = {});

// Moves a batch to `device`. On CUDA it first copies both tensors into pinned (page-locked) host
// memory and then copies them with non_blocking = true, so the transfer can overlap computation;
// to any other device it is a plain .to(device) (pinning needs CUDA and buys nothing there): on
// the CPU that returns the very same tensors.
// (es) Mueve un batch a `device`. En CUDA primero copia los dos tensores a memoria fijada (pinned,
// bloqueada en sus páginas) del host y después los copia con non_blocking = true, para que la
// transferencia se pueda solapar con el cálculo; a cualquier otro dispositivo es un simple
// .to(device) (fijar memoria necesita CUDA y ahí no gana nada): en la CPU eso devuelve los mismos
// tensores, sin cambios.
Batch to_device(Batch batch, const torch::Device& device);

// What one pass over a loader saw.
// (es) Lo que vio una pasada por un loader.
struct EpochSummary {
  int64_t batches = 0;
  int64_t examples = 0;
  std::vector<int64_t> batch_sizes;  // in the order the batches came
                                     // (es) en el orden en que llegaron los batches
  torch::Tensor targets;             // int64 [examples]: every target, in order, on the CPU
                                     // (es) int64 [examples]: cada etiqueta, en orden, en la CPU
};

// Iterates the loader once (`for x, y in loader:`), moving each batch with to_device(), and
// records what came out.
// (es) Recorre el loader una vez (`for x, y in loader:`), moviendo cada batch con to_device(), y
// registra lo que salió.
EpochSummary run_epoch(Loader& loader, const torch::Device& device);

}  // namespace exercises::dataloader
