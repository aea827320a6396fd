// The checkpoint of the homework: the best model so far and its optimizer, in one file, plus
// what --resume needs to go on from there (the epoch and the history up to it). Python's
//   torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), ...}, path)
// written atomically (temporary file + rename), so an interrupted run keeps the last good one.
#pragma once

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>

namespace homework::harness {

struct CheckpointInfo {
  int64_t epoch = 0;                                 // the epoch these weights come from
  nlohmann::json history = nlohmann::json::array();  // one record per epoch, 1..epoch
  nlohmann::json config = nlohmann::json::object();  // the flags a resumed run must share
};

void save_checkpoint(const std::filesystem::path& path, const torch::nn::Module& model,
                     const torch::optim::Optimizer& optimizer, const CheckpointInfo& info);

// Loads into `model` and `optimizer` (built like the saved ones), on `device`. Throws
// std::runtime_error naming the file when it is missing, damaged, or holds another model.
CheckpointInfo load_checkpoint(const std::filesystem::path& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer, const torch::Device& device);

}  // namespace homework::harness
