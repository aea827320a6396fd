// What runs underneath: the BLAS this process loaded (scripts/install-deps.sh selects OpenBLAS),
// and the warnings that say when the BLAS or its kernels cost speed.
#include "common/runtime.h"

#include <gtest/gtest.h>

#include <string>

namespace course {
namespace {

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(Runtime, FindsTheBlasThatLibTorchCallsAndLibTorchItself) {
  const RuntimeInfo info = runtime_info();
  EXPECT_FALSE(info.blas_library.empty()) << "no sgemm_ in this process";
  // install-deps.sh selects OpenBLAS; the reference BLAS would be a warning, not a failure here.
  EXPECT_TRUE(info.blas_kind == "OpenBLAS" || info.blas_kind == "reference BLAS")
      << info.blas_kind << " from " << info.blas_library;
  if (info.blas_kind == "OpenBLAS") {
    EXPECT_FALSE(info.blas_core.empty());
    EXPECT_GE(info.blas_threads, 1);
    EXPECT_NE(info.blas_config.find("OpenBLAS"), std::string::npos) << info.blas_config;
  }
  EXPECT_EQ(info.torch_version.find(std::to_string(TORCH_VERSION_MAJOR) + "."), 0u)
      << info.torch_version;
  EXPECT_GE(info.torch_threads, 1);
}

RuntimeInfo open_blas(const std::string& core, const std::string& cpu_best) {
  RuntimeInfo info;
  info.blas_library = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3";
  info.blas_kind = "OpenBLAS";
  info.blas_core = core;
  info.blas_threads = 1;
  info.cpu_best = cpu_best;
  return info;
}

TEST(Runtime, WarnsOfGenericKernelsOnAProcessorWithWiderOnes) {
  const std::vector<std::string> warnings = runtime_warnings(open_blas("Prescott", "SkylakeX"));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(mentions(warnings, "generic kernels (Prescott)")) << warnings[0];
  EXPECT_TRUE(mentions(warnings, "export OPENBLAS_CORETYPE=SkylakeX")) << warnings[0];
}

TEST(Runtime, SaysNothingWhenTheKernelsFitOrTheEnvironmentChoseThem) {
  EXPECT_TRUE(runtime_warnings(open_blas("Haswell", "Haswell")).empty());
  EXPECT_TRUE(runtime_warnings(open_blas("SkylakeX", "SkylakeX")).empty());
  EXPECT_TRUE(runtime_warnings(open_blas("Prescott", "")).empty());  // no AVX: nothing better
  RuntimeInfo chosen = open_blas("Prescott", "SkylakeX");
  chosen.coretype = "Prescott";  // set on purpose (an older OpenBLAS miscomputes on some CPUs)
  EXPECT_TRUE(runtime_warnings(chosen).empty());
}

TEST(Runtime, WarnsOfTheReferenceBlas) {
  RuntimeInfo info;
  info.blas_library = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3";
  info.blas_kind = "reference BLAS";
  const std::vector<std::string> warnings = runtime_warnings(info);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(mentions(warnings, "reference BLAS")) << warnings[0];
  EXPECT_TRUE(mentions(warnings, "scripts/install-deps.sh")) << warnings[0];
}

}  // namespace
}  // namespace course
