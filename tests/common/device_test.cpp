// Device selection: the CPU always works; asking for what is not there is an error.
#include "common/device.h"

#include <gtest/gtest.h>

namespace course {
namespace {

TEST(DeviceSelection, CpuAlwaysWorks) {
  EXPECT_EQ(select_device("cpu"), torch::Device(torch::kCPU));
  EXPECT_EQ(describe_device(select_device("cpu")), "CPU");
}

TEST(DeviceSelection, AutoPicksCudaThenMpsThenCpu) {
  torch::Device device = select_device("auto");
  if (torch::cuda::is_available()) {
    EXPECT_TRUE(device.is_cuda());
  } else if (at::hasMPS()) {
    EXPECT_TRUE(device.is_mps());
  } else {
    EXPECT_TRUE(device.is_cpu());
  }
}

TEST(DeviceSelection, MissingCudaIsAnErrorNotAFallback) {
  if (torch::cuda::is_available()) {
    EXPECT_TRUE(select_device("cuda").is_cuda());
    EXPECT_THROW(select_device("cuda:999"), std::runtime_error);
  } else {
    try {
      select_device("cuda");
      FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("CUDA is not available"), std::string::npos);
    }
  }
}

TEST(DeviceSelection, MissingMpsIsAnError) {
  if (!at::hasMPS()) {
    EXPECT_THROW(select_device("mps"), std::runtime_error);
  }
}

TEST(DeviceSelection, UnknownNamesAreRejected) {
  EXPECT_FALSE(is_device_name("tpu"));
  EXPECT_FALSE(is_device_name("cuda:"));
  EXPECT_TRUE(is_device_name("cuda:1"));
  EXPECT_THROW(select_device("tpu"), std::invalid_argument);
}

}  // namespace
}  // namespace course
