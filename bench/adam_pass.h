// The inner loop of FusedAdam, in a file of its own: it includes no Torch header, so it can be
// compiled with -fno-math-errno (which lets the compiler vectorize sqrt) without the shared
// precompiled header.
#pragma once

#include <cstdint>

namespace bench {

// For i in [begin, end):  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
//                         p -= step_size * m / (sqrt(v) * inverse_sqrt_bias2 + eps)
void adam_pass(float* parameter, const float* gradient, float* exp_avg, float* exp_avg_sq,
               int64_t begin, int64_t end, float beta1, float beta2, float step_size,
               float inverse_sqrt_bias2, float eps);

}  // namespace bench
