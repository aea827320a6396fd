// Exercise 05: Dataset and DataLoader. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code; dataloader.h says what every function must
// do. Check your work with
//   tools/course/bin/course check 05_dataloader     (stuck? `course hint 05_dataloader`)
// and run build/student/bin/ex05_dataloader to see the lesson. Hints: README.md, "## Hints".
// ([[maybe_unused]] only silences the warning about parameters a stub does not use yet.)
// (es) Ejercicio 05: Dataset y DataLoader. Completa cada función de abajo: reemplaza el TODO y la
// línea course::not_implemented(...) por tu código; dataloader.h dice qué tiene que hacer cada
// función. Comprueba tu trabajo con
//   tools/course/bin/course check 05_dataloader     (¿no te sale? `course hint 05_dataloader`)
// y corre build/student/bin/ex05_dataloader para ver la lección. Pistas: README.es.md,
// "## Pistas". ([[maybe_unused]] solo calla la advertencia sobre los parámetros que un esqueleto
// todavía no usa.)
#include "dataloader.h"

#include "common/lesson.h"

namespace exercises::dataloader {

torch::data::Example<> FashionDataset::get([[maybe_unused]] size_t index) {
  // TODO: the example at `index`: the image [1, 28, 28] and its label, an int64 scalar.
  //   Python: def __getitem__(self, index): return self.images[index], self.labels[index]
  //   Hint 1.
  // (es) TODO: el ejemplo en `index`: la imagen [1, 28, 28] y su etiqueta, un escalar int64.
  //   Python: def __getitem__(self, index): return self.images[index], self.labels[index]
  //   Pista 1.
  course::not_implemented("05_dataloader", "FashionDataset::get");
}

torch::optional<size_t> FashionDataset::size() const {
  // TODO: the number of examples.
  //   Python: def __len__(self): return len(self.labels)
  //   Hint 1.
  // (es) TODO: el número de ejemplos.
  //   Python: def __len__(self): return len(self.labels)
  //   Pista 1.
  course::not_implemented("05_dataloader", "FashionDataset::size");
}

NormalizedDataset make_pipeline([[maybe_unused]] FashionDataset dataset,
                                [[maybe_unused]] double mean, [[maybe_unused]] double stddev) {
  // TODO: the dataset with two transforms applied in turn: each image normalised with this mean
  //   and standard deviation, then the examples of a batch stacked into one tensor.
  //   Python: transforms.Normalize((mean,), (std,)) in the Dataset; the DataLoader's default
  //           collate_fn stacks the examples of a batch
  //   Hint 2.
  // (es) TODO: el dataset con dos transformaciones aplicadas una tras otra: cada imagen
  //   normalizada con esta media y esta desviación estándar, y después los ejemplos de un batch
  //   apilados en un solo tensor.
  //   Python: transforms.Normalize((mean,), (std,)) en el Dataset; el collate_fn por defecto del
  //           DataLoader apila los ejemplos de un batch
  //   Pista 2.
  course::not_implemented("05_dataloader", "make_pipeline");
}

std::unique_ptr<Loader> make_loader([[maybe_unused]] NormalizedDataset dataset,
                                    [[maybe_unused]] const LoaderOptions& options) {
  // TODO: a data loader over the dataset that draws a new random order every epoch and takes
  //   its batch size, number of workers and drop_last from `options` (not fixed numbers).
  //   Python: DataLoader(dataset, batch_size=options.batch_size, shuffle=True,
  //                      num_workers=options.workers, drop_last=options.drop_last)
  //   Hint 3.
  // (es) TODO: un data loader sobre el dataset que saca un orden aleatorio nuevo en cada época
  //   y toma su tamaño de batch, su número de workers y drop_last de `options` (no números
  //   fijos).
  //   Python: DataLoader(dataset, batch_size=options.batch_size, shuffle=True,
  //                      num_workers=options.workers, drop_last=options.drop_last)
  //   Pista 3.
  course::not_implemented("05_dataloader", "make_loader");
}

Batch to_device([[maybe_unused]] Batch batch, [[maybe_unused]] const torch::Device& device) {
  // TODO: both tensors of the batch on `device`. For CUDA, through pinned host memory with a
  //   non-blocking copy; for any other device, a plain move.
  //   Python: DataLoader(..., pin_memory=True); x = x.to(device, non_blocking=True)
  //   Hint 4.
  // (es) TODO: los dos tensores del batch en `device`. Para CUDA, a través de memoria fijada
  //   (pinned) del host con una copia no bloqueante; para cualquier otro dispositivo, un simple
  //   movimiento.
  //   Python: DataLoader(..., pin_memory=True); x = x.to(device, non_blocking=True)
  //   Pista 4.
  course::not_implemented("05_dataloader", "to_device");
}

EpochSummary run_epoch([[maybe_unused]] Loader& loader,
                       [[maybe_unused]] const torch::Device& device) {
  // TODO: one pass over the loader: move each batch with to_device(), count the batches and the
  //   examples, record each batch's size, and keep every target (on the CPU), in order, in one
  //   tensor at the end.
  //   Python: for x, y in loader: x, y = x.to(device), y.to(device); ...
  //   Hint 5.
  // (es) TODO: una pasada por el loader: mueve cada batch con to_device(), cuenta los batches y
  //   los ejemplos, guarda el tamaño de cada batch, y junta todas las etiquetas (en la CPU), en
  //   orden, en un solo tensor al final.
  //   Python: for x, y in loader: x, y = x.to(device), y.to(device); ...
  //   Pista 5.
  course::not_implemented("05_dataloader", "run_epoch");
}

}  // namespace exercises::dataloader
