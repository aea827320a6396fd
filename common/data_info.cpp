// data_info: says what runs underneath the course's numbers (LibTorch, its threads and devices,
// the BLAS and its kernels, with a warning where one costs speed), then loads Fashion-MNIST the
// way every binary of the course does, and prints what it found (where, how many images per
// split and class, pixel range, load time).
#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/cli.h"
#include "common/fashion_mnist.h"
#include "common/language.h"
#include "common/runtime.h"

int main(int argc, char** argv) {
  CLI::App app{"Loads Fashion-MNIST and prints a summary of it", "data_info"};
  course::CommonOptions options;
  course::add_common_options(app, options);
  return course::run_main(app, argc, argv, [&] {
    course::apply_common_options(options);
    const course::RuntimeInfo runtime = course::runtime_info();
    fmt::print("LibTorch {}, {} thread(s); CUDA {}, MPS {}\n", runtime.torch_version,
               runtime.torch_threads, runtime.cuda ? "yes" : "no", runtime.mps ? "yes" : "no");
    fmt::print("BLAS: {} ({}){}\n", runtime.blas_kind,
               runtime.blas_library.empty() ? "not found" : runtime.blas_library,
               runtime.blas_kind == "OpenBLAS"
                   ? fmt::format(", kernels {}{}, {}", runtime.blas_core,
                                 runtime.chosen_over.empty()
                                     ? ""
                                     : fmt::format(" (chosen by the course in place of the "
                                                   "generic {})",
                                                   runtime.chosen_over),
                                 runtime.blas_config.find("USE_OPENMP") != std::string::npos
                                     ? "OpenMP build (LibTorch's threads)"
                                     : fmt::format("{} thread(s)", runtime.blas_threads))
                   : "");
    if (!runtime.blas_config.empty()) fmt::print("  {}\n", runtime.blas_config);
    for (const std::string& warning : course::runtime_warnings(runtime)) {
      fmt::print(stderr, "{}{}\n", course::tr("warning: "), warning);
    }
    const auto dir = course::locate_data_dir(options.data_dir);
    fmt::print("data: {}\n", dir.string());
    for (course::Split split : {course::Split::Train, course::Split::Test}) {
      const auto start = std::chrono::steady_clock::now();
      course::FashionMnist data = course::load_fashion_mnist(dir, split);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print("\n{}: {} images {}, labels {}, pixels in [{:.1f}, {:.1f}], loaded in {:.3f} s\n",
                 split == course::Split::Train ? "train" : "test", data.size(),
                 fmt::join(data.images.sizes(), "x"), fmt::join(data.labels.sizes(), "x"),
                 data.images.min().item<float>(), data.images.max().item<float>(), seconds);
      torch::Tensor counts = torch::bincount(data.labels, {}, course::kNumClasses);
      for (int64_t label = 0; label < course::kNumClasses; ++label) {
        fmt::print("  {} {:<12} {:>6}\n", label, course::class_names()[label],
                   counts[label].item<int64_t>());
      }
    }
    return 0;
  });
}
