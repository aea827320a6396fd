// What runs underneath the course's numbers: the BLAS library LibTorch's CPU matrix products
// go to (the Debian alternative for libblas.so.3 decides: OpenBLAS, or the reference BLAS,
// about 10x slower), OpenBLAS's kernels for this processor and its threads, and LibTorch's
// version, threads and devices. `data_info` prints it; the warnings say in one line each when
// something costs speed, and what to do.
#pragma once

#include <string>
#include <vector>

namespace course {

// Set by the course when it chose OpenBLAS's kernels itself (common/src/runtime.cpp): the name
// of the generic kernels OpenBLAS had chosen.
inline constexpr const char* kBlasChosenVariable = "COURSE_BLAS_CHOSEN";

struct RuntimeInfo {
  std::string blas_library;   // the file sgemm_ comes from, e.g. .../openblas-openmp/libblas.so.3
  std::string blas_kind;      // "OpenBLAS", "reference BLAS" or "unknown"
  std::string blas_core;      // OpenBLAS's kernels ("Haswell", "SkylakeX", "Prescott": generic)
  std::string blas_config;    // OpenBLAS's build ("OpenBLAS 0.3.21 DYNAMIC_ARCH ...")
  int blas_threads = 0;       // OpenBLAS's own thread setting (0: not OpenBLAS); an OpenMP build
                              // (USE_OPENMP in blas_config) runs with LibTorch's threads instead
  std::string coretype;       // OPENBLAS_CORETYPE, as the environment sets it (empty: unset)
  std::string chosen_over;    // the generic kernels the course replaced by `coretype` (none: "")
  std::string cpu_best;       // the widest vector kernels this processor runs: "SkylakeX"
                              // (AVX-512), "Haswell" (AVX2 + FMA), "Sandybridge" (AVX) or ""
  std::string torch_version;  // "1.13.1"
  int torch_threads = 0;      // at::get_num_threads()
  bool cuda = false;          // torch::cuda::is_available()
  bool mps = false;           // at::hasMPS()
};

// Looks at this process: the symbols its BLAS exports, the processor, LibTorch.
RuntimeInfo runtime_info();

// One line each, in the current language: the reference BLAS selected; OpenBLAS running its
// generic kernels (Prescott) on a processor that has wider ones, when the environment does not
// choose them (OPENBLAS_CORETYPE). Empty when nothing costs speed.
std::vector<std::string> runtime_warnings(const RuntimeInfo& info);

}  // namespace course
