// The device the checks run on: $COURSE_TEST_DEVICE (cpu, cuda, cuda:N, mps) if set, else
// "auto" (CUDA, else MPS, else the CPU). On a GPU machine: COURSE_TEST_DEVICE=cuda ctest ...
#pragma once

#include <cstdlib>

#include "common/device.h"

namespace course::testing {

inline torch::Device test_device() {
  const char* name = std::getenv("COURSE_TEST_DEVICE");
  return course::select_device(name != nullptr && *name != '\0' ? name : "auto");
}

}  // namespace course::testing
