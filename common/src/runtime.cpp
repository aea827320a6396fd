#include "common/runtime.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
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

using Text = char*();
using Count = int();

// The file sgemm_ comes from, the one that does LibTorch's CPU products: the file itself, not
// the alternative's link (/lib/.../libblas.so.3). Empty when none exports it.
std::string blas_library() {
  void* gemm = ::dlsym(RTLD_DEFAULT, "sgemm_");
  Dl_info where{};
  if (gemm == nullptr || ::dladdr(gemm, &where) == 0 || where.dli_fname == nullptr) return "";
  std::error_code error;
  const std::filesystem::path file = std::filesystem::canonical(where.dli_fname, error);
  return error ? std::string(where.dli_fname) : file.string();
}

// Debian's reference BLAS (libblas3). OpenBLAS's LAPACK may be loaded beside it, and export
// OpenBLAS's functions, without doing the products.
bool is_reference(const std::string& library) {
  return library.find("/blas/") != std::string::npos &&
         library.find("openblas") == std::string::npos;
}

// Before main(), in every program of the course that links LibTorch (lessons, checks, the
// homework, benches, the grader's runs): when OpenBLAS chose its generic kernels on a processor
// that has wider ones (it does not recognise every new processor) and the environment chose
// none, the program starts itself again with OPENBLAS_CORETYPE set to the widest kernels the
// processor runs, since OpenBLAS reads it only when it loads. COURSE_BLAS_CHOSEN keeps the
// generic core's name, for data_info, and stops a second start. COURSE_TEST_BLAS_CORE stands
// for OpenBLAS's choice in the course's own tests, where the processor is one OpenBLAS knows.
void choose_blas_kernels() {
#if defined(__linux__)
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr || std::getenv(kBlasChosenVariable) != nullptr)
    return;
  auto* corename = blas_function<Text>("openblas_get_corename");
  if (corename == nullptr || is_reference(blas_library())) return;
  const char* pretend = std::getenv("COURSE_TEST_BLAS_CORE");
  const std::string core = pretend != nullptr ? pretend : corename();
  const std::string best = widest_kernels();
  if (best.empty() || !without_avx(core)) return;
  std::ifstream file("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> arguments;
  for (std::string argument; std::getline(file, argument, '\0');) arguments.push_back(argument);
  if (arguments.empty()) return;
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  ::setenv("OPENBLAS_CORETYPE", best.c_str(), 1);
  ::setenv(kBlasChosenVariable, core.c_str(), 1);
  ::execv("/proc/self/exe", argv.data());
  // No /proc (a sandbox without it): go on with the generic kernels, as before.
  ::unsetenv("OPENBLAS_CORETYPE");
#endif
}

[[maybe_unused]] const bool kBlasKernelsChosen = (choose_blas_kernels(), true);

}  // namespace

RuntimeInfo runtime_info() {
  RuntimeInfo info;
  info.blas_library = blas_library();
  const bool reference = is_reference(info.blas_library);
  auto* corename = blas_function<Text>("openblas_get_corename");
  if (reference) {
    info.blas_kind = N_("reference BLAS");  // Debian's libblas3, the alternative of last resort
  } else if (corename != nullptr) {
    info.blas_kind = "OpenBLAS";
    info.blas_core = corename();
    if (auto* config = blas_function<Text>("openblas_get_config")) info.blas_config = config();
    if (auto* threads = blas_function<Count>("openblas_get_num_threads")) {
      info.blas_threads = threads();
    }
  } else {
    info.blas_kind = N_("unknown");
  }
  if (const char* coretype = std::getenv("OPENBLAS_CORETYPE")) info.coretype = coretype;
  if (const char* generic = std::getenv(kBlasChosenVariable)) info.chosen_over = generic;
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
