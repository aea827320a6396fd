// Exercise 06, TorchScript: the model export_model.py trained in Python and saved with
// torch.jit.script (the build wrote it, and Python's own numbers for it, into
// COURSE_TORCHSCRIPT_DIR), loaded and run by the student's C++. The logits and the accuracy must
// be Python's; the tensor written for Python must be what torch.load reads. Every check that
// fails ends with the course's sentence (support/sentence.h).
#include "torchscript.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/fashion_mnist.h"
#include "support/sentence.h"

namespace exercises::torchscript {
namespace {

namespace fs = std::filesystem;
using course::tr;
using course::trf;
using course::testing::dtype_name;
using course::testing::explain_throw;
using course::testing::sentence;
using course::testing::text_of;

// Logits are compared with this absolute tolerance: the same LibTorch on both sides gives the
// same bits; another build of it (an official LibTorch 2.x against Debian's Python) may sum in
// another order, by far less than this.
constexpr double kLogitTolerance = 1e-4;

const fs::path kModelDir = COURSE_TORCHSCRIPT_DIR;

// What Python got from the model (expected.json, written beside it by export_model.py).
const nlohmann::json& expected() {
  static const nlohmann::json json = [] {
    std::ifstream file(kModelDir / "expected.json");
    if (!file) {
      throw std::runtime_error(
          trf("{} is missing: the build exports the model with "
              "export_model.py (it needs python3 with torch)",
              (kModelDir / "expected.json").string()));
    }
    return nlohmann::json::parse(file);
  }();
  return json;
}

std::string model_path() {
  return (kModelDir / expected().at("model").get<std::string>()).string();
}

// The test split, pixels in [0, 1], loaded once.
const course::FashionMnist& test_set() {
  static const course::FashionMnist test =
      course::load_fashion_mnist(course::locate_data_dir(), course::Split::Test);
  return test;
}

// The test images normalised as Python did, without the student's prepare_input: the checks of
// predict() and accuracy() do not depend on it.
torch::Tensor python_inputs(int64_t count) {
  const double mean = expected().at("mean").get<double>();
  const double stddev = expected().at("std").get<double>();
  return (test_set().images.slice(0, 0, count) - mean) / stddev;
}

torch::Tensor python_first_logits() {
  const auto rows = expected().at("first_logits").get<std::vector<std::vector<double>>>();
  std::vector<torch::Tensor> tensors;
  for (const auto& row : rows) tensors.push_back(torch::tensor(row, torch::kDouble));
  return torch::stack(tensors);
}

torch::jit::Module loaded_model() {
  return explain_throw(
      [] { return load_model(model_path()); },
      trf("load_model(\"{}\") threw: load it with torch::jit::load(path) (hint 1)", model_path()));
}

torch::Tensor predicted(torch::jit::Module& model, const torch::Tensor& inputs) {
  return explain_throw(
      [&] { return predict(model, inputs); },
      tr("predict threw: the module's forward takes a std::vector<torch::jit::IValue> "
         "(`model.forward({inputs})`) and returns an IValue, whose .toTensor() is the logits "
         "(hint 3)"));
}

// ---- Loading. ----

TEST(Load, TheModelHasThePythonLayers) {
  torch::jit::Module model = loaded_model();
  std::vector<std::string> names;
  std::vector<std::string> shapes;
  for (const auto& parameter : model.named_parameters()) {
    names.push_back(parameter.name);
    shapes.push_back(text_of(parameter.value.sizes()));
  }
  const std::vector<std::string> python_names{"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};
  const std::vector<std::string> python_shapes{"[128, 784]", "[128]", "[10, 128]", "[10]"};
  EXPECT_EQ(names, python_names)
      << sentence
      << trf("the loaded model has {} parameters, expected Python's fc1 and fc2 (4): return the "
             "module torch::jit::load(path) gives (hint 1)",
             names.size());
  EXPECT_EQ(shapes, python_shapes) << sentence
                                   << tr("the loaded model's parameters have other shapes than "
                                         "Python's fc1 [128, 784] and fc2 [10, 128] (hint 1)");
}

TEST(Load, AMissingFileThrowsAnErrorThatNamesIt) {
  const std::string missing = (kModelDir / "no_such_model.pt").string();
  try {
    load_model(missing);
    ADD_FAILURE() << sentence
                  << trf("load_model(\"{}\") returned a model from a file that does not exist: "
                         "let torch::jit::load's error go up instead of catching it (hint 1)",
                         missing);
  } catch (const course::NotImplemented&) {
    throw;
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("no_such_model.pt"), std::string::npos)
        << sentence
        << trf("load_model of a missing file threw \"{}\", which does not name the file: "
               "let torch::jit::load's own error go up, it names it (hint 1)",
               std::string(error.what()).substr(0, 120));
  }
}

// ---- The input. ----

TEST(PrepareInput, NormalisesWithTheTrainingMeanAndStd) {
  const double mean = 0.25, stddev = 0.5;
  // Two images: one black (0), one white (1).
  const torch::Tensor images =
      torch::cat({torch::zeros({1, 1, 28, 28}), torch::ones({1, 1, 28, 28})});
  const torch::Tensor prepared = explain_throw(
      [&] { return prepare_input(images, mean, stddev); },
      tr("prepare_input threw: the prepared images are (images - mean) / stddev (hint 2)"));
  ASSERT_EQ(prepared.sizes(), images.sizes())
      << sentence
      << trf("prepare_input returned shape {}, expected the images' own {}: the model flattens "
             "them itself (hint 2)",
             text_of(prepared.sizes()), text_of(images.sizes()));
  const double black = prepared[0].flatten()[0].item<double>();
  const double white = prepared[1].flatten()[0].item<double>();
  const double want_black = (0 - mean) / stddev, want_white = (1 - mean) / stddev;
  std::string why(
      tr("the prepared pixels are (pixel - mean) / stddev, what "
         "transforms.Normalize did when Python trained the model"));
  if (std::abs(black) < 1e-6 && std::abs(white - 1) < 1e-6)
    why =
        tr("the pixels came back unchanged: the model was trained on normalised images, so "
           "raw pixels give it inputs it never saw");
  else if (std::abs(black - (0 - stddev) / mean) < 1e-6)
    why = tr("the mean and the standard deviation are swapped");
  EXPECT_NEAR(black, want_black, 1e-6)
      << sentence
      << trf("a black pixel (0) became {:.4g}, expected (0 - {}) / {} = {:.4g}: {} (hint 2)", black,
             mean, stddev, want_black, why);
  EXPECT_NEAR(white, want_white, 1e-6)
      << sentence
      << trf("a white pixel (1) became {:.4g}, expected (1 - {}) / {} = {:.4g}: {} (hint 2)", white,
             mean, stddev, want_white, why);
}

TEST(PrepareInput, KeepsTheDtypeAndLeavesTheCallersImagesAlone) {
  const torch::Tensor images = torch::full({3, 1, 28, 28}, 0.75);
  const torch::Tensor prepared = explain_throw(
      [&] { return prepare_input(images, 0.25, 0.5); },
      tr("prepare_input threw: the prepared images are (images - mean) / stddev (hint 2)"));
  EXPECT_EQ(prepared.scalar_type(), torch::kFloat)
      << sentence
      << trf("prepare_input returned {}, expected float32: the model's weights are float32, and "
             "it refuses other inputs (hint 2)",
             dtype_name(prepared.dtype()));
  EXPECT_DOUBLE_EQ(images.max().item<double>(), 0.75)
      << sentence
      << tr("prepare_input changed the caller's images in place (sub_, div_): return new "
            "tensors, `(images - mean) / stddev`, and leave the test set as it was (hint 2)");
}

// ---- Running it. ----

TEST(Predict, GivesPythonsLogitsForTheFirstTestImages) {
  torch::jit::Module model = loaded_model();
  const torch::Tensor python = python_first_logits();
  const torch::Tensor logits = predicted(model, python_inputs(python.size(0)));
  ASSERT_EQ(logits.sizes(), python.sizes())
      << sentence
      << trf("predict returned shape {} for {} images, expected {}: return the logits the "
             "model's forward gives (hint 3)",
             text_of(logits.sizes()), python.size(0), text_of(python.sizes()));
  const double difference = (logits.to(torch::kDouble) - python).abs().max().item<double>();
  EXPECT_LE(difference, kLogitTolerance)
      << sentence
      << trf("predict's logits differ from Python's by up to {:.3g}: the model has dropout, and "
             "dropout stays on until model.eval() is called, before the forward (hint 3)",
             difference);
}

TEST(Predict, TheSameInputGivesTheSameLogitsTwice) {
  torch::jit::Module model = loaded_model();
  const torch::Tensor inputs = python_inputs(20);
  const torch::Tensor first = predicted(model, inputs);
  const torch::Tensor second = predicted(model, inputs);
  EXPECT_TRUE(torch::equal(first, second))
      << sentence
      << tr("two calls of predict on the same images gave different logits: dropout drops other "
            "units each time in train mode: call model.eval() (hint 3)");
}

TEST(Predict, LeavesTheModelInEvaluationMode) {
  torch::jit::Module model = loaded_model();
  ASSERT_TRUE(model.is_training()) << "export_model.py saves the model in train mode";
  predicted(model, python_inputs(2));
  EXPECT_FALSE(model.is_training())
      << sentence
      << tr("after predict the model is still in train mode: the loaded model is as Python "
            "saved it, in train mode, and only model.eval() turns dropout off (hint 3)");
}

TEST(Predict, RecordsNoGradient) {
  torch::jit::Module model = loaded_model();
  const torch::Tensor logits = predicted(model, python_inputs(2));
  EXPECT_FALSE(logits.requires_grad())
      << sentence
      << tr("predict's logits require grad, so LibTorch recorded a graph for backward that "
            "nobody will use: run the forward under a torch::NoGradGuard, Python's "
            "`with torch.no_grad()` (hint 4)");
}

// ---- The accuracy. ----

TEST(Accuracy, CountsTheRowsWhoseLargestLogitIsTheLabel) {
  // Rows 0, 1 and 3 predict their label; row 2 does not: 3 of 4.
  const torch::Tensor logits = torch::tensor(
      {{2.0f, 0.0f, 1.0f}, {0.0f, 3.0f, 1.0f}, {5.0f, 1.0f, 0.0f}, {0.0f, 1.0f, 4.0f}});
  const torch::Tensor labels = torch::tensor({0, 1, 2, 2}, torch::kInt64);
  const double got = explain_throw(
      [&] { return accuracy(logits, labels); },
      tr("accuracy threw on logits [4, 3] and labels [4]: compare logits.argmax(1), the "
         "predicted class of each row, with the labels (hint 5)"));
  std::string why(
      tr("count the rows where logits.argmax(1) equals the label, divided by the "
         "number of rows"));
  if (got == 0.0)
    why =
        tr("an integer division? 3 / 4 is 0 in integers: take the mean of a float tensor, or "
           "divide as doubles");
  EXPECT_NEAR(got, 0.75, 1e-9)
      << sentence
      << trf("accuracy of 3 right rows out of 4 is {}, expected 0.75: {} (hint 5)", got, why);
}

TEST(Accuracy, OnTheTestSetEqualsPythons) {
  torch::jit::Module model = loaded_model();
  const course::FashionMnist& test = test_set();
  const torch::Tensor logits = predicted(model, python_inputs(test.size()));
  const double got = explain_throw([&] { return accuracy(logits, test.labels); },
                                   tr("accuracy threw on the test set's logits (hint 5)"));
  const double python = expected().at("accuracy").get<double>();
  // Two images of 10,000 may fall on the other side between two builds of LibTorch.
  EXPECT_NEAR(got, python, 2.0 / static_cast<double>(test.size()) + 1e-9)
      << sentence
      << trf("the model's accuracy on the {} test images is {:.4f} in C++ and {:.4f} in Python: "
             "the same model on the same images must agree (hints 3 and 5)",
             test.size(), got, python);
}

// ---- The other way: C++ to Python. ----

TEST(SaveForPython, WritesWhatTorchLoadReads) {
  const fs::path path = fs::path(::testing::TempDir()) / "from_cpp_06.pt";
  fs::remove(path);
  const torch::Tensor tensor = torch::arange(6, torch::kFloat).reshape({2, 3});
  explain_throw([&] { save_for_python(tensor, path.string()); },
                tr("save_for_python threw: write torch::pickle_save(tensor)'s bytes to the file "
                   "(hint 6)"));
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file) << sentence
                    << trf("save_for_python wrote no file at {} (hint 6)", path.string());
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
  torch::Tensor read;
  try {
    read = torch::pickle_load(bytes).toTensor();
  } catch (const std::exception&) {
    FAIL() << sentence
           << trf("the file save_for_python wrote ({} bytes) is not what torch.load reads: "
                  "torch::save writes an archive that only C++ reads back; "
                  "torch::pickle_save(tensor) gives Python's format (hint 6)",
                  bytes.size());
  }
  EXPECT_TRUE(torch::equal(read, tensor))
      << sentence
      << trf("the file holds {}, expected the tensor saved, {} (hint 6)", course::show(read),
             course::show(tensor));
}

TEST(SaveForPython, AFileThatCannotBeWrittenIsAnError) {
  const std::string path = (fs::path(::testing::TempDir()) / "no_such_folder_06" / "x.pt").string();
  try {
    save_for_python(torch::ones({2}), path);
    ADD_FAILURE() << sentence
                  << trf("save_for_python(\"{}\") returned as if it had written the file, in a "
                         "folder that does not exist: check the stream after writing and throw "
                         "(hint 6)",
                         path);
  } catch (const course::NotImplemented&) {
    throw;
  } catch (const std::exception&) {
    SUCCEED();
  }
}

}  // namespace
}  // namespace exercises::torchscript
