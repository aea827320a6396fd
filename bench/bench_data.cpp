// How long loading Fashion-MNIST takes (target: all four files in <= 0.3 s on 2 cores), and the
// GEMM speed of the BLAS that LibTorch uses here.
//   build/solutions/bin/bench_data --benchmark_repetitions=5 --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>

#include <torch/torch.h>

#include "common/fashion_mnist.h"

namespace {

void LoadAllFourFiles(benchmark::State& state) {
  torch::set_num_threads(1);
  const auto dir = course::locate_data_dir();
  for (auto _ : state) {
    auto splits = course::load_fashion_mnist_splits(dir);
    benchmark::DoNotOptimize(splits.train.images.data_ptr());
    benchmark::DoNotOptimize(splits.test.images.data_ptr());
  }
}
BENCHMARK(LoadAllFourFiles)->Unit(benchmark::kMillisecond)->UseRealTime();

void LoadTrainSplit(benchmark::State& state) {
  const auto dir = course::locate_data_dir();
  for (auto _ : state) {
    auto train = course::load_fashion_mnist(dir, course::Split::Train);
    benchmark::DoNotOptimize(train.images.data_ptr());
  }
}
BENCHMARK(LoadTrainSplit)->Unit(benchmark::kMillisecond)->UseRealTime();

// One matrix product as nn::Linear does it (x @ W^T), at the sizes given; reports GFLOP/s.
void Gemm(benchmark::State& state) {
  torch::set_num_threads(static_cast<int>(state.range(3)));
  const int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  torch::Tensor x = torch::randn({m, k});
  torch::Tensor w = torch::randn({n, k});
  for (auto _ : state) benchmark::DoNotOptimize(torch::mm(x, w.t()).data_ptr());
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * m * k * n, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["threads"] = torch::get_num_threads();
}
BENCHMARK(Gemm)
    ->ArgNames({"m", "k", "n", "threads"})
    ->Args({1024, 1024, 1024, 1})
    ->Args({1024, 1024, 1024, 2})
    ->Args({32, 784, 300, 1})   // the homework's first layer at batch 32
    ->Args({256, 784, 300, 1})  // ... at batch 256
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
