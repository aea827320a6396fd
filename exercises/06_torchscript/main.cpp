// ex06_torchscript: a model trained in Python (export_model.py, run by the build), loaded and run
// from C++ with no Python at all: load it, prepare its input, evaluate it on the test set, and
// compare every number with what Python got from the same file; then the other way round.
//
//   build/solutions/bin/ex06_torchscript [--model-dir DIR] [--data-dir DIR]
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/script.h>
#include <torch/torch.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/cli.h"
#include "common/data_error.h"
#include "common/fashion_mnist.h"
#include "common/language.h"
#include "common/lesson.h"
#include "torchscript.h"

namespace ex = exercises::torchscript;
namespace fs = std::filesystem;
using course::show;
using course::tr;
using course::trf;

namespace {

// What export_model.py wrote beside the model: Python's own numbers for the same file.
nlohmann::json read_expected(const fs::path& model_dir) {
  const fs::path path = model_dir / "expected.json";
  std::ifstream file(path);
  if (!file) {
    throw course::DataError(
        trf("{} is missing: build the exercise (its model comes from "
            "export_model.py) or pass --model-dir",
            path.string()));
  }
  return nlohmann::json::parse(file);
}

int run(const course::CommonOptions& options, const fs::path& model_dir) {
  const nlohmann::json expected = read_expected(model_dir);
  const auto data_dir = course::locate_data_dir(options.data_dir);
  const course::FashionMnist test = course::load_fashion_mnist(data_dir, course::Split::Test);
  course::apply_common_options(options);
  const fs::path model_path = model_dir / expected.at("model").get<std::string>();

  course::Lesson lesson("Exercise 06: TorchScript, a model from Python served in C++");
  torch::jit::Module model;
  bool loaded = false;
  torch::Tensor inputs, logits;

  lesson.section("Loading a TorchScript model", [&] {
    model = ex::load_model(model_path.string());
    loaded = true;
    fmt::print("torch.jit.load(\"{}\")\n", model_path.filename().string());
    for (const auto& parameter : model.named_parameters()) {
      fmt::print("  {:<12} [{}]\n", parameter.name, fmt::join(parameter.value.sizes(), ", "));
    }
    fmt::print("{}\n", trf("model.training: {} (saved as training left it)", model.is_training()));
  });

  lesson.section("The input, prepared as Python trained it", [&] {
    inputs = ex::prepare_input(test.images, expected.at("mean").get<double>(),
                               expected.at("std").get<double>());
    fmt::print("{}\n", trf("(images - {}) / {}: mean {:.3f}, std {:.3f}, shape [{}]",
                           expected.at("mean").get<double>(), expected.at("std").get<double>(),
                           inputs.mean().item<double>(), inputs.std().item<double>(),
                           fmt::join(inputs.sizes(), ", ")));
  });

  lesson.section("Running it: eval() and no_grad", [&] {
    if (!loaded || !inputs.defined()) {
      fmt::print("{}\n", tr("(needs the two sections above)"));
      return;
    }
    logits = ex::predict(model, inputs);
    const auto python = expected.at("first_logits")[0].get<std::vector<double>>();
    const torch::Tensor python_logits = torch::tensor(python, torch::kFloat);
    const int64_t predicted = logits[0].argmax().item<int64_t>();
    fmt::print("{}\n", trf("logits of test image 0: {}", show(logits[0])));
    fmt::print("{}\n", trf("Python's logits:        {}", show(python_logits)));
    fmt::print(
        "{}\n",
        trf("largest difference {:.2g}; predicted {} ({}), label {} ({})",
            (logits[0] - python_logits).abs().max().item<double>(), predicted,
            course::class_names()[static_cast<size_t>(predicted)], test.labels[0].item<int64_t>(),
            course::class_names()[static_cast<size_t>(test.labels[0].item<int64_t>())]));
    fmt::print("{}\n", trf("model.training: {} | logits.requires_grad: {}", model.is_training(),
                           logits.requires_grad()));
  });

  lesson.section("Accuracy on the test set", [&] {
    if (!logits.defined()) {
      fmt::print("{}\n", tr("(needs the section above)"));
      return;
    }
    fmt::print("{}\n", trf("accuracy {:.4f} on {} test images | Python's, in expected.json: {:.4f}",
                           ex::accuracy(logits, test.labels), test.size(),
                           expected.at("accuracy").get<double>()));
  });

  lesson.section("The other way: a tensor from C++ that Python reads", [&] {
    const torch::Tensor tensor = torch::arange(6, torch::kFloat).reshape({2, 3});
    const fs::path path = model_dir / "from_cpp.pt";
    ex::save_for_python(tensor, path.string());
    fmt::print("{}\n", trf("saved {} ({} bytes)", show(tensor), fs::file_size(path)));
    fmt::print("{}\n", trf("in Python: torch.load(\"{}\")", path.string()));
  });

  return lesson.finish();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{std::string(course::tr("Exercise 06: a TorchScript model trained in Python, run "
                                      "from C++")),
               "ex06_torchscript"};
  course::CommonOptions options;
  course::add_common_options(app, options);
  std::string model_dir = COURSE_TORCHSCRIPT_DIR;
  app.add_option("--model-dir", model_dir,
                 course::N_("Where export_model.py wrote fashion_mlp.pt and expected.json"))
      ->capture_default_str();
  return course::run_main(app, argc, argv, [&] { return run(options, model_dir); });
}
