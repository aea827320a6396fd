// Reference solution of exercise 06: TorchScript, a model trained in Python and served from C++.
#include "torchscript.h"

#include <fstream>
#include <stdexcept>
#include <vector>

namespace exercises::torchscript {

torch::jit::Module load_model(const std::string& path) {
  // model = torch.jit.load(path)
  return torch::jit::load(path);
}

torch::Tensor prepare_input(const torch::Tensor& images, double mean, double stddev) {
  // (images - 0.2860) / 0.3530: what transforms.Normalize did when Python trained the model
  return (images - mean) / stddev;
}

torch::Tensor predict(torch::jit::Module& model, const torch::Tensor& inputs) {
  // model.eval()
  // with torch.no_grad(): return model(inputs)
  model.eval();
  torch::NoGradGuard no_grad;
  return model.forward({inputs}).toTensor();
}

double accuracy(const torch::Tensor& logits, const torch::Tensor& labels) {
  // (logits.argmax(dim=1) == labels).float().mean().item()
  return (logits.argmax(/*dim=*/1) == labels).to(torch::kFloat).mean().item<double>();
}

void save_for_python(const torch::Tensor& tensor, const std::string& path) {
  // torch.save(tensor, path): torch::pickle_save gives the bytes that torch.load reads
  const std::vector<char> bytes = torch::pickle_save(tensor);
  std::ofstream file(path, std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace exercises::torchscript
