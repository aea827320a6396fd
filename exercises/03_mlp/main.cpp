// ex03_mlp: the lesson of exercise 03, section by section. Each section uses the module and the
// functions you write in mlp.cpp; an unfinished one prints a TODO line.
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/cli.h"
#include "common/language.h"
#include "common/lesson.h"
#include "mlp.h"

using course::show;
using course::trf;
namespace ex = exercises::mlp;

namespace {
// The section "Copying weights: two modules, one function".
void copying_weights(uint64_t seed) {
  torch::manual_seed(seed);
  ex::Net net;
  torch::nn::Sequential sequential = ex::make_sequential();  // other initial weights
  torch::Tensor x = torch::randn({8, ex::kInputs});
  fmt::print("{}\n", trf("before copy_weights: largest output difference {:.4f}",
                         (net(x) - sequential->forward(x)).abs().max().item<float>()));
  ex::copy_weights(net, sequential);
  fmt::print("{}\n", trf("after copy_weights:  largest output difference {:.4f}, identical: {}",
                         (net(x) - sequential->forward(x)).abs().max().item<float>(),
                         torch::equal(net(x), sequential->forward(x))));
}

// The section "A parameter of your own: register_parameter".
void a_parameter_of_your_own() {
  ex::ScaleShift scale_shift(3);
  for (const auto& parameter : scale_shift->named_parameters()) {
    fmt::print("  {:<6} {}  requires_grad: {}\n", parameter.key(), show(parameter.value()),
               parameter.value().requires_grad());
  }
  torch::Tensor x = torch::tensor({{1.0f, 2.0f, 3.0f}});
  scale_shift->forward(x).sum().backward();
  fmt::print("{}\n", trf("after backward of sum(x * scale + shift) at x = {}: scale.grad() = {}",
                         show(x), show(scale_shift->scale.grad())));
}

// The section "train() and eval(): what Dropout does in each".
void dropout_in_train_and_eval() {
  torch::nn::Dropout dropout(0.5);
  torch::Tensor x = torch::ones({10});
  fmt::print("{}\n", trf("train(): about half dropped, the rest scaled by 1 / (1 - 0.5): {}",
                         show(ex::dropout_forward(dropout, x, /*training=*/true))));
  fmt::print("{}\n", trf("eval():  the identity: {}",
                         show(ex::dropout_forward(dropout, x, /*training=*/false))));
}

// The section "train() and eval(): BatchNorm's running statistics".
void batch_norm_statistics(uint64_t seed) {
  torch::manual_seed(seed);
  torch::nn::BatchNorm1d batch_norm(2);
  torch::Tensor x = torch::randn({256, 2}) * 2.0 + 3.0;  // mean ~3, std ~2
  fmt::print("{}\n", trf("before: running_mean {} running_var {}", show(batch_norm->running_mean),
                         show(batch_norm->running_var)));
  torch::Tensor trained = ex::batch_norm_forward(batch_norm, x, /*training=*/true);
  // xgettext:no-c-format ("10% of" is no printf directive: the messages are fmt's)
  fmt::print("{}\n", trf("train(): output mean {}; running mean, 10% of the way to the batch's: {}",
                         show(trained.mean(0)), show(batch_norm->running_mean)));
  torch::Tensor evaluated = ex::batch_norm_forward(batch_norm, x, /*training=*/false);
  fmt::print("{}\n",
             trf("eval():  output mean {} (the running statistics); running mean unchanged: {}",
                 show(evaluated.mean(0)), show(batch_norm->running_mean)));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      std::string(course::tr("Exercise 03: a custom MLP as nn::Module and as nn::Sequential")),
      "ex03_mlp"};
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
      fmt::print("{}\n",
                 trf("parameters: {} (784*128 + 128 + 128*10 + 10)", ex::count_parameters(*net)));
    });

    lesson.section("Forward: a batch of flattened images in, ten logits out", [&] {
      ex::Net net;
      net->to(device);
      torch::Tensor images = torch::rand({4, ex::kInputs}, torch::TensorOptions(device));
      torch::Tensor logits = net(images);  // net->forward(images), like Python's net(images)
      fmt::print("{}\n", trf("input {} -> logits {} on {}", fmt::join(images.sizes(), "x"),
                             fmt::join(logits.sizes(), "x"), logits.device().str()));
      fmt::print("{}\n", trf("first image's logits: {}", show(logits[0])));
    });

    lesson.section("The same network as nn::Sequential", [&] {
      torch::manual_seed(options.seed);
      ex::Net net;
      torch::manual_seed(options.seed);
      torch::nn::Sequential sequential = ex::make_sequential();
      std::cout << *sequential << "\n";
      fmt::print("{}\n", trf("same seed, layers built one statement at a time: same first "
                             "weights as Net: {}",
                             torch::equal(sequential->parameters()[0], net->parameters()[0])));
      // The rule, on any compiler: the order in which layers are built decides their weights.
      torch::manual_seed(options.seed);
      torch::nn::Linear first_built_first(ex::kInputs, ex::kHidden);
      torch::nn::Linear second_built_second(ex::kHidden, ex::kOutputs);
      torch::manual_seed(options.seed);
      torch::nn::Linear second_built_first(ex::kHidden, ex::kOutputs);
      torch::nn::Linear first_built_second(ex::kInputs, ex::kHidden);
      fmt::print("{}\n", trf("same seed, the two layers built in the other order: same first "
                             "weights: {}",
                             torch::equal(first_built_first->weight, first_built_second->weight)));
      // The common mistake: the layers built inside the call, in an order C++ leaves unspecified.
      // What this build's compiler did, measured, not assumed:
      torch::manual_seed(options.seed);
      torch::nn::Sequential inline_built(torch::nn::Linear(ex::kInputs, ex::kHidden),
                                         torch::nn::ReLU(),
                                         torch::nn::Linear(ex::kHidden, ex::kOutputs));
      const bool as_written = torch::equal(inline_built->parameters()[0], net->parameters()[0]);
      fmt::print("{}\n", trf("same seed, layers built inside Sequential(...): same first weights "
                             "as Net: {}",
                             as_written));
      fmt::print("{}\n", as_written ? trf("this build's compiler ({}) built them left to right, as "
                                          "written: the mistake goes unnoticed here, and another "
                                          "compiler may build them right to left",
                                          __VERSION__)
                                    : trf("this build's compiler ({}) built them right to left: "
                                          "the last layer drew its weights first",
                                          __VERSION__));
    });

    lesson.section("Copying weights: two modules, one function",
                   [&] { copying_weights(options.seed); });

    lesson.section("A parameter of your own: register_parameter", a_parameter_of_your_own);

    lesson.section("train() and eval(): what Dropout does in each", dropout_in_train_and_eval);

    lesson.section("train() and eval(): BatchNorm's running statistics",
                   [&] { batch_norm_statistics(options.seed); });

    return lesson.finish();
  });
}
