// The Spanish of every message a student reads, keyed by its English text (common/language.h):
// the runner's messages, the stubs' "not implemented" error, the lessons' titles. Placeholders
// ({}, {:.1f}) stay in the same order; the lint test checks that every English format used by
// the runner and every lesson's section title has its entry here.
#include "common/language.h"

namespace course {

const Translation kSpanishCatalogue[] = {
    // The stubs (common/lesson.cpp).
    {"{}() is not implemented yet: write it in {} (look for TODO). "
     "Stuck? `course hint {}` or the Hints in {}/README.md",
     "{}() todavía no está implementada: escríbela en {} (busca TODO). "
     "¿Necesitas ayuda? `course hint {}` o las Pistas de {}/README.es.md"},
    {"\nAll {} sections ran. Well done!\n", "\nLas {} secciones corrieron. ¡Bien hecho!\n"},
    {"\n{} of {} sections still to do: edit the stub, then run its checks (`course check`).\n",
     "\nQuedan {} de {} secciones por hacer: edita el esqueleto y corre sus pruebas "
     "(`course check`).\n"},

    // The homework's grade (homework/grade.cpp), as `course check homework` shows it.
    {"test accuracy {:.4f}, measured by the grade", "accuracy en test {:.4f}, medida por la nota"},
    {"{}the training took {:.0f} s", "{}el entrenamiento tardó {:.0f} s"},
    {"the homework did not run to the end (exit status {}): run it yourself to see why, "
     "`course run homework`",
     "la tarea no corrió hasta el final (estado de salida {}): córrela tú para ver por qué, "
     "`course run homework`"},

    // The homework's list of what is still to write (homework/harness/run.cpp).
    {"TODO 1a  MlpImpl::MlpImpl (the three layers)", "TODO 1a  MlpImpl::MlpImpl (las tres capas)"},
    {"TODO 1b-5  forward, make_optimizer, train_one_epoch, evaluate, fit (checked once 1a runs)",
     "TODO 1b-5  forward, make_optimizer, train_one_epoch, evaluate, fit (se revisan cuando 1a "
     "funcione)"},
    {"The homework is not finished yet. Still to write in homework/homework.cpp:\n",
     "La tarea todavía no está terminada. Falta escribir en homework/homework.cpp:\n"},
    {"The task and the hints: homework/README.md (or `course hint homework`). Rebuild with "
     "`cmake --build --preset student`, then run build/student/bin/homework again.\n",
     "La consigna y las pistas: homework/README.es.md (o `course hint homework`). Recompila con "
     "`cmake --build --preset student` y vuelve a correr build/student/bin/homework.\n"},
    {"{} part(s) of homework/homework.cpp are not written yet (listed above)",
     "{} parte(s) de homework/homework.cpp todavía sin escribir (en la lista de arriba)"},

    // The lessons' titles and section titles (exercises/*/main.cpp).
    {"Exercise 01: tensors", "Ejercicio 01: tensores"},
    {"Creating tensors", "Crear tensores"},
    {"Random numbers with a seed", "Números aleatorios con semilla"},
    {"From a std::vector (NumPy's role in C++)", "Desde un std::vector (el papel de NumPy en C++)"},
    {"dtype and device", "dtype y device"},
    {"Element-wise operations and broadcasting", "Operaciones elemento a elemento y broadcasting"},
    {"Reductions", "Reducciones"},
    {"Matrix product: torch::matmul against three plain loops",
     "Producto de matrices: torch::matmul contra tres bucles simples"},
    {"Views and copies", "Vistas y copias"},
    {"In-place operations", "Operaciones in-place"},
    {"Exercise 02: autograd", "Ejercicio 02: autograd"},
    {"requires_grad, backward, grad", "requires_grad, backward, grad"},
    {"Gradients accumulate", "Los gradientes se acumulan"},
    {"Backward twice through one graph", "Dos backward por el mismo grafo"},
    {"torch::NoGradGuard and detach()", "torch::NoGradGuard y detach()"},
    {"grad_fn: the graph behind a result", "grad_fn: el grafo detrás de un resultado"},
    {"A graph built as the code runs", "Un grafo que se arma mientras corre el código"},
    // What runs underneath (common/runtime.cpp, data_info).
    {"warning: ", "aviso: "},
    {"the reference BLAS is selected ({}), about 10 times slower than OpenBLAS for "
     "training: run scripts/install-deps.sh, which selects OpenBLAS",
     "está elegido el BLAS de referencia ({}), unas 10 veces más lento que OpenBLAS para "
     "entrenar: corre scripts/install-deps.sh, que elige OpenBLAS"},
    {"OpenBLAS runs its generic kernels ({}) on a processor that has {} ones, about 2 "
     "times slower: export OPENBLAS_CORETYPE={} before running",
     "OpenBLAS usa sus kernels genéricos ({}) en un procesador que tiene kernels {}, unas 2 "
     "veces más lentos: haz export OPENBLAS_CORETYPE={} antes de correr"},
    {"Autograd against finite differences", "Autograd contra diferencias finitas"},
    {"Exercise 03: a custom MLP", "Ejercicio 03: un MLP propio"},
    {"A custom module: NetImpl + TORCH_MODULE(Net)",
     "Un módulo propio: NetImpl + TORCH_MODULE(Net)"},
    {"Forward: a batch of flattened images in, ten logits out",
     "Forward: entra un batch de imágenes aplanadas, salen diez logits"},
    {"The same network as nn::Sequential", "La misma red como nn::Sequential"},
    {"Copying weights: two modules, one function", "Copiar pesos: dos módulos, una función"},
    {"A parameter of your own: register_parameter", "Un parámetro propio: register_parameter"},
    {"train() and eval(): what Dropout does in each",
     "train() y eval(): qué hace Dropout en cada uno"},
    {"train() and eval(): BatchNorm's running statistics",
     "train() y eval(): las estadísticas acumuladas de BatchNorm"},
    {"Exercise 04: the manual training loop", "Ejercicio 04: el loop de entrenamiento manual"},
    {"Data and model", "Datos y modelo"},
    {"One step: zero_grad, forward, loss, backward, step",
     "Un paso: zero_grad, forward, loss, backward, step"},
    {"make_adam: the model on its device first, then the optimizer",
     "make_adam: primero el modelo en su device, después el optimizador"},
    {"Mistake 1: forgetting zero_grad() accumulates gradients",
     "Error 1: olvidar zero_grad() acumula gradientes"},
    {"One epoch with Adam(1e-3)", "Una época con Adam(1e-3)"},
    {"Test accuracy, and mistake 2: evaluating in train() mode",
     "Accuracy en test, y error 2: evaluar en modo train()"},
    {"Mistake 3: model and batch on different devices",
     "Error 3: modelo y batch en devices distintos"},
    {"A regression with MSELoss", "Una regresión con MSELoss"},
    {"Exercise 05: Dataset and DataLoader", "Ejercicio 05: Dataset y DataLoader"},
    {"A Dataset over tensors in memory", "Un Dataset sobre tensores en memoria"},
    {"The pipeline: Normalize, then Stack", "El pipeline: Normalize, después Stack"},
    {"DataLoader: batch 32, shuffled, 2 workers", "DataLoader: batch de 32, mezclado, 2 workers"},
    {"Shuffling: a new order every epoch, the same one for the same seed",
     "Mezclar: un orden nuevo en cada época, el mismo para la misma semilla"},
    {"Speed: batches per second with 0 and 2 workers",
     "Velocidad: batches por segundo con 0 y 2 workers"},
    {"Pinned memory and non-blocking copies (CUDA)",
     "Memoria fijada (pinned) y copias no bloqueantes (CUDA)"},

    // The runner (tools/course): course_main.cpp and course.cpp.
    {"Start with: course list\n", "Empieza con: course list\n"},
    {"course: error: unknown command '{}'; use one of {} (see course --help)\n",
     "course: error: no existe el comando '{}'; usa uno de {} (ver course --help)\n"},
    {"--lang takes es (Spanish), en (English) or auto (the locale decides), not '{}'",
     "--lang acepta es (español), en (inglés) o auto (decide el locale), no '{}'"},
    {"cannot save the language: {}", "no se puede guardar el idioma: {}"},
    {"Language: {} (saved in {}).\n", "Idioma: {} (guardado en {}).\n"},
    {"Spanish", "español"},
    {"English", "inglés"},
    {"not inside the course: run `course` from the folder you cloned (the one with "
     "course.json) or any folder below it",
     "no estás dentro del curso: corre `course` desde la carpeta que clonaste (la que tiene "
     "course.json) o cualquier carpeta debajo de ella"},
    {"no exercise called '{}' in {}: choose one of {}",
     "no hay ningún ejercicio llamado '{}' en {}: elige uno de {}"},

    // The student build (student_build.cpp).
    {"run `scripts/install-deps.sh` (Debian 12) or install it",
     "corre `scripts/install-deps.sh` (Debian 12) o instálalo"},
    {"cmake is not installed (not on PATH): {}, then `cmake --preset {}`",
     "cmake no está instalado (no está en el PATH): {}, y después `cmake --preset {}`"},
    {"the student build is not configured yet ({} has no CMakeCache.txt): run `cmake "
     "--preset {}` in {}, then try again",
     "el build del estudiante todavía no está configurado ({} no tiene CMakeCache.txt): corre "
     "`cmake --preset {}` en {} y vuelve a intentarlo"},
    {"cmake is not installed (not on PATH): {}",
     "cmake no está instalado (no está en el PATH): {}"},
    {"the build tool {} of {} is missing: {}", "falta la herramienta de build {} de {}: {}"},
    {"{} is configured with the reference solutions (COURSE_USE_SOLUTIONS=ON), so your edits "
     "would not be checked: run `cmake --preset {}` in {}",
     "{} está configurado con las soluciones de referencia (COURSE_USE_SOLUTIONS=ON), así que "
     "tus cambios no se probarían: corre `cmake --preset {}` en {}"},

    // course list, course progress (status.cpp, list.cpp, progress.cpp).
    {"exercise", "ejercicio"},
    {"status", "estado"},
    {"checks", "pruebas"},
    {"title", "título"},
    {"done", "hecho"},
    {"in progress", "en curso"},
    {"not started", "sin empezar"},
    {"no build", "no compila"},
    {"  (edited since its last check)", "  (editado desde su última prueba)"},
    {"Next: configure the student build once: `cmake --preset {}` (in {}).\n",
     "Siguiente: configura una vez el build del estudiante: `cmake --preset {}` (en {}).\n"},
    {"Next: `course check {}`   (`course hint {}` when stuck)\n",
     "Siguiente: `course check {}`   (`course hint {}` si necesitas ayuda)\n"},
    {"Everything is done. Congratulations!\n", "Todo está hecho. ¡Felicitaciones!\n"},
    {"every exercise is done; name one to work on it again (see `course list`)",
     "todos los ejercicios están hechos; nombra uno para volver a trabajarlo (ver `course list`)"},
    {"Your progress: {} of {} done, {} of {} checks passing (of those checked)\n\n",
     "Tu avance: {} de {} hechos, {} de {} pruebas pasan (de las ya corridas)\n\n"},
    {"overall", "total"},
    {"(From each exercise's last `course check`; the checks are the truth: `course check NAME` "
     "refreshes one.)",
     "(Según el último `course check` de cada ejercicio; la verdad la dicen las pruebas: "
     "`course check NOMBRE` actualiza uno.)"},

    // course check, course watch (check_exercise.cpp, watch.cpp).
    {"threw: ", "lanzó: "},
    {"Stuck? `course hint {}` shows hint {} of {}.",
     "¿Necesitas ayuda? `course hint {}` muestra la pista {} de {}."},
    {"Stuck? See {}.", "¿Necesitas ayuda? Mira {}."},
    {"Building {}{} ...\n", "Compilando {}{} ...\n"},
    {" (the first build takes a minute)", " (el primer build tarda un minuto)"},
    {"Stuck? `course hint {} {}` shows hint {} of {}.",
     "¿Necesitas ayuda? `course hint {} {}` muestra la pista {} de {}."},
    {" (in {})", " (en {})"},
    {"(GoogleTest's own report: `course check {} --verbose`)",
     "(el informe completo de GoogleTest: `course check {} --verbose`)"},
    {"cannot run cmake: {}", "no se puede correr cmake: {}"},
    {"{} ran no checks", "{} no corrió ninguna prueba"},
    {"runs once every other check passes", "corre cuando pasan todas las demás pruebas"},
    {"Running {} (a full run: this can take a minute or two) ...\n",
     "Corriendo {} (un entrenamiento completo: puede tardar uno o dos minutos) ...\n"},
    {"All {} checks of {} pass. Well done!", "Pasan las {} pruebas de {}. ¡Bien hecho!"},
    {"See it run: `course run {}`\n", "Míralo correr: `course run {}`\n"},
    {"Next: `course check {}` ({})\n", "Siguiente: `course check {}` ({})\n"},
    {"That was the last one: every exercise is done.\n",
     "Ese era el último: todos los ejercicios están hechos.\n"},
    {"\n{} of {} checks pass.\n", "\nPasan {} de {} pruebas.\n"},
    {"\nFirst failing check: {}\n{}\n", "\nPrimera prueba que falla: {}\n{}\n"},
    {"Edit {} (look for TODO), then run `course check {}` again.\n",
     "Edita {} (busca TODO) y vuelve a correr `course check {}`.\n"},
    {"Edit {}, then run `course check {}` again.\n", "Edita {} y vuelve a correr `course check {}`.\n"},
    {"\n{} does not compile yet. The compiler says:\n\n{}\n",
     "\n{} todavía no compila. El compilador dice:\n\n{}\n"},
    {"Fix it in {}, then run `course check {}` again.\n{}\n",
     "Corrígelo en {} y vuelve a correr `course check {}`.\n{}\n"},
    {"Built in {:.1f} s.\n", "Compilado en {:.1f} s.\n"},
    {"Its {} checks:\n\n", "Sus {} pruebas:\n\n"},
    // A compile error explained (compile_errors.cpp).
    {"(the compiler reports it inside LibTorch's {} without naming a line of yours: this is the "
     "line it is about)",
     "(el compilador lo informa dentro de {} de LibTorch sin nombrar una línea tuya: esta es la "
     "línea de la que se trata)"},
    {"(the compiler reports it inside LibTorch's {}, reached from this line)",
     "(el compilador lo informa dentro de {} de LibTorch, adonde se llega desde esta línea)"},
    {"({} more lines of the compiler's output are left out: `course check --verbose {}` shows "
     "them all.)",
     "(quedan afuera {} líneas más de la salida del compilador: `course check --verbose {}` las "
     "muestra todas.)"},
    {"The compiler reports the error inside {}, without naming a line of yours.",
     "El compilador informa el error dentro de {}, sin nombrar una línea tuya."},
    {"The error is in {}, a file of the course that you do not edit: it uses your {}, so the "
     "change that broke it is there.",
     "El error está en {}, un archivo del curso que no editas: usa tu {}, así que el cambio que "
     "lo rompió está ahí."},
    {"Hint {} is about this: `course hint {} {}`.",
     "La pista {} trata de esto: `course hint {} {}`."},
    {"A layer member such as `torch::nn::Linear fc1;` is a module holder, and a holder is never "
     "empty unless you say so: declare it with `{nullptr}` in the header, then create the layer "
     "in the constructor with register_module.",
     "Un miembro capa como `torch::nn::Linear fc1;` es un holder de módulo, y un holder nunca está "
     "vacío salvo que lo digas: decláralo con `{nullptr}` en el header y crea la capa en el "
     "constructor con register_module."},
    {"A member cannot be constructed with parentheses where the class declares it: declare a "
     "layer member with `{nullptr}`, then create the layer in the constructor with "
     "register_module.",
     "Un miembro no se puede construir con paréntesis donde la clase lo declara: declara el "
     "miembro capa con `{nullptr}` y crea la capa en el constructor con register_module."},
    {"A module of your own is a pair: the class NameImpl (a torch::nn::Module) holds the code, "
     "and `TORCH_MODULE(Name);` right after the class declares Name, the holder that the "
     "functions take and use with `->`. Check that the TORCH_MODULE line is there, after the "
     "class.",
     "Un módulo propio es un par: la clase NameImpl (un torch::nn::Module) tiene el código, y "
     "`TORCH_MODULE(Name);` justo después de la clase declara Name, el holder que las funciones "
     "reciben y usan con `->`. Revisa que la línea TORCH_MODULE esté ahí, después de la clase."},
    {"A module holder (torch::nn::Linear, your own Net or Mlp) works like a pointer: reach the "
     "module's members and functions with `->` (`fc1->weight`, `model->parameters()`), not "
     "with `.`.",
     "Un holder de módulo (torch::nn::Linear, tu propio Net o Mlp) funciona como un puntero: los "
     "miembros y funciones del módulo se alcanzan con `->` (`fc1->weight`, "
     "`model->parameters()`), no con `.`."},
    {"A module (torch::nn::ReLU, a Linear...) is not a tensor: call the module on a tensor and "
     "pass on the tensor it returns, or use the function instead of the module "
     "(torch::relu).",
     "Un módulo (torch::nn::ReLU, un Linear...) no es un tensor: llama al módulo sobre un tensor "
     "y pasa el tensor que devuelve, o usa la función en lugar del módulo (torch::relu)."},
    {"A module's type is not a module: where a module is passed, construct one, with "
     "parentheses after the type (`torch::nn::ReLU()`).",
     "El tipo de un módulo no es un módulo: donde se pasa un módulo, construye uno, con "
     "paréntesis después del tipo (`torch::nn::ReLU()`)."},
    {"The sizes of a tensor go in one braced list, an IntArrayRef: `torch::zeros({rows, "
     "cols})`, not `torch::zeros(rows, cols)` (a second argument would be the options: "
     "dtype, device).",
     "Las dimensiones de un tensor van en una sola lista entre llaves, un IntArrayRef: "
     "`torch::zeros({rows, cols})`, no `torch::zeros(rows, cols)` (un segundo argumento serían "
     "las opciones: dtype, device)."},
    {"The transforms apply in the order of the .map calls: Normalize works on one example (an "
     "image and its label) and Stack joins the examples of a batch into one, so Normalize is "
     "mapped first and Stack last (and the result is then a NormalizedDataset).",
     "Las transformaciones se aplican en el orden de las llamadas a .map: Normalize trabaja "
     "sobre un ejemplo (una imagen y su etiqueta) y Stack junta los ejemplos de un batch en uno, "
     "así que Normalize va primero y Stack al final (y el resultado es entonces un "
     "NormalizedDataset)."},
    {"item() without a type gives a Scalar, not a number: name the type you want, as in "
     "`item<double>()` (or `item<int64_t>()` for a count).",
     "item() sin tipo da un Scalar, no un número: nombra el tipo que quieres, como en "
     "`item<double>()` (o `item<int64_t>()` para una cuenta)."},
    {"A dataset's size() returns an optional (torch::optional<size_t>), since some datasets do "
     "not know their size: read the number with `.value()`.",
     "size() de un dataset devuelve un optional (torch::optional<size_t>), porque algunos "
     "datasets no conocen su tamaño: lee el número con `.value()`."},
    {"A member function named without parentheses is not called: add the `()` "
     "(`optimizer.zero_grad()`, `loss.backward()`, `model->train()`).",
     "Una función miembro nombrada sin paréntesis no se llama: agrega los `()` "
     "(`optimizer.zero_grad()`, `loss.backward()`, `model->train()`)."},
    {"\nEvery exercise passes. Congratulations!\n",
     "\nPasan todos los ejercicios. ¡Felicitaciones!\n"},
    {"\nMoving on to {}.\n\n", "\nSeguimos con {}.\n\n"},
    {"Watching {}/ for saved changes (Ctrl-C to stop) ...",
     "Esperando cambios guardados en {}/ (Ctrl-C para parar) ..."},

    {"{} does not exist (was it built?)", "{} no existe (¿se compiló?)"},
    {"the check crashed: {}\n{}", "la prueba se cayó: {}\n{}"},

    // course hint (hint.cpp).
    {"{} has no hints under \"## Hints\"", "{} no tiene pistas bajo \"## Pistas\""},
    {"{} has hints 1 to {}, not {}", "{} tiene las pistas 1 a {}, no {}"},
    {"Hint {} of {} for {}:", "Pista {} de {} para {}:"},
    {"Still stuck? `course hint {}` shows hint {}.\n",
     "¿Necesitas más ayuda? `course hint {}` muestra la pista {}.\n"},
    {"That was the last hint. The table in {} maps each PyTorch line to its C++ call.\n",
     "Esa fue la última pista. La tabla de {} da la llamada de C++ de cada línea de PyTorch.\n"},

    // course run (run.cpp).
    {"Building {} ...\n", "Compilando {} ...\n"},
    {"cannot run {}: {}", "no se puede correr {}: {}"},

    // course reset (reset.cpp).
    {"reset restores the stub from git, and git is not installed",
     "reset recupera el esqueleto desde git, y git no está instalado"},
    {"{} is not a git checkout, so there is no stub to restore from",
     "{} no es un clon de git, así que no hay de dónde recuperar el esqueleto"},
    {"git has no {} at {}: nothing to restore it from",
     "git no tiene {} en {}: no hay de dónde recuperarlo"},
    {"{} is already the untouched stub ({}): nothing to reset.\n",
     "{} ya es el esqueleto sin tocar ({}): no hay nada que restablecer.\n"},
    {"This puts back the untouched stub (from git, {}) of:\n",
     "Esto vuelve a poner el esqueleto sin tocar (desde git, {}) de:\n"},
    {"Your current version is kept in {}/.\n", "Tu versión actual queda guardada en {}/.\n"},
    {"reset replaces your work, so it asks first, and there is no terminal to ask on: pass "
     "--yes to confirm",
     "reset reemplaza tu trabajo, así que primero pregunta, y no hay una terminal donde "
     "preguntar: pasa --yes para confirmar"},
    {"Reset {}? [y/N] ", "¿Restablecer {}? [s/N] "},
    {"Nothing changed.\n", "No cambió nada.\n"},
    {"git could not restore the stub: {}", "git no pudo recuperar el esqueleto: {}"},
    {"{} is the untouched stub again. Start over with `course check {}`.\n",
     "{} vuelve a ser el esqueleto sin tocar. Empieza de nuevo con `course check {}`.\n"},
};

const size_t kSpanishCatalogueSize = sizeof kSpanishCatalogue / sizeof kSpanishCatalogue[0];

}  // namespace course
