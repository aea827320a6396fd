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
  using course::tr;
  using course::trf;
  CLI::App app{course::N_("Loads Fashion-MNIST and prints a summary of it"), "data_info"};
  course::CommonOptions options;
  course::add_common_options(app, options);
  return course::run_main(app, argc, argv, [&] {
    course::apply_common_options(options);
    const course::RuntimeInfo runtime = course::runtime_info();
    fmt::print("{}\n", trf("LibTorch {}, {} thread(s); CUDA {}, MPS {}", runtime.torch_version,
                           runtime.torch_threads, runtime.cuda ? tr("yes") : tr("no"),
                           runtime.mps ? tr("yes") : tr("no")));
    std::string kernels;
    if (runtime.blas_kind == "OpenBLAS") {
      kernels = trf(
          ", kernels {}{}, {}", runtime.blas_core,
          runtime.chosen_over.empty()
              ? ""
              : trf(" (chosen by the course in place of the generic {})", runtime.chosen_over),
          runtime.blas_config.find("USE_OPENMP") != std::string::npos
              ? std::string(tr("OpenMP build (LibTorch's threads)"))
              : course::trn("{} thread", "{} threads", runtime.blas_threads, runtime.blas_threads));
    }
    fmt::print("BLAS: {} ({}){}\n", tr(runtime.blas_kind),
               runtime.blas_library.empty() ? tr("not found") : runtime.blas_library, kernels);
    if (!runtime.blas_config.empty()) fmt::print("  {}\n", runtime.blas_config);
    for (const std::string& warning : course::runtime_warnings(runtime)) {
      fmt::print(stderr, "{}{}\n", tr("warning: "), warning);
    }
    const auto dir = course::locate_data_dir(options.data_dir);
    fmt::print("{}\n", trf("data: {}", dir.string()));
    for (course::Split split : {course::Split::Train, course::Split::Test}) {
      const auto start = std::chrono::steady_clock::now();
      course::FashionMnist data = course::load_fashion_mnist(dir, split);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const std::string images = fmt::format("{}", fmt::join(data.images.sizes(), "x"));
      const std::string labels = fmt::format("{}", fmt::join(data.labels.sizes(), "x"));
      const float low = data.images.min().item<float>(), high = data.images.max().item<float>();
      fmt::print("\n{}\n",
                 split == course::Split::Train
                     ? trf("train: {} images {}, labels {}, pixels in [{:.1f}, {:.1f}], loaded "
                           "in {:.3f} s",
                           data.size(), images, labels, low, high, seconds)
                     : trf("test: {} images {}, labels {}, pixels in [{:.1f}, {:.1f}], loaded in "
                           "{:.3f} s",
                           data.size(), images, labels, low, high, seconds));
      torch::Tensor counts = torch::bincount(data.labels, {}, course::kNumClasses);
      for (int64_t label = 0; label < course::kNumClasses; ++label) {
        fmt::print("  {} {:<12} {:>6}\n", label, tr(course::class_names()[label]),
                   counts[label].item<int64_t>());
      }
    }
    return 0;
  });
}
