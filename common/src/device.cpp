#include "common/device.h"

#include <regex>

#include <fmt/format.h>

#include "common/language.h"

namespace course {

bool is_device_name(const std::string& name) {
  static const std::regex pattern("auto|cpu|mps|cuda(:[0-9]+)?");
  return std::regex_match(name, pattern);
}

torch::Device select_device(const std::string& name) {
  if (!is_device_name(name)) {
    throw std::invalid_argument(
        trf("unknown device '{}': use auto, cpu, cuda, cuda:N or mps", name));
  }
  if (name == "auto") {
    if (torch::cuda::is_available()) return torch::Device(torch::kCUDA, 0);
    if (at::hasMPS()) return torch::Device(torch::kMPS);
    return torch::Device(torch::kCPU);
  }
  torch::Device device(name);
  if (device.is_cuda()) {
    if (!torch::cuda::is_available()) {
      throw std::runtime_error(
          trf("--device {}: CUDA is not available (no NVIDIA GPU, or a CPU-only LibTorch); use "
              "--device cpu or --device auto",
              name));
    }
    const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
    if (device.has_index() && device.index() >= count) {
      throw std::runtime_error(
          trf("--device {}: this machine has {} CUDA device(s), numbered 0 to {}", name, count,
              count - 1));
    }
  }
  if (device.is_mps() && !at::hasMPS()) {
    throw std::runtime_error(
        trf("--device {}: MPS (Apple GPU) is not available on this machine or LibTorch build; use "
            "--device cpu or --device auto",
            name));
  }
  return device;
}

std::string describe_device(const torch::Device& device) {
  if (device.is_cuda()) {
    return trf("CUDA device {} of {}", device.has_index() ? device.index() : 0,
               torch::cuda::device_count());
  }
  if (device.is_mps()) return std::string(tr("MPS (Apple GPU)"));
  return "CPU";
}

}  // namespace course
