// Choosing where tensors live: the C++ side of
// `device = "cuda" if torch.cuda.is_available() else "mps" if ... else "cpu"`.
#pragma once

#include <torch/torch.h>

#include <string>

namespace course {

// The names --device accepts: "auto", "cpu", "cuda", "cuda:N", "mps".
bool is_device_name(const std::string& name);

// "auto" picks CUDA, else MPS (Apple GPUs), else the CPU. Naming a device that this machine or
// this LibTorch build lacks is an error (std::runtime_error), never a silent fallback to the CPU.
torch::Device select_device(const std::string& name);

// "CPU", "CUDA device 0 of 1", "MPS (Apple GPU)": for the line every binary prints.
std::string describe_device(const torch::Device& device);

}  // namespace course
