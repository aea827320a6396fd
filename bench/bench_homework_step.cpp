// Where the time of one homework training step goes (MLP 784-300-100-10, Adam, batch 32), and
// the GEMM-bound limit of an epoch: the matrix products of a step alone, at the exact shapes
// nn::Linear's forward and backward use, with nothing else around them.
//   build/solutions/bin/bench_homework_step                              # everything
//   build/solutions/bin/bench_homework_step --benchmark_filter='threads:1'  # one thread only
// Counters: GFLOP (per second) of the products, and epoch_s = the time per step scaled to one epoch
// (55000 training examples plus the 5000 validation forwards).
#include <benchmark/benchmark.h>

#include <torch/torch.h>

#include <array>
#include <memory>
#include <vector>

#include "harness/batches.h"
#include "fused_adam.h"
#include "harness/reference_mlp.h"

namespace {

constexpr int64_t kTrain = 55000;
constexpr int64_t kValidation = 5000;
constexpr std::array<int64_t, 4> kWidths{784, 300, 100, 10};

// Forward FLOP per example: 2 * (784*300 + 300*100 + 100*10); a training example costs the
// forward, the weight gradients (same again) and the input gradients of layers 2 and 3.
constexpr double kForwardFlop = 2.0 * (784 * 300 + 300 * 100 + 100 * 10);
constexpr double kTrainFlop = 2 * kForwardFlop + 2.0 * (300 * 100 + 100 * 10);
constexpr double kEpochFlop = kTrain * kTrainFlop + kValidation * kForwardFlop;

void set_counters(benchmark::State& state, int64_t batch) {
  const double steps = static_cast<double>(kTrain) / static_cast<double>(batch);
  // Seconds per epoch if every step took this long, validation counted by its FLOP share:
  // google-benchmark shows time / (value * iterations) for an inverted invariant rate.
  const double epoch_per_step = steps * kEpochFlop / (kTrain * kTrainFlop);
  state.counters["epoch_s"] =
      benchmark::Counter(1.0 / epoch_per_step, benchmark::Counter::kIsIterationInvariantRate |
                                                   benchmark::Counter::kInvert);
  state.counters["GFLOP"] =
      benchmark::Counter(kTrainFlop * static_cast<double>(batch) / 1e9,
                         benchmark::Counter::kIsIterationInvariantRate);
  state.counters["threads"] = torch::get_num_threads();
}

// The products of one step, as autograd runs them for y = x @ W^T + b.
void GemmsOfOneStep(benchmark::State& state) {
  const int64_t batch = state.range(0);
  torch::set_num_threads(static_cast<int>(state.range(1)));
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> weights, biases, inputs, outputs, grad_outputs;
  for (size_t i = 0; i + 1 < kWidths.size(); ++i) {
    weights.push_back(torch::randn({kWidths[i + 1], kWidths[i]}));
    biases.push_back(torch::randn({kWidths[i + 1]}));
    inputs.push_back(torch::randn({batch, kWidths[i]}));
    outputs.push_back(torch::empty({batch, kWidths[i + 1]}));
    grad_outputs.push_back(torch::randn({batch, kWidths[i + 1]}));
  }
  std::vector<torch::Tensor> grad_weights, grad_inputs;
  for (size_t i = 0; i < weights.size(); ++i) {
    grad_weights.push_back(torch::empty_like(weights[i]));
    grad_inputs.push_back(torch::empty_like(inputs[i]));
  }
  for (auto _ : state) {
    for (size_t i = 0; i < weights.size(); ++i) {
      torch::addmm_out(outputs[i], biases[i], inputs[i], weights[i].t());  // forward
    }
    for (size_t i = weights.size(); i-- > 0;) {
      torch::mm_out(grad_weights[i], grad_outputs[i].t(), inputs[i]);  // dL/dW
      if (i > 0) torch::mm_out(grad_inputs[i], grad_outputs[i], weights[i]);  // dL/dx
    }
    benchmark::ClobberMemory();
  }
  set_counters(state, batch);
}

// The homework's model, as the harness has it (independent of the student's homework.cpp).
using Mlp = homework::harness::ReferenceMlp;

// What a step costs without the optimizer, and the optimizer alone.
void ForwardBackward(benchmark::State& state) {
  const int64_t batch = state.range(0);
  torch::set_num_threads(static_cast<int>(state.range(1)));
  torch::manual_seed(0);
  Mlp model;
  torch::Tensor images = torch::randn({batch, 784});
  torch::Tensor labels = torch::randint(10, {batch});
  for (auto _ : state) {
    for (auto& p : model->parameters()) p.mutable_grad().reset();
    torch::nn::functional::cross_entropy(model->forward(images), labels).backward();
  }
  set_counters(state, batch);
}

std::unique_ptr<torch::optim::Optimizer> make_adam(Mlp& model, bool fused) {
  const auto options = torch::optim::AdamOptions(1e-3);
  if (fused) return std::make_unique<bench::FusedAdam>(model->parameters(), options);
  return std::make_unique<torch::optim::Adam>(model->parameters(), options);
}

// One optimizer step (fused: 0 torch::optim::Adam, 1 bench::FusedAdam).
void AdamStep(benchmark::State& state) {
  torch::set_num_threads(static_cast<int>(state.range(1)));
  torch::manual_seed(0);
  Mlp model;
  for (auto& p : model->parameters()) p.mutable_grad() = torch::randn_like(p) * 1e-3;
  auto optimizer = make_adam(model, state.range(2) != 0);
  for (auto _ : state) optimizer->step();
  set_counters(state, state.range(0));
}

// The whole step, as the homework runs it: a batch by index from in-memory tensors, zero_grad,
// forward, loss, backward, Adam. fused: 0 torch::optim::Adam, 1 FusedAdam; set_to_none: 0
// optimizer.zero_grad() (LibTorch 1.13 fills zeros), 1 model->zero_grad(true) (PyTorch 2.x).
void FullStep(benchmark::State& state) {
  const int64_t batch = state.range(0);
  torch::set_num_threads(static_cast<int>(state.range(1)));
  const bool set_to_none = state.range(3) != 0;
  torch::manual_seed(0);
  Mlp model;
  auto optimizer = make_adam(model, state.range(2) != 0);
  homework::harness::Batches batches(torch::randn({kTrain, 784}), torch::randint(10, {kTrain}),
                                   batch, 0);
  int64_t index = 0;
  for (auto _ : state) {
    if (index == batches.size()) index = 0;
    const homework::harness::Batch next = batches[index++];
    if (set_to_none) {
      model->zero_grad(true);
    } else {
      optimizer->zero_grad();
    }
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(model->forward(next.images), next.labels);
    loss.backward();
    optimizer->step();
    benchmark::DoNotOptimize(loss.item<float>());
  }
  set_counters(state, batch);
}

// Only the batches of one epoch, no training: by index from two tensors (what the homework
// does), or through torch::data's per-example pipeline (Dataset::get + Stack + RandomSampler,
// the C++ DataLoader). Reports seconds per epoch.
struct Examples : torch::data::datasets::Dataset<Examples> {
  torch::Tensor images, labels;
  torch::data::Example<> get(size_t index) override {
    return {images[static_cast<int64_t>(index)], labels[static_cast<int64_t>(index)]};
  }
  torch::optional<size_t> size() const override { return labels.size(0); }
};

void EpochOfBatches(benchmark::State& state) {
  const int64_t batch = state.range(0);
  torch::set_num_threads(1);
  const torch::Tensor images = torch::randn({kTrain, 784});
  const torch::Tensor labels = torch::randint(10, {kTrain});
  int64_t epoch = 0;
  if (state.range(1) == 0) {
    homework::harness::Batches batches(images, labels, batch, 0);
    for (auto _ : state) {
      batches.set_epoch(++epoch);
      for (const homework::harness::Batch& b : batches) benchmark::DoNotOptimize(b.images.data_ptr());
    }
  } else {
    Examples dataset;
    dataset.images = images;
    dataset.labels = labels;
    auto loader = torch::data::make_data_loader<torch::data::samplers::RandomSampler>(
        dataset.map(torch::data::transforms::Stack<>()),
        torch::data::DataLoaderOptions().batch_size(batch));
    for (auto _ : state) {
      for (auto& b : *loader) benchmark::DoNotOptimize(b.data.data_ptr());
    }
  }
  state.SetLabel(state.range(1) == 0 ? "by index (homework::harness::Batches)"
                                     : "torch::data per example + Stack");
}

void Arguments(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"batch", "threads"});
  for (int64_t threads : {1, 2}) {
    for (int64_t batch : {32, 128}) bench->Args({batch, threads});
  }
  bench->UseRealTime()->Unit(benchmark::kMicrosecond);
}

void OptimizerArguments(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"batch", "threads", "fused", "set_to_none"});
  for (int64_t threads : {1, 2}) {
    bench->Args({32, threads, 0, 0})->Args({32, threads, 1, 0})->Args({32, threads, 1, 1});
  }
  bench->UseRealTime()->Unit(benchmark::kMicrosecond);
}

BENCHMARK(GemmsOfOneStep)->Apply(Arguments);
BENCHMARK(ForwardBackward)->Apply(Arguments);
BENCHMARK(AdamStep)->ArgNames({"batch", "threads", "fused"})->Args({32, 1, 0})->Args({32, 1, 1})
    ->Args({32, 2, 0})->Args({32, 2, 1})->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(FullStep)->Apply(OptimizerArguments);
BENCHMARK(EpochOfBatches)->ArgNames({"batch", "torch_data"})->Args({32, 0})->Args({32, 1})
    ->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
