// ex03_mlp: the lesson of exercise 03, section by section. Each section uses the module and the
// functions you write in mlp.cpp; an unfinished one prints a TODO line.
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/cli.h"
#include "common/lesson.h"
#include "mlp.h"

namespace ex = exercises::mlp;

namespace {

// A tensor on one line, nested like a Python list: [1, 0, 2].
std::string show(const torch::Tensor& tensor) {
  torch::Tensor values = tensor.detach().cpu().to(torch::kFloat64);
  if (values.dim() == 0) return fmt::format("{:.4g}", values.item<double>());
  std::vector<std::string> parts;
  for (int64_t i = 0; i < values.size(0); ++i) parts.push_back(show(values[i]));
  return fmt::format("[{}]", fmt::join(parts, ", "));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Exercise 03: a custom MLP as nn::Module and as nn::Sequential", "ex03_mlp"};
  course::CommonOptions options;
  course::add_common_options(app, options);  // --data-dir is accepted; this lesson reads no data
  return course::run_main(app, argc, argv, [&] {
    const torch::Device device = course::apply_common_options(options);
    course::Lesson lesson("Exercise 03: a custom MLP");

    lesson.section("A custom module: NetImpl + TORCH_MODULE(Net)", [&] {
      ex::Net net;
      std::cout << *net << "\n";
      for (const auto& parameter : net->named_parameters()) {
        fmt::print("  {:<11} {}\n", parameter.key(), fmt::join(parameter.value().sizes(), "x"));
      }
      fmt::print("parameters: {} (784*128 + 128 + 128*10 + 10)\n", ex::count_parameters(*net));
    });

    lesson.section("Forward: a batch of flattened images in, ten logits out", [&] {
      ex::Net net;
      net->to(device);
      torch::Tensor images = torch::rand({4, ex::kInputs}, torch::TensorOptions(device));
      torch::Tensor logits = net(images);  // net->forward(images), like Python's net(images)
      fmt::print("input {} -> logits {} on {}\n", fmt::join(images.sizes(), "x"),
                 fmt::join(logits.sizes(), "x"), logits.device().str());
      fmt::print("first image's logits: {}\n", show(logits[0]));
    });

    lesson.section("The same network as nn::Sequential", [&] {
      torch::manual_seed(options.seed);
      ex::Net net;
      torch::manual_seed(options.seed);
      torch::nn::Sequential sequential = ex::make_sequential();
      std::cout << *sequential << "\n";
      fmt::print("same seed, layers built one statement at a time: same first weights as Net: {}\n",
                 torch::equal(sequential->parameters()[0], net->parameters()[0]));
      // The common mistake: the layers built inside the call, in an order C++ leaves unspecified.
      torch::manual_seed(options.seed);
      torch::nn::Sequential inline_built(torch::nn::Linear(ex::kInputs, ex::kHidden),
                                         torch::nn::ReLU(),
                                         torch::nn::Linear(ex::kHidden, ex::kOutputs));
      fmt::print("same seed, layers built inside Sequential(...): same first weights as Net: {}\n",
                 torch::equal(inline_built->parameters()[0], net->parameters()[0]));
    });

    lesson.section("Copying weights: two modules, one function", [&] {
      torch::manual_seed(options.seed);
      ex::Net net;
      torch::nn::Sequential sequential = ex::make_sequential();  // other initial weights
      torch::Tensor x = torch::randn({8, ex::kInputs});
      fmt::print("before copy_weights: largest output difference {:.4f}\n",
                 (net(x) - sequential->forward(x)).abs().max().item<float>());
      ex::copy_weights(net, sequential);
      fmt::print("after copy_weights:  largest output difference {:.4f}, identical: {}\n",
                 (net(x) - sequential->forward(x)).abs().max().item<float>(),
                 torch::equal(net(x), sequential->forward(x)));
    });

    lesson.section("train() and eval(): what Dropout does in each", [&] {
      torch::nn::Dropout dropout(0.5);
      torch::Tensor x = torch::ones({10});
      fmt::print("train(): about half dropped, the rest scaled by 1 / (1 - 0.5): {}\n",
                 show(ex::dropout_forward(dropout, x, /*training=*/true)));
      fmt::print("eval():  the identity: {}\n",
                 show(ex::dropout_forward(dropout, x, /*training=*/false)));
    });

    return lesson.finish();
  });
}
