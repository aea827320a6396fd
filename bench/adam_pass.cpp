#include "adam_pass.h"

#include <cmath>

namespace bench {

// Compiled for AVX2 and for baseline x86-64; the loader picks one at run time. ISO C++ mode
// (no -ffp-contract=fast) keeps FMA out of both, so both give the same bits.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void adam_pass(float* __restrict parameter, const float* __restrict gradient,
               float* __restrict exp_avg, float* __restrict exp_avg_sq, int64_t begin,
               int64_t end, float beta1, float beta2, float step_size, float inverse_sqrt_bias2,
               float eps) {
  const float one_minus_beta1 = 1.0f - beta1, one_minus_beta2 = 1.0f - beta2;
  for (int64_t i = begin; i < end; ++i) {
    const float g = gradient[i];
    const float m = beta1 * exp_avg[i] + one_minus_beta1 * g;
    const float v = beta2 * exp_avg_sq[i] + one_minus_beta2 * (g * g);
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    parameter[i] -= step_size * m / (std::sqrt(v) * inverse_sqrt_bias2 + eps);
  }
}

}  // namespace bench
