#include "common/runtime.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include <torch/torch.h>

#include "common/language.h"

namespace course {

namespace {

// A function of the BLAS loaded into this process, when it exports one by that name.
template <typename Function>
Function* blas_function(const char* name) {
  return reinterpret_cast<Function*>(::dlsym(RTLD_DEFAULT, name));
}

std::string widest_kernels() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
    return "SkylakeX";
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  if (__builtin_cpu_supports("avx")) return "Sandybridge";
#endif
  return "";
}

// OpenBLAS's kernels for processors without AVX: what its DYNAMIC_ARCH build falls back to on a
// processor it does not recognise ("Prescott" for an unknown Intel).
bool without_avx(const std::string& core) {
  static const std::set<std::string> cores = {
      "Prescott",   "Core2",     "Penryn", "Dunnington", "Nehalem",      "Atom",      "Katmai",
      "Coppermine", "Northwood", "Banias", "Opteron",    "Opteron_SSE3", "Barcelona", "Bobcat"};
  return cores.count(core) > 0;
}

}  // namespace

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  if (void* gemm = ::dlsym(RTLD_DEFAULT, "sgemm_")) {
    Dl_info where{};
    if (::dladdr(gemm, &where) != 0 && where.dli_fname != nullptr) {
      // The file itself, not the alternative's link (/lib/.../libblas.so.3).
      std::error_code error;
      const std::filesystem::path file = std::filesystem::canonical(where.dli_fname, error);
      info.blas_library = error ? std::string(where.dli_fname) : file.string();
    }
  }
  using Text = char*();
  using Count = int();
  // The kind of the library sgemm_ comes from: OpenBLAS's LAPACK may be loaded beside the
  // reference BLAS (and export OpenBLAS's functions) without doing the products.
  const bool reference = info.blas_library.find("/blas/") != std::string::npos &&
                         info.blas_library.find("openblas") == std::string::npos;
  auto* corename = blas_function<Text>("openblas_get_corename");
  if (reference) {
    info.blas_kind = "reference BLAS";  // Debian's libblas3, the alternative of last resort
  } else if (corename != nullptr) {
    info.blas_kind = "OpenBLAS";
    info.blas_core = corename();
    if (auto* config = blas_function<Text>("openblas_get_config")) info.blas_config = config();
    if (auto* threads = blas_function<Count>("openblas_get_num_threads")) {
      info.blas_threads = threads();
    }
  } else {
    info.blas_kind = "unknown";
  }
  if (const char* coretype = std::getenv("OPENBLAS_CORETYPE")) info.coretype = coretype;
  info.cpu_best = widest_kernels();
  info.torch_version =
      fmt::format("{}.{}.{}", TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, TORCH_VERSION_PATCH);
  info.torch_threads = at::get_num_threads();
  info.cuda = torch::cuda::is_available();
  info.mps = at::hasMPS();
  return info;
}

std::vector<std::string> runtime_warnings(const RuntimeInfo& info) {
  std::vector<std::string> warnings;
  if (info.blas_kind == "reference BLAS") {
    warnings.push_back(
        trf("the reference BLAS is selected ({}), about 10 times slower than OpenBLAS for "
            "training: run scripts/install-deps.sh, which selects OpenBLAS",
            info.blas_library));
  }
  if (info.blas_kind == "OpenBLAS" && info.coretype.empty() && !info.cpu_best.empty() &&
      without_avx(info.blas_core)) {
    warnings.push_back(
        trf("OpenBLAS runs its generic kernels ({}) on a processor that has {} ones, about 2 "
            "times slower: export OPENBLAS_CORETYPE={} before running",
            info.blas_core, info.cpu_best, info.cpu_best));
  }
  return warnings;
}

}  // namespace course
