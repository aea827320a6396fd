#include "harness/checkpoint.h"

#include "common/text.h"

#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/language.h"
#include "harness/files.h"

namespace homework::harness {
namespace fs = std::filesystem;
namespace {

using course::first_line;

constexpr int64_t kFormatVersion = 1;

}  // namespace

void save_checkpoint(const fs::path& path, const torch::nn::Module& model,
                     const torch::optim::Optimizer& optimizer, const CheckpointInfo& info) {
  torch::serialize::OutputArchive model_archive, optimizer_archive, archive;
  model.save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("format_version", c10::IValue(kFormatVersion));
  archive.write("info",
                c10::IValue(nlohmann::json{
                    {"epoch", info.epoch}, {"history", info.history}, {"config", info.config}}
                                .dump()));
  replace_atomically(path, [&](const fs::path& temporary) { archive.save_to(temporary.string()); });
}

CheckpointInfo load_checkpoint(const fs::path& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer, const torch::Device& device) {
  if (!fs::is_regular_file(path)) {
    throw std::runtime_error(course::trf("checkpoint '{}' does not exist", path.string()));
  }
  // The parameters before loading: a file of another model would silently reshape them, so a
  // mismatch puts them back and fails.
  std::vector<torch::Tensor> originals;
  for (const auto& parameter : model.parameters()) originals.push_back(parameter.detach().clone());
  auto put_back = [&] {
    torch::NoGradGuard no_grad;
    auto parameters = model.parameters();
    for (size_t i = 0; i < parameters.size(); ++i) parameters[i].set_(originals[i]);
  };

  CheckpointInfo info;
  try {
    torch::serialize::InputArchive archive, model_archive, optimizer_archive;
    archive.load_from(path.string(), device);
    c10::IValue version, text;
    archive.read("format_version", version);
    if (version.toInt() != kFormatVersion) {
      throw std::runtime_error(course::trf("format version {} (this program reads {})",
                                           version.toInt(), kFormatVersion));
    }
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    archive.read("info", text);
    model.load(model_archive);
    optimizer.load(optimizer_archive);
    const auto json = nlohmann::json::parse(text.toStringRef());
    info.epoch = json.at("epoch").get<int64_t>();
    info.history = json.at("history");
    info.config = json.at("config");
  } catch (const c10::Error& e) {
    put_back();
    throw std::runtime_error(course::trf(
        "checkpoint '{}' is damaged or not a homework checkpoint ({}); delete it or start "
        "without --resume",
        path.string(), first_line(e.what_without_backtrace())));
  } catch (const std::exception& e) {
    put_back();
    throw std::runtime_error(course::trf(
        "checkpoint '{}' is damaged or not a homework checkpoint ({}); delete it or start "
        "without --resume",
        path.string(), first_line(e.what())));
  }
  const auto parameters = model.parameters();
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (parameters[i].sizes() != originals[i].sizes()) {
      const std::string found = fmt::format("{}", fmt::join(parameters[i].sizes(), "x"));
      put_back();
      throw std::runtime_error(course::trf(
          "checkpoint '{}' holds a different model (a parameter of shape {} where {} was "
          "expected); delete it or start without --resume",
          path.string(), found, fmt::join(originals[i].sizes(), "x")));
    }
  }
  return info;
}

}  // namespace homework::harness
